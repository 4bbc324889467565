#pragma once
// A Transport that bounds how many send()s are in flight by an AdaptiveLimit (adaptive_limit.h):
// a caller blocks until in-flight < limit and the clock has passed the last Retry-After pause,
// then sends through `inner` and reports the outcome:
//   429, or 503 with a Retry-After header  -> overload (halve, pause for Retry-After);
//   any other status below 500             -> success, with its latency on the Clock;
//   other 5xx and errors (transport, timeout, cancelled) -> neither: they say nothing reliable
//   about the server's capacity, and the retry layer already backs off on them.
// Put it BELOW the RetryingTransport (RetryingTransport(AdaptiveConcurrencyTransport(...))) so
// that every attempt, retries included, is bounded and every 429 the retry layer retries is seen
// here. stream() passes straight through: watches are long-lived and not bounded.
// When `stop` is requested while waiting, send() returns a Cancelled error without sending.
// Thread-safe; it owns no threads, it only blocks callers.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>

#include "operator/base/clock.h"
#include "operator/kube/transport.h"
#include "operator/kube/transport/adaptive_limit.h"

namespace tro::kube::transport {

class AdaptiveConcurrencyTransport final : public Transport {
 public:
  // `clock` must outlive this transport. `onLimitChange`, when set, is called with the initial
  // limit and then after every change, with this transport's lock held: it must be quick (a
  // gauge's set()) and must not call back into this transport.
  AdaptiveConcurrencyTransport(TransportPtr inner, AdaptiveLimitOptions options,
                               const base::Clock& clock, std::stop_token stop = {},
                               std::function<void(int)> onLimitChange = {});

  Result<HttpResponse> send(const HttpRequest& request, std::chrono::milliseconds timeout) override;
  Result<StreamOpen> stream(const HttpRequest& request) override;

  // The transport beneath the bound (requests sent to it directly are not bounded or counted).
  Transport& inner() { return *inner_; }

  int limit() const;
  int inFlight() const;
  int waiting() const;  // callers blocked for a slot or for a Retry-After pause to end

 private:
  // Blocks until admitted and counts the request in flight; nullopt when stopped first.
  std::optional<AdaptiveLimit::Admission> admit();
  void finish(AdaptiveLimit::Admission admission, const Result<HttpResponse>& outcome,
              base::Duration latency, base::MonoTime now);

  TransportPtr inner_;
  const base::Clock& clock_;
  std::stop_token stop_;
  std::function<void(int)> onLimitChange_;
  mutable std::mutex mu_;  // guards limit_, inFlight_, waiting_; the lock waited on by admit()
  std::condition_variable_any cv_;
  AdaptiveLimit limit_;
  int inFlight_ = 0;
  int waiting_ = 0;
};

}  // namespace tro::kube::transport
