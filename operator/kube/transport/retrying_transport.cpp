#include "operator/kube/transport/retrying_transport.h"

#include <utility>

namespace tro::kube::transport {
namespace {

Error cancelledDuringBackoff(const HttpRequest& request) {
  Error e;
  e.kind = ErrorKind::Cancelled;
  e.message = "cancelled while waiting to retry " + request.method + " " + request.path;
  return e;
}

}  // namespace

RetryingTransport::RetryingTransport(TransportPtr inner, RetryConfig config,
                                     const base::Clock& clock, std::stop_token stop)
    : inner_(std::move(inner)),
      config_(std::move(config)),
      clock_(clock),
      stop_(std::move(stop)),
      rng_(0x7472'6f2d'6b75'6265ULL) {}

RetryDecision RetryingTransport::decideLocked(const HttpRequest& request,
                                              const Result<HttpResponse>& outcome, int attempt) {
  std::lock_guard lock(mu_);
  if (config_.random) return decide(request, outcome, attempt, config_);
  RetryConfig withJitter = config_;
  withJitter.random = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); };
  return decide(request, outcome, attempt, withJitter);
}

bool RetryingTransport::waitFor(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  const base::MonoTime deadline = clock_.monotonicNow() + delay;
  while (!stop_.stop_requested() && clock_.monotonicNow() < deadline) {
    clock_.waitUntil(lock, cv_, deadline, stop_);
  }
  return !stop_.stop_requested();
}

Result<HttpResponse> RetryingTransport::send(const HttpRequest& request,
                                             std::chrono::milliseconds timeout) {
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = inner_->send(request, timeout);
    const RetryDecision decision = decideLocked(request, outcome, attempt);
    if (!decision.retry) return outcome;
    if (!waitFor(decision.delay)) return fail(cancelledDuringBackoff(request));
  }
}

Result<StreamOpen> RetryingTransport::stream(const HttpRequest& request) {
  for (int attempt = 1;; ++attempt) {
    Result<StreamOpen> opened = inner_->stream(request);
    if (opened.ok() && opened.value().stream) return opened;
    const Result<HttpResponse> outcome = opened.ok() ? Result<HttpResponse>(opened.value().response)
                                                     : Result<HttpResponse>(fail(opened.error()));
    const RetryDecision decision = decideLocked(request, outcome, attempt);
    if (!decision.retry) return opened;
    if (!waitFor(decision.delay)) return fail(cancelledDuringBackoff(request));
  }
}

}  // namespace tro::kube::transport
