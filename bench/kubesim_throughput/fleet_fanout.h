#pragma once
// Watch fan-out under writes: `watchers` cluster-wide Deployment watches (each a DeploymentWatch
// on the shared client, so each its own connection) are open, and have received every Deployment
// of the fleet, while `changes` Deployments each get one merge PATCH of annotation
// kFanoutAnnotation to a value of their own, sent from `threads` client threads. For every watcher
// and change the lag is the moment the watcher received the Deployment with that value minus the
// moment the PATCH's answer arrived here (negative when the event came first); a watcher's figure
// is its largest lag.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bench/common/fleet_manifest.h"
#include "bench/common/parallel.h"
#include "operator/kube/api_client.h"

namespace tro::bench {

inline constexpr const char* kFanoutAnnotation = "bench.telemetry.io/fanout";

struct WatcherLag {
  std::optional<double> maxLagMs;  // nullopt when it received none of the changes
  int received = 0;                // changes it received
  int missing = 0;                 // successful changes it never received within the wait
  int resyncs = 0;
  std::string error;  // the watch's last failure, "" when none
};

struct FanoutFigures {
  ParallelResult patches;
  std::vector<WatcherLag> watchers;
  std::string error;  // a watch could not start, or a watcher missed changes
};

FanoutFigures measureFanout(kube::ApiClient& client, const FleetShape& shape, int watchers,
                            int changes, int threads, std::chrono::milliseconds wait);

}  // namespace tro::bench
