#pragma once
// Rollouts to analyse now rather than at their next interval: the Alertmanager receiver
// requests (a pushed alert concerns them), the reconciler takes the request when it plans that
// rollout. A set, so a burst of pushes costs one analysis per rollout. Thread-safe; bounded.

#include <cstddef>
#include <mutex>
#include <set>
#include <string>

namespace tro::controllers {

class AnalysisRequests {
 public:
  // Past this many pending keys new requests are dropped (polling still finds the alert).
  static constexpr size_t kMaxPending = 100000;

  // False when the request was dropped.
  bool request(const std::string& key) {
    std::lock_guard lock(mu_);
    if (pending_.size() >= kMaxPending && pending_.count(key) == 0) return false;
    pending_.insert(key);
    return true;
  }
  // Whether `key` was requested since the last take; clears it.
  bool take(const std::string& key) {
    std::lock_guard lock(mu_);
    return pending_.erase(key) > 0;
  }

 private:
  std::mutex mu_;
  std::set<std::string> pending_;  // guarded by mu_
};

}  // namespace tro::controllers
