#pragma once
// WaveTracker: the end condition of the wave, fed by a DeploymentWatch of all namespaces. For
// every Deployment it records that the watch knows it; for every expected first-wave Deployment
// the arrival of the first event in which its pod template carries the flag's enabled value
// (templateEnvValue(), any container); a rollout's wave is injected when the last of its first
// wave is. Deployments that carry the value without being expected are counted (a second wave or
// a wrong selector would show there). Thread-safe: observe() runs on the watch thread, the waits
// and figures() on the caller's.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operator/kube/resource.h"

namespace tro::bench {

class WaveTracker {
 public:
  using Steady = std::chrono::steady_clock;

  // `firstWaves`: "<namespace>/<name>" -> rollout index (0 .. rollouts-1), rollout_manifest.h.
  WaveTracker(std::map<std::string, int> firstWaves, int rollouts);

  void observe(const kube::Json& deployment, Steady::time_point arrived);
  // True once the watch has delivered `count` distinct Deployments, false after `wait`.
  bool waitKnown(std::size_t count, std::chrono::milliseconds wait);
  // True once every first-wave Deployment is injected, false after `wait`.
  bool waitInjected(std::chrono::milliseconds wait);

  struct Figures {
    int injected = 0;
    int otherInjected = 0;
    std::optional<double> lastSeconds;  // `since` -> the last first-wave Deployment injected
    std::vector<double> perRollout;     // `since` -> each complete rollout's wave, in seconds
  };
  Figures figures(Steady::time_point since) const;

 private:
  bool allInjected() const;  // mu_ held

  const std::map<std::string, int> firstWaves_;
  const std::vector<int> waveSizes_;  // per rollout: its first-wave Deployments
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::set<std::string> known_;                                 // guarded by mu_
  std::map<std::string, Steady::time_point> injected_;          // guarded by mu_; first-wave only
  std::set<std::string> otherInjected_;                         // guarded by mu_
  std::vector<int> rolloutInjected_;                            // guarded by mu_; per rollout
  std::vector<std::optional<Steady::time_point>> rolloutDone_;  // guarded by mu_
};

}  // namespace tro::bench
