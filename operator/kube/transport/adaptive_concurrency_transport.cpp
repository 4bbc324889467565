#include "operator/kube/transport/adaptive_concurrency_transport.h"

#include <utility>

#include "operator/kube/transport/retry_policy.h"

namespace tro::kube::transport {
namespace {

Error cancelledWaitingForSlot(const HttpRequest& request) {
  Error e;
  e.kind = ErrorKind::Cancelled;
  e.message = "cancelled while waiting for the adaptive concurrency limit to send " +
              request.method + " " + request.path;
  return e;
}

enum class Signal { Success, Overload, None };

// A 503 counts as overload only when the server says when to come back: without Retry-After it
// is as likely a failing backend as a busy one. The header's presence decides; its value, when
// it parses, sets the pause.
Signal classify(const Result<HttpResponse>& outcome) {
  if (!outcome.ok()) return Signal::None;
  const HttpResponse& response = outcome.value();
  if (response.status == 429) return Signal::Overload;
  if (response.status == 503 && !response.header("retry-after").empty()) return Signal::Overload;
  if (response.status >= 200 && response.status < 500) return Signal::Success;
  return Signal::None;
}

std::optional<std::chrono::seconds> retryAfter(const HttpResponse& response) {
  const std::optional<int> seconds = retryAfterSeconds(response);
  if (!seconds) return std::nullopt;
  return std::chrono::seconds(*seconds);
}

}  // namespace

AdaptiveConcurrencyTransport::AdaptiveConcurrencyTransport(TransportPtr inner,
                                                           AdaptiveLimitOptions options,
                                                           const base::Clock& clock,
                                                           std::stop_token stop,
                                                           std::function<void(int)> onLimitChange)
    : inner_(std::move(inner)),
      clock_(clock),
      stop_(std::move(stop)),
      onLimitChange_(std::move(onLimitChange)),
      limit_(options) {
  if (onLimitChange_) onLimitChange_(limit_.limit());
}

std::optional<AdaptiveLimit::Admission> AdaptiveConcurrencyTransport::admit() {
  std::unique_lock lock(mu_);
  std::optional<AdaptiveLimit::Admission> admitted;
  ++waiting_;
  while (!stop_.stop_requested()) {
    const std::optional<base::MonoTime> paused = limit_.pausedUntil();
    if (paused && clock_.monotonicNow() < *paused) {
      clock_.waitUntil(lock, cv_, *paused, stop_);
    } else if (inFlight_ >= limit_.limit()) {
      cv_.wait(lock, stop_, [this] { return inFlight_ < limit_.limit(); });
    } else {
      ++inFlight_;
      admitted = limit_.admission(inFlight_);
      break;
    }
  }
  --waiting_;
  return admitted;
}

void AdaptiveConcurrencyTransport::finish(AdaptiveLimit::Admission admission,
                                          const Result<HttpResponse>& outcome,
                                          base::Duration latency, base::MonoTime now) {
  std::lock_guard lock(mu_);
  --inFlight_;
  const int before = limit_.limit();
  switch (classify(outcome)) {
    case Signal::Success:
      limit_.onSuccess(std::chrono::duration_cast<std::chrono::nanoseconds>(latency), admission);
      break;
    case Signal::Overload:
      limit_.onOverload(retryAfter(outcome.value()), now, admission);
      break;
    case Signal::None:
      break;
  }
  if (onLimitChange_ && limit_.limit() != before) onLimitChange_(limit_.limit());
  // A freed slot, a raised limit or a new pause: every waiter re-checks.
  cv_.notify_all();
}

Result<HttpResponse> AdaptiveConcurrencyTransport::send(const HttpRequest& request,
                                                        std::chrono::milliseconds timeout) {
  const std::optional<AdaptiveLimit::Admission> admission = admit();
  if (!admission) return fail(cancelledWaitingForSlot(request));
  const base::MonoTime start = clock_.monotonicNow();
  Result<HttpResponse> outcome = inner_->send(request, timeout);
  const base::MonoTime end = clock_.monotonicNow();
  finish(*admission, outcome, end - start, end);
  return outcome;
}

Result<StreamOpen> AdaptiveConcurrencyTransport::stream(const HttpRequest& request) {
  return inner_->stream(request);
}

int AdaptiveConcurrencyTransport::limit() const {
  std::lock_guard lock(mu_);
  return limit_.limit();
}

int AdaptiveConcurrencyTransport::inFlight() const {
  std::lock_guard lock(mu_);
  return inFlight_;
}

int AdaptiveConcurrencyTransport::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace tro::kube::transport
