#include "bench/common/fleet_rollout.h"

#include <condition_variable>
#include <map>
#include <mutex>

#include "bench/common/deployment_watch.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

// Fed by the watch thread; read by the waiting caller.
class RolloutTracker {
 public:
  RolloutTracker(int expected, int replicas) : expected_(expected), replicas_(replicas) {}

  void observe(const kube::Json& deployment, Steady::time_point arrived) {
    const bool done = fleetRolledOut(deployment, replicas_);
    const std::string key = objectKey(deployment);
    std::lock_guard lock(mu_);
    const auto it = rolledOut_.try_emplace(key, false).first;
    if (it->second != done) {
      it->second = done;
      count_ += done ? 1 : -1;
    }
    if (count_ >= expected_ && !allAt_) {
      allAt_ = arrived;
      changed_.notify_all();
    }
  }

  // True when all are rolled out; false after `wait` without that.
  bool waitFor(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, wait, [&] { return allAt_.has_value(); });
  }

  void fill(RolloutFigures& out, Steady::time_point since) const {
    std::lock_guard lock(mu_);
    out.rolledOut = count_;
    out.seen = static_cast<int>(rolledOut_.size());
    if (allAt_) out.seconds = std::chrono::duration<double>(*allAt_ - since).count();
  }

 private:
  const int expected_;
  const int replicas_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, bool> rolledOut_;    // guarded by mu_; "<ns>/<name>" -> rolled out
  int count_ = 0;                            // guarded by mu_; trues in rolledOut_
  std::optional<Steady::time_point> allAt_;  // guarded by mu_
};

}  // namespace

RolloutFigures waitRolledOut(kube::ApiClient& client, const FleetShape& shape,
                             Steady::time_point since, std::chrono::milliseconds timeout) {
  RolloutFigures out;
  RolloutTracker tracker(shape.deployments, shape.replicas);
  auto watch = DeploymentWatch::start(
      client, [&tracker](const kube::Json& d, Steady::time_point t) { tracker.observe(d, t); });
  if (!watch.ok()) {
    out.error = "watch deployments: " + watch.error().toString();
    return out;
  }
  const auto deadline = Steady::now() + timeout;
  bool all = false;
  while (!all && !(*watch)->failed() && Steady::now() < deadline) {
    all = tracker.waitFor(std::chrono::seconds(1));  // bounded: re-checks health and deadline
  }
  tracker.fill(out, since);
  out.resyncs = (*watch)->resyncs();
  if (!all) {
    out.error = std::to_string(out.rolledOut) + " of " + std::to_string(shape.deployments) +
                " rolled out after " +
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                " s";
    if (const std::string e = (*watch)->error(); !e.empty()) out.error += "; watch: " + e;
  }
  return out;
}

}  // namespace tro::bench
