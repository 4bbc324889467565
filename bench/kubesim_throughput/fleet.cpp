#include "bench/kubesim_throughput/fleet.h"

#include <algorithm>
#include <thread>

#include "bench/common/fleet_create.h"
#include "bench/common/paged_list.h"
#include "bench/common/poll.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

double since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

void fail(FleetResult& r, const char* phase, std::string message) {
  r.errors.push_back({phase, std::move(message)});
}

std::string failures(std::uint64_t failed, std::uint64_t total, const std::string& first) {
  return std::to_string(failed) + " of " + std::to_string(total) + " failed; first: " + first;
}

// The namespaces, then the Deployments from options.threads clients. False when any failed.
bool createPhase(kube::ApiClient& client, FleetResult& r) {
  auto created = createFleet(client, r.options.shape, r.options.threads);
  if (!created.ok()) {
    fail(r, "create", created.error());
    return false;
  }
  r.create = std::move(created).value();
  if (r.create->failed == 0) return true;
  fail(r, "create",
       failures(r.create->failed, static_cast<std::uint64_t>(r.options.shape.deployments),
                r.create->firstError));
  return false;
}

// utime + stime of `pid` over `window`, as a percentage of one core.
std::optional<double> idleCpuPercent(pid_t pid, std::chrono::milliseconds window) {
  const auto before = readCpuSeconds(pid);
  const auto start = Steady::now();
  std::this_thread::sleep_for(window);  // the measurement window, not synchronisation
  const auto after = readCpuSeconds(pid);
  const double wall = since(start);
  if (!before || !after || wall <= 0) return std::nullopt;
  return (*after - *before) / wall * 100.0;
}

LoadOptions loadOptions(const FleetOptions& o) {
  LoadOptions load;
  load.threads = o.threads;
  load.duration = o.loadDuration;
  load.maxRequests = o.maxRequests;
  return load;
}

void measureList(kube::ApiClient& client, FleetResult& r) {
  const int n = r.options.shape.deployments;
  for (int rep = 0; rep < r.options.listRepetitions; ++rep) {
    const auto start = Steady::now();
    auto listed = listAllPages(client, kube::resources::deployments(), "", r.options.listLimit);
    const double seconds = since(start);
    if (!listed.ok()) return fail(r, "list", listed.error().toString());
    if (listed->items != static_cast<std::size_t>(n)) {
      return fail(r, "list",
                  "listed " + std::to_string(listed->items) + " of " + std::to_string(n));
    }
    r.listSeconds.push_back(seconds);
    r.listPages = listed->pages;
  }
}

// Every PATCH a real change: annotation bench.telemetry.io/seq takes the request's number, on
// Deployment (number mod N).
LoadResult patchLoad(kube::ApiClient& client, const FleetOptions& o) {
  const FleetShape& shape = o.shape;
  return runLoad("PATCH deployment", loadOptions(o), [&](int, std::uint64_t seq) {
    const int i = static_cast<int>(seq % static_cast<std::uint64_t>(shape.deployments));
    const std::string body =
        R"({"metadata":{"annotations":{"bench.telemetry.io/seq":")" + std::to_string(seq) + "\"}}}";
    return errorOf(client.patch(kube::resources::deployments(), fleetNamespace(shape, i),
                                fleetName(i), kube::PatchType::Merge, body,
                                {"tro-bench", false, "", false}));
  });
}

// How many objects of `type` match `selector` in all namespaces; nullopt (with `why`) on error.
std::optional<std::size_t> countMatching(kube::ApiClient& client, const kube::ResourceType& type,
                                         const std::string& selector, std::string& why) {
  kube::ListOptions options;
  options.labelSelector = selector;
  auto listed = client.list(type, "", options);
  if (!listed.ok()) {
    why = listed.error().toString();
    return std::nullopt;
  }
  const kube::Json& items = (*listed)["items"];
  return items.is_array() ? items.size() : std::size_t{0};
}

// Deletes the first group of 100 Deployments (Background propagation) from options.threads
// clients, then polls their ReplicaSets and pods by label until none is left.
void measureDelete(kube::ApiClient& client, FleetResult& r) {
  const FleetShape& shape = r.options.shape;
  const int count = std::min(kFleetGroupSize, shape.deployments);
  kube::DeleteOptions background;
  background.propagationPolicy = "Background";
  const auto start = Steady::now();
  r.deletes = runEach(count, r.options.threads, [&](int i) {
    return errorOf(client.remove(kube::resources::deployments(), fleetNamespace(shape, i),
                                 fleetName(i), background));
  });
  if (r.deletes->failed > 0) {
    return fail(
        r, "delete",
        failures(r.deletes->failed, static_cast<std::uint64_t>(count), r.deletes->firstError));
  }
  const std::string selector = fleetGroupSelector(0);
  std::string why;
  const bool gone = pollUntil(
      [&] {
        const auto replicaSets = countMatching(client, replicaSetsType(), selector, why);
        const auto pods = countMatching(client, podsType(), selector, why);
        if (replicaSets && pods) {
          why = std::to_string(*replicaSets) + " ReplicaSets and " + std::to_string(*pods) +
                " pods left";
        }
        return replicaSets == std::size_t{0} && pods == std::size_t{0};
      },
      r.options.deleteTimeout, std::chrono::milliseconds(50));
  if (gone) {
    r.deleteSeconds = since(start);
  } else {
    fail(r, "delete", "not gone within the timeout: " + why);
  }
}

void measureFleet(kube::ApiClient& client, pid_t pid, FleetResult& r) {
  const FleetOptions& o = r.options;
  r.rollout = waitRolledOut(client, o.shape, r.create->lastAnswer, o.rolloutTimeout);
  if (!r.rollout.error.empty()) fail(r, "rollout", r.rollout.error);
  r.memoryRolledOut = readMemory(pid);
  if (!r.memoryRolledOut) fail(r, "memory", "cannot read /proc/" + std::to_string(pid) + "/status");
  if (auto pods = listAllPagesOrWhole(client, podsType(), "", o.listLimit); pods.ok()) {
    r.pods = pods->items;
  } else {
    fail(r, "pods", pods.error().toString());
  }
  r.idleCpuPercent = idleCpuPercent(pid, o.idleWindow);
  if (!r.idleCpuPercent) fail(r, "idle-cpu", "cannot read /proc/" + std::to_string(pid) + "/stat");
  r.get = runLoad("GET deployment", loadOptions(o), [&](int, std::uint64_t) {
    return errorOf(
        client.get(kube::resources::deployments(), fleetNamespace(o.shape, 0), fleetName(0)));
  });
  if (r.get->failed > 0) {
    fail(r, "get", failures(r.get->failed, r.get->succeeded + r.get->failed, r.get->firstError));
  }
  measureList(client, r);
  r.patch = patchLoad(client, o);
  if (r.patch->failed > 0) {
    fail(r, "patch",
         failures(r.patch->failed, r.patch->succeeded + r.patch->failed, r.patch->firstError));
  }
  r.fanout = measureFanout(client, o.shape, o.watchers, o.watchedChanges, o.threads, o.fanoutWait);
  if (!r.fanout->error.empty()) fail(r, "fanout", r.fanout->error);
  if (r.fanout->patches.failed > 0) {
    fail(r, "fanout",
         "patches: " + failures(r.fanout->patches.failed,
                                r.fanout->patches.failed + r.fanout->patches.succeeded,
                                r.fanout->patches.firstError));
  }
  measureDelete(client, r);
}

}  // namespace

std::string FleetResult::errorOf(const std::string& phase) const {
  for (const PhaseError& e : errors) {
    if (e.phase == phase) return e.message;
  }
  return "";
}

FleetResult runFleet(kube::ApiClient& client, pid_t pid, const FleetOptions& options) {
  FleetResult r;
  r.options = options;
  r.pid = pid;
  r.processName = readProcessName(pid);
  r.memoryIdle = readMemory(pid);
  if (createPhase(client, r)) measureFleet(client, pid, r);
  r.memoryEnd = readMemory(pid);
  return r;
}

}  // namespace tro::bench
