#include "bench/operator_fleet/wave_tracker.h"

#include <algorithm>

#include "bench/common/flag_watch.h"
#include "bench/common/fleet_manifest.h"
#include "bench/common/manifests.h"
#include "bench/operator_fleet/rollout_manifest.h"

namespace tro::bench {
namespace {

std::vector<int> sizesOf(const std::map<std::string, int>& firstWaves, int rollouts) {
  std::vector<int> sizes(static_cast<std::size_t>(std::max(rollouts, 0)), 0);
  for (const auto& entry : firstWaves) {
    const int rollout = entry.second;
    if (rollout >= 0 && rollout < rollouts) ++sizes[static_cast<std::size_t>(rollout)];
  }
  return sizes;
}

double secondsBetween(WaveTracker::Steady::time_point from, WaveTracker::Steady::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

WaveTracker::WaveTracker(std::map<std::string, int> firstWaves, int rollouts)
    : firstWaves_(std::move(firstWaves)),
      waveSizes_(sizesOf(firstWaves_, rollouts)),
      rolloutInjected_(waveSizes_.size(), 0),
      rolloutDone_(waveSizes_.size()) {}

void WaveTracker::observe(const kube::Json& deployment, Steady::time_point arrived) {
  std::string key = objectKey(deployment);
  const bool enabled = templateEnvValue(deployment, kFlag) == kEnabledValue;
  const auto wave = firstWaves_.find(key);
  std::lock_guard lock(mu_);
  bool changed = known_.insert(key).second;
  if (enabled && wave == firstWaves_.end()) {
    otherInjected_.insert(std::move(key));
  } else if (enabled && injected_.emplace(key, arrived).second) {
    const auto r = static_cast<std::size_t>(wave->second);
    if (++rolloutInjected_[r] == waveSizes_[r]) rolloutDone_[r] = arrived;
    changed = true;
  }
  if (changed) changed_.notify_all();
}

bool WaveTracker::waitKnown(std::size_t count, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, wait, [&] { return known_.size() >= count; });
}

bool WaveTracker::waitInjected(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, wait, [&] { return allInjected(); });
}

bool WaveTracker::allInjected() const { return injected_.size() == firstWaves_.size(); }

WaveTracker::Figures WaveTracker::figures(Steady::time_point since) const {
  std::lock_guard lock(mu_);
  Figures out;
  out.injected = static_cast<int>(injected_.size());
  out.otherInjected = static_cast<int>(otherInjected_.size());
  if (allInjected() && !injected_.empty()) {
    const auto last =
        std::max_element(injected_.begin(), injected_.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    out.lastSeconds = secondsBetween(since, last->second);
  }
  for (const auto& done : rolloutDone_) {
    if (done) out.perRollout.push_back(secondsBetween(since, *done));
  }
  return out;
}

}  // namespace tro::bench
