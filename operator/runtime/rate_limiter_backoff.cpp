#include "operator/runtime/rate_limiter_backoff.h"

namespace tro::runtime {

base::Duration ItemExponentialBackoff::when(const std::string& key) {
  std::size_t exp = failures_[key]++;
  // Double step by step so a large exponent saturates at `max` instead of overflowing.
  base::Duration d = options_.base;
  for (std::size_t i = 0; i < exp && d < options_.max; ++i) {
    d = d > options_.max / 2 ? options_.max : d * 2;
  }
  return d < options_.max ? d : options_.max;
}

std::size_t ItemExponentialBackoff::numRequeues(const std::string& key) const {
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace tro::runtime
