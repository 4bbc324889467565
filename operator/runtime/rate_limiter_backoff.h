#pragma once
// Per-key exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th failure of
// a key (counting from 0) waits base * 2^n, capped at `max`. forget() resets a key.
// Not synchronised: the WorkQueue owns one and calls it under its own mutex.

#include <cstddef>
#include <string>
#include <unordered_map>

#include "operator/base/clock.h"

namespace tro::runtime {

struct BackoffOptions {
  base::Duration base = std::chrono::milliseconds(5);
  base::Duration max = std::chrono::seconds(1000);
};

class ItemExponentialBackoff {
 public:
  explicit ItemExponentialBackoff(BackoffOptions options = {}) : options_(options) {}

  // Records one more failure of `key` and returns how long to wait before retrying it.
  base::Duration when(const std::string& key);
  void forget(const std::string& key) { failures_.erase(key); }
  std::size_t numRequeues(const std::string& key) const;

 private:
  BackoffOptions options_;
  std::unordered_map<std::string, std::size_t> failures_;
};

}  // namespace tro::runtime
