#include "operator/kube/transport/rate_limiter.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tro::kube::transport {
namespace {

// Refill arithmetic is in doubles; a token that is "almost" whole because of rounding must
// count, or a waiter woken exactly at its deadline would wait for the next clock tick.
constexpr double kEpsilon = 1e-9;

}  // namespace

RateLimiter::RateLimiter(double qps, int burst, const base::Clock& clock)
    : clock_(clock),
      qps_(qps),
      burst_(std::max(1, burst)),
      tokens_(burst_),
      last_(clock.monotonicNow()) {}

void RateLimiter::refillLocked(base::MonoTime now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
  last_ = now;
}

bool RateLimiter::takeLocked() {
  refillLocked(clock_.monotonicNow());
  if (tokens_ + kEpsilon < 1.0) return false;
  tokens_ = std::max(0.0, tokens_ - 1.0);
  return true;
}

bool RateLimiter::tryAcquire() {
  if (qps_ <= 0) return true;
  std::lock_guard lock(mu_);
  return takeLocked();
}

bool RateLimiter::acquire(std::stop_token stop) {
  if (qps_ <= 0) return !stop.stop_requested();
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    if (takeLocked()) return true;
    const double missingSeconds = (1.0 - tokens_) / qps_;
    const auto wait =
        std::chrono::ceil<base::Duration>(std::chrono::duration<double>(missingSeconds));
    clock_.waitUntil(lock, cv_, clock_.monotonicNow() + wait, stop);
  }
  return false;
}

}  // namespace tro::kube::transport
