#pragma once
// Client-side rate limiting: a token bucket holding at most `burst` tokens, refilled at `qps`
// tokens per second of the injected Clock (client-go's flowcontrol.NewTokenBucketRateLimiter).
// The bucket starts full so a freshly started client can issue `burst` requests at once.
// Thread-safe. A qps <= 0 disables limiting (every acquire succeeds at once).

#include <condition_variable>
#include <mutex>
#include <stop_token>

#include "operator/base/clock.h"

namespace tro::kube::transport {

class RateLimiter {
 public:
  RateLimiter(double qps, int burst, const base::Clock& clock);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes a token if one is available now; never blocks.
  bool tryAcquire();
  // Blocks (on the Clock) until a token is available and takes it. Returns false, without
  // taking a token, when `stop` is requested first.
  bool acquire(std::stop_token stop);

 private:
  void refillLocked(base::MonoTime now);
  bool takeLocked();

  const base::Clock& clock_;
  const double qps_;
  const double burst_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  double tokens_;        // guarded by mu_
  base::MonoTime last_;  // guarded by mu_: when tokens_ was last refilled
};

}  // namespace tro::kube::transport
