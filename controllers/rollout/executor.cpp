#include "controllers/rollout/executor.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/events.h"
#include "controllers/rollout/json_patch_diff.h"
#include "controllers/rollout/workload_kind.h"

namespace tro::controllers {

namespace {

// A failed `test` op answers 422 without causes (real API server) or 409; both mean "someone
// wrote first". A 422 with causes is the server refusing the change itself: no retry helps.
bool lostRace(const kube::Error& e) { return kube::isConflict(e) || kube::isPatchNotApplicable(e); }

kube::Error localError(std::string message) {
  kube::Error e;
  e.kind = kube::ErrorKind::Api;
  e.code = 409;
  e.reason = "Conflict";
  e.message = std::move(message);
  return e;
}

ExecutorOptions normalized(ExecutorOptions options) {
  options.maxInFlight = std::max(options.maxInFlight, 1);
  options.maxUrgentInFlight = std::max(options.maxUrgentInFlight, 1);
  options.attempts = std::max(options.attempts, 1);
  return options;
}

// A rollout without a namespace is a ClusterTelemetryRollout.
kube::ResourceType rolloutResource(const std::string& ns) {
  return ns.empty() ? kube::resources::clusterTelemetryRollouts()
                    : kube::resources::telemetryRollouts();
}

std::string rolloutName(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

}  // namespace

const char* toString(TargetOutcome::Kind kind) {
  switch (kind) {
    case TargetOutcome::Kind::Unchanged:
      return "Unchanged";
    case TargetOutcome::Kind::Written:
      return "Written";
    case TargetOutcome::Kind::Conflict:
      return "Conflict";
    case TargetOutcome::Kind::Error:
      return "Error";
  }
  return "Unknown";
}

Executor::Executor(kube::ApiClient& api, const base::Clock& clock, ExecutorOptions options,
                   kube::ApiClient* urgentApi)
    : api_(api),
      urgentApi_(urgentApi != nullptr ? *urgentApi : api),
      clock_(clock),
      options_(normalized(options)) {}

kube::Result<kube::Json> Executor::addFinalizer(const std::string& ns, const std::string& name) {
  return patchFinalizers(ns, name, true);
}

kube::Result<kube::Json> Executor::removeFinalizer(const std::string& ns, const std::string& name) {
  return patchFinalizers(ns, name, false);
}

kube::Result<kube::Json> Executor::patchFinalizers(const std::string& ns, const std::string& name,
                                                   bool add) {
  const auto type = rolloutResource(ns);
  const std::string what =
      std::string(add ? "add" : "remove") + " finalizer on " + rolloutName(ns, name);
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    auto live = api_.get(type, ns, name);
    if (!live.ok()) {
      if (!add && kube::isNotFound(live.error())) return kube::Json();
      return kube::fail(std::move(live).error().withContext(what));
    }
    const kube::Json& meta = (*live)["metadata"];
    kube::Json finalizers = meta.value("finalizers", kube::Json::array());
    auto it = std::find(finalizers.begin(), finalizers.end(), annotations::kFinalizer);
    const bool present = it != finalizers.end();
    if (present == add) return std::move(live).value();
    kube::Json patch = kube::Json::array();
    patch.push_back({{"op", "test"},
                     {"path", "/metadata/resourceVersion"},
                     {"value", meta.value("resourceVersion", "")}});
    if (add && finalizers.empty()) {
      patch.push_back({{"op", "add"},
                       {"path", "/metadata/finalizers"},
                       {"value", kube::Json::array({annotations::kFinalizer})}});
    } else if (add) {
      patch.push_back(
          {{"op", "add"}, {"path", "/metadata/finalizers/-"}, {"value", annotations::kFinalizer}});
    } else {
      patch.push_back({{"op", "remove"},
                       {"path", "/metadata/finalizers/" +
                                    std::to_string(std::distance(finalizers.begin(), it))}});
    }
    kube::PatchOptions options;
    options.fieldManager = annotations::kFieldManager;
    auto patched = api_.patch(type, ns, name, kube::PatchType::Json, patch.dump(), options);
    if (patched.ok()) return patched;
    if (!lostRace(patched.error())) return kube::fail(std::move(patched).error().withContext(what));
    if (!add && kube::isNotFound(patched.error())) return kube::Json();
  }
  return kube::fail(localError(what + ": lost " + std::to_string(options_.attempts) +
                               " times to concurrent writers"));
}

TargetOutcome Executor::writeTarget(const std::string& rolloutNs, const TargetWrite& write) {
  const TargetRef ref = targetRef(write.deployment);
  const std::string& ns = ref.namespace_.empty() ? rolloutNs : ref.namespace_;
  const auto type = workloadResource(ref.kind);
  const std::string what = std::string(toString(ref.kind)) + " " + ns + "/" + ref.name;
  kube::ApiClient& api = write.urgent ? urgentApi_ : api_;
  TargetOutcome out;
  out.deployment = write.deployment;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    // The cached copy serves the first attempt only: when it is stale, the resourceVersion
    // test fails and the next attempt reads the live object.
    auto live = attempt == 0 && write.cached ? kube::Result<kube::Json>(*write.cached)
                                             : api.get(type, ns, ref.name);
    if (!live.ok()) {
      out.kind = TargetOutcome::Kind::Error;
      out.message = "get " + what + ": " + live.error().toString();
      return out;
    }
    out.live = *live;
    auto desired = write.desired(*live);
    if (!desired.ok()) {
      out.kind = TargetOutcome::Kind::Conflict;
      out.message = desired.error().message;
      return out;
    }
    kube::Json patch = makeJsonPatch(*live, *desired);
    if (isNoOpPatch(patch)) {
      out.kind = TargetOutcome::Kind::Unchanged;
      return out;
    }
    kube::PatchOptions options;
    options.fieldManager = annotations::kFieldManager;
    const std::string body = patch.dump();
    if (!out.sentAt) out.sentAt = clock_.monotonicNow();
    auto patched = api.patch(type, ns, ref.name, kube::PatchType::Json, body, options);
    out.answeredAt = clock_.monotonicNow();
    if (patched.ok()) {
      out.kind = TargetOutcome::Kind::Written;
      out.live = std::move(patched).value();
      return out;
    }
    if (!lostRace(patched.error())) {
      out.kind = TargetOutcome::Kind::Error;
      out.message = "patch " + what + ": " + patched.error().toString();
      return out;
    }
    // Someone wrote in between: re-read and recompute on top of their change.
  }
  out.kind = TargetOutcome::Kind::Error;
  out.message = "patch " + what + ": lost " + std::to_string(options_.attempts) +
                " times to concurrent writers";
  return out;
}

std::vector<TargetOutcome> Executor::writeTargets(const std::string& ns,
                                                  std::vector<TargetWrite> writes) {
  std::stable_partition(writes.begin(), writes.end(),
                        [](const TargetWrite& w) { return w.urgent; });
  std::vector<TargetOutcome> outcomes(writes.size());
  // Urgent writes are a batch of their own, so that none of them waits behind ordinary work.
  auto runBatch = [&](size_t begin, size_t end, int maxInFlight) {
    std::atomic<size_t> next{begin};
    const size_t workers = std::min<size_t>(maxInFlight, end - begin);
    std::vector<std::jthread> threads;
    threads.reserve(workers);
    for (size_t w = 0; w < workers; ++w) {
      threads.emplace_back([&] {
        for (size_t i = next++; i < end; i = next++) outcomes[i] = writeTarget(ns, writes[i]);
      });
    }
  };  // jthreads join here
  const size_t urgent = static_cast<size_t>(
      std::count_if(writes.begin(), writes.end(), [](const TargetWrite& w) { return w.urgent; }));
  if (urgent > 0) {
    const int threads = options_.urgentBound
                            ? std::min(options_.maxUrgentInFlight, options_.urgentBound() + 1)
                            : options_.maxUrgentInFlight;
    runBatch(0, urgent, std::max(threads, 1));
  }
  if (urgent < writes.size()) runBatch(urgent, writes.size(), options_.maxInFlight);
  return outcomes;
}

kube::Result<kube::Json> Executor::writeStatus(const kube::Json& rollout, const kube::Json& status,
                                               std::string* sentVersion, kube::Json* fresh) {
  const std::string ns = rollout["metadata"].value("namespace", "");
  const std::string name = rollout["metadata"].value("name", "");
  const auto type = rolloutResource(ns);
  kube::Json object = rollout;
  object["status"] = status;
  kube::WriteOptions options;
  options.fieldManager = annotations::kFieldManager;
  if (sentVersion) *sentVersion = object["metadata"].value("resourceVersion", "");
  auto written = api_.updateStatus(type, ns, object, options);
  if (written.ok()) return written;
  if (fresh != nullptr && kube::isConflict(written.error())) {
    auto now = api_.get(type, ns, name);
    if (!now.ok()) {
      return kube::fail(std::move(now).error().withContext("re-read " + rolloutName(ns, name) +
                                                           " after a status conflict"));
    }
    *fresh = std::move(now).value();
  }
  return kube::fail(
      std::move(written).error().withContext("update status of " + rolloutName(ns, name)));
}

kube::Result<kube::Json> Executor::recordEvent(const kube::Json& involved,
                                               const PlannedEvent& event) {
  const base::TimePoint now = clock_.now();
  kube::Json body;
  EventAggregator::Decision decision;
  {
    std::lock_guard lock(mu_);
    body = makeEvent(involved, event, now, ++eventSequence_);
    decision = events_.decide(body, now);
  }
  const std::string ns = body["metadata"]["namespace"].get<std::string>();
  if (const auto* repeat = std::get_if<EventAggregator::Patch>(&decision)) {
    kube::PatchOptions options;
    options.fieldManager = annotations::kFieldManager;
    auto patched = api_.patch(kube::resources::events(), repeat->ns, repeat->name,
                              kube::PatchType::Merge, repeat->body.dump(), options);
    if (patched.ok()) {
      std::lock_guard lock(mu_);
      events_.patched(body, repeat->body["count"].get<std::int64_t>());
      return patched;
    }
    if (!kube::isNotFound(patched.error())) {
      return kube::fail(std::move(patched).error().withContext(
          "count repeated event " + event.reason + " in " + repeat->ns + "/" + repeat->name));
    }
    std::lock_guard lock(mu_);
    events_.forget(body);  // gone (expired): record it anew
  }
  kube::WriteOptions options;
  options.fieldManager = annotations::kFieldManager;
  auto created = api_.create(kube::resources::events(), ns, body, options);
  if (!created.ok()) {
    return kube::fail(
        std::move(created).error().withContext("record event " + event.reason + " in " + ns));
  }
  std::lock_guard lock(mu_);
  events_.created(*created);
  return created;
}

}  // namespace tro::controllers
