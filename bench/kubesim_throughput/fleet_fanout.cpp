#include "bench/kubesim_throughput/fleet_fanout.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "bench/common/deployment_watch.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

std::string changeValue(int index) { return "change-" + std::to_string(index); }

std::string changeKey(const FleetShape& shape, int index) {
  return fleetNamespace(shape, index) + "/" + fleetName(index) + "=" + changeValue(index);
}

// Which Deployments each watcher knows, and when it first received each expected change; fed by
// the watch threads.
class ArrivalLog {
 public:
  ArrivalLog(int watchers, std::set<std::string> expected)
      : expected_(std::move(expected)),
        known_(static_cast<std::size_t>(watchers)),
        arrivals_(static_cast<std::size_t>(watchers)) {}

  void observe(int watcher, const kube::Json& deployment, Steady::time_point arrived) {
    const auto w = static_cast<std::size_t>(watcher);
    const std::string object = objectKey(deployment);
    const std::string value = annotationOf(deployment, kFanoutAnnotation);
    std::string key = object + "=" + value;
    const bool expected = !value.empty() && expected_.contains(key);
    std::lock_guard lock(mu_);
    const bool added = known_[w].insert(object).second;
    const bool arrival = expected && arrivals_[w].emplace(std::move(key), arrived).second;
    if (added || arrival) changed_.notify_all();
  }

  // True when every watcher knows at least `count` Deployments within `wait`: their streams
  // have delivered the initial ADDED events.
  bool waitKnown(std::size_t count, std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, wait, [&] {
      return std::all_of(known_.begin(), known_.end(),
                         [&](const auto& k) { return k.size() >= count; });
    });
  }

  // True when every watcher received every expected change within `wait`.
  bool waitAll(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, wait, [&] {
      return std::all_of(arrivals_.begin(), arrivals_.end(),
                         [&](const auto& a) { return a.size() == expected_.size(); });
    });
  }

  std::optional<Steady::time_point> arrival(int watcher, const std::string& key) const {
    std::lock_guard lock(mu_);
    const auto& a = arrivals_[static_cast<std::size_t>(watcher)];
    const auto it = a.find(key);
    if (it == a.end()) return std::nullopt;
    return it->second;
  }

 private:
  const std::set<std::string> expected_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::set<std::string>> known_;                         // guarded by mu_
  std::vector<std::map<std::string, Steady::time_point>> arrivals_;  // guarded by mu_
};

WatcherLag lagOf(const ArrivalLog& log, int watcher, const FleetShape& shape,
                 const ParallelResult& patches) {
  WatcherLag out;
  for (std::size_t i = 0; i < patches.answeredAt.size(); ++i) {
    const auto& answered = patches.answeredAt[i];
    if (!answered) continue;  // the PATCH failed: counted with the patches
    const auto arrived = log.arrival(watcher, changeKey(shape, static_cast<int>(i)));
    if (!arrived) {
      ++out.missing;
      continue;
    }
    ++out.received;
    const double lag = std::chrono::duration<double, std::milli>(*arrived - *answered).count();
    out.maxLagMs = out.maxLagMs ? std::max(*out.maxLagMs, lag) : lag;
  }
  return out;
}

}  // namespace

FanoutFigures measureFanout(kube::ApiClient& client, const FleetShape& shape, int watchers,
                            int changes, int threads, std::chrono::milliseconds wait) {
  FanoutFigures out;
  changes = std::min(changes, shape.deployments);
  std::set<std::string> expected;
  for (int i = 0; i < changes; ++i) expected.insert(changeKey(shape, i));
  ArrivalLog log(watchers, std::move(expected));
  std::vector<std::unique_ptr<DeploymentWatch>> watches;  // destroyed (joined) before `log`
  for (int w = 0; w < watchers; ++w) {
    auto watch = DeploymentWatch::start(
        client, [&log, w](const kube::Json& d, Steady::time_point t) { log.observe(w, d, t); });
    if (!watch.ok()) {
      out.error = "watcher " + std::to_string(w) + ": " + watch.error().toString();
      return out;
    }
    watches.push_back(std::move(watch).value());
  }
  // Changes start once every watcher has taken in the fleet, so no lag includes that.
  if (!log.waitKnown(static_cast<std::size_t>(shape.deployments), wait)) {
    out.error = "the watchers did not receive every Deployment within the wait";
    return out;
  }
  out.patches = runEach(changes, threads, [&](int i) -> std::optional<kube::Error> {
    const std::string body = R"({"metadata":{"annotations":{")" + std::string(kFanoutAnnotation) +
                             R"(":")" + changeValue(i) + "\"}}}";
    auto r = client.patch(kube::resources::deployments(), fleetNamespace(shape, i), fleetName(i),
                          kube::PatchType::Merge, body, {"tro-bench", false, "", false});
    if (!r.ok()) return r.error();
    return std::nullopt;
  });
  const bool all = log.waitAll(wait);
  for (int w = 0; w < watchers; ++w) {
    WatcherLag lag = lagOf(log, w, shape, out.patches);
    lag.resyncs = watches[static_cast<std::size_t>(w)]->resyncs();
    lag.error = watches[static_cast<std::size_t>(w)]->error();
    out.watchers.push_back(std::move(lag));
  }
  if (!all) out.error = "not every watcher received every change within the wait";
  return out;
}

}  // namespace tro::bench
