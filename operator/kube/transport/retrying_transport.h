#pragma once
// A Transport that re-sends requests according to retry_policy.h, sleeping on the injected
// Clock between attempts. stream() retries only the opening of a watch (a non-2xx answer or a
// failure to connect); once a LineStream is returned, breaks are the watcher's business.
// When `stop` is requested during a backoff the call returns a Cancelled error at once.
// The last outcome is returned when the policy gives up; it is never hidden behind a generic error.
// Thread-safe: concurrent calls share only the jitter source, which is guarded.

#include <condition_variable>
#include <mutex>
#include <random>
#include <stop_token>

#include "operator/base/clock.h"
#include "operator/kube/transport.h"
#include "operator/kube/transport/retry_policy.h"

namespace tro::kube::transport {

class RetryingTransport final : public Transport {
 public:
  // `clock` must outlive this transport. When config.random is empty a seeded pseudo-random
  // jitter source is installed.
  RetryingTransport(TransportPtr inner, RetryConfig config, const base::Clock& clock,
                    std::stop_token stop = {});

  Result<HttpResponse> send(const HttpRequest& request, std::chrono::milliseconds timeout) override;
  Result<StreamOpen> stream(const HttpRequest& request) override;

 private:
  RetryDecision decideLocked(const HttpRequest& request, const Result<HttpResponse>& outcome,
                             int attempt);
  // False when stopped before the delay elapsed.
  bool waitFor(std::chrono::milliseconds delay);

  TransportPtr inner_;
  RetryConfig config_;
  const base::Clock& clock_;
  std::stop_token stop_;
  std::mutex mu_;  // guards rng_ and is the lock waited on by waitFor()
  std::condition_variable_any cv_;
  std::mt19937_64 rng_;
};

}  // namespace tro::kube::transport
