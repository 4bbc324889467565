#pragma once
// kubesim with a fleet (`--fleet N`): in a freshly started kubesim, N Deployments of `replicas`
// replicas spread over `namespaces` namespaces are created from `threads` client threads and
// rolled out; then, in this order: kubesim's memory, the simulated pod count, kubesim's CPU while
// nothing changes, GET of one Deployment, paged LIST of all of them, merge PATCH throughput, watch
// fan-out (fleet_fanout.h), and the deletion of 100 Deployments until their ReplicaSets and pods
// are gone. Each figure is left empty (and the phase's error recorded) when its phase fails;
// later phases still run once the fleet exists.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/common/fleet_manifest.h"
#include "bench/common/fleet_rollout.h"
#include "bench/common/parallel.h"
#include "bench/common/proc_stats.h"
#include "bench/kubesim_throughput/fleet_fanout.h"
#include "bench/kubesim_throughput/load.h"
#include "operator/kube/api_client.h"

namespace tro::bench {

struct FleetOptions {
  FleetShape shape;
  int threads = 4;                               // every client-side load
  std::chrono::milliseconds loadDuration{5000};  // GET and PATCH loads
  std::uint64_t maxRequests = 200000;            // ... bound on their requests
  std::chrono::milliseconds idleWindow{10000};   // CPU while nothing changes
  std::chrono::milliseconds rolloutTimeout{300000};
  int listLimit = 500;
  int listRepetitions = 3;
  int watchers = 5;
  int watchedChanges = 1000;
  std::chrono::milliseconds fanoutWait{30000};
  std::chrono::milliseconds deleteTimeout{60000};
};

struct PhaseError {
  std::string phase;  // create, rollout, memory, pods, idle-cpu, get, list, patch, fanout, delete
  std::string message;
};

struct FleetResult {
  FleetOptions options;
  pid_t pid = 0;
  std::string processName;  // /proc/<pid>/comm: "kubesim" when the right process is measured
  std::optional<MemoryUsage> memoryIdle;       // before the fleet
  std::optional<ParallelResult> create;        // N creates
  RolloutFigures rollout;                      // last create answered -> all rolled out
  std::optional<MemoryUsage> memoryRolledOut;  // right after the rollout
  std::optional<std::size_t> pods;             // LIST pods, all namespaces
  std::optional<double> idleCpuPercent;        // of one core, over options.idleWindow
  std::optional<LoadResult> get;
  std::vector<double> listSeconds;  // per repetition that listed all N
  std::optional<int> listPages;
  std::optional<LoadResult> patch;
  std::optional<FanoutFigures> fanout;
  std::optional<ParallelResult> deletes;
  std::optional<double> deleteSeconds;   // first DELETE sent -> no ReplicaSet or pod of them left
  std::optional<MemoryUsage> memoryEnd;  // after every phase
  std::vector<PhaseError> errors;
  bool ok() const { return errors.empty(); }
  // The message of `phase`'s error, "" when it has none.
  std::string errorOf(const std::string& phase) const;
};

// `pid` is kubesim's process id (its /proc entries are read); `client` talks to that kubesim,
// which must hold nothing yet.
FleetResult runFleet(kube::ApiClient& client, pid_t pid, const FleetOptions& options);

}  // namespace tro::bench
