#include "kubesim/world/replicaset_controller.h"

#include <algorithm>
#include <cstdio>

#include "kubesim/world/json_util.h"
#include "kubesim/world/pod_simulator.h"
#include "kubesim/world/workload_pods.h"

namespace kubesim::world {
namespace {

const Json::json_pointer kName("/metadata/name");
const Json::json_pointer kNamespace("/metadata/namespace");

std::string rsPath(const Json& rs) {
  return "/apis/apps/v1/namespaces/" + strAt(rs, kNamespace) + "/replicasets/" + strAt(rs, kName);
}

}  // namespace

Result<void> recordEvent(SimClient& client, const tro::base::Clock& clock, const Json& object,
                         const std::string& component, const std::string& reason,
                         const std::string& message, std::mt19937_64& rng) {
  char suffix[20];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng()));
  const std::string ns = strAt(object, kNamespace);
  const std::string now = tro::base::formatRfc3339(clock.now());
  Json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", strAt(object, kName) + "." + suffix}, {"namespace", ns}}},
      {"involvedObject",
       {{"kind", object.value("kind", "")},
        {"namespace", ns},
        {"name", strAt(object, kName)},
        {"uid", strAt(object, Json::json_pointer("/metadata/uid"))},
        {"apiVersion", object.value("apiVersion", "")},
        {"resourceVersion", strAt(object, Json::json_pointer("/metadata/resourceVersion"))}}},
      {"reason", reason},
      {"message", message},
      {"source", {{"component", component}}},
      {"firstTimestamp", now},
      {"lastTimestamp", now},
      {"count", 1},
      {"type", "Normal"},
      {"eventTime", nullptr},
      {"reportingComponent", component},
      {"reportingInstance", ""}};
  auto out = client.create("/api/v1/namespaces/" + ns + "/events", event);
  if (!out) return fail(out.error());
  return {};
}

ReplicaSetController::ReplicaSetController(SimClient& client, const tro::base::Clock& clock,
                                           const WorldOptions& options)
    : client_(client), clock_(clock), rng_(options.seed), nodes_(options.workerNodes) {}

Result<void> ReplicaSetController::createPod(const Json& rs) {
  const std::string ns = strAt(rs, kNamespace);
  Json pod =
      podFromTemplate(rs, rs.value("spec", Json::object()).value("template", Json::object()));
  pod["metadata"]["generateName"] = strAt(rs, kName) + "-";
  // Our own suffix (not the server's generateName) keeps names reproducible; retry on a clash.
  for (int attempt = 0;; ++attempt) {
    pod["metadata"]["name"] = strAt(rs, kName) + "-" + randomPodSuffix(rng_);
    placePod(pod, nodes_);
    auto created = client_.create("/api/v1/namespaces/" + ns + "/pods", pod);
    if (created) {
      return recordEvent(client_, clock_, rs, "replicaset-controller", "SuccessfulCreate",
                         "Created pod: " + strAt(*created, kName), rng_);
    }
    if (created.error().code != 409 || attempt >= 3) return fail(created.error());
  }
}

Result<void> ReplicaSetController::updateStatus(const Json& rs, const std::vector<Json>& pods) {
  const Json wantedLabels = rs.value("spec", Json::object())
                                .value("template", Json::object())
                                .value("metadata", Json::object())
                                .value("labels", Json::object());
  const int minReady = static_cast<int>(intAt(rs, Json::json_pointer("/spec/minReadySeconds")));
  const auto now = clock_.now();
  std::int64_t labeled = 0, ready = 0, avail = 0;
  for (const Json& p : pods) {
    labeled += podLabelsMatch(p, wantedLabels) ? 1 : 0;
    ready += PodSimulator::isReady(p) ? 1 : 0;
    avail += podAvailable(p, minReady, now) ? 1 : 0;
  }
  const Json have = rs.value("status", Json::object());
  Json patch = Json::object();
  auto put = [&](const char* key, std::int64_t v, bool omitZero) {
    const Json want = (v == 0 && omitZero) ? Json(nullptr) : Json(v);
    const Json cur = have.contains(key) ? have[key] : Json(nullptr);
    if (cur != want) patch[key] = want;
  };
  put("replicas", static_cast<std::int64_t>(pods.size()), false);
  put("fullyLabeledReplicas", labeled, true);
  put("readyReplicas", ready, true);
  put("availableReplicas", avail, true);
  put("observedGeneration", intAt(rs, Json::json_pointer("/metadata/generation")), true);
  if (patch.empty()) return {};
  auto out = client_.mergePatch(rsPath(rs), Json{{"status", patch}}, true);
  if (!out) return fail(out.error());
  return {};
}

Result<void> ReplicaSetController::reconcile(const Json& rs, const std::vector<Json>& pods) {
  if (terminating(rs)) return {};
  // Clamped to [0, kMaxSimulatedReplicas]: a ReplicaSet with spec.replicas -5 (the server does
  // not validate ReplicaSets) must not make the victim loop below read past the pod list.
  const std::int64_t desired = replicasAt(rs, Json::json_pointer("/spec/replicas"), 1);
  const auto diff = desired - static_cast<std::int64_t>(pods.size());
  for (std::int64_t i = 0; i < diff; ++i) {
    if (auto r = createPod(rs); !r) return r;
  }
  if (diff < 0) {
    std::vector<Json> victims = pods;
    // Unready pods go first, then the newest (Kubernetes' ActivePods ordering, simplified).
    std::stable_sort(victims.begin(), victims.end(), [](const Json& a, const Json& b) {
      const bool ra = PodSimulator::isReady(a), rb = PodSimulator::isReady(b);
      if (ra != rb) return !ra;
      return strAt(a, Json::json_pointer("/metadata/creationTimestamp")) >
             strAt(b, Json::json_pointer("/metadata/creationTimestamp"));
    });
    for (std::size_t i = 0; i < static_cast<std::size_t>(-diff) && i < victims.size(); ++i) {
      const Json& p = victims[i];
      if (auto out = deletePod(client_, p); !out) return out;
      auto ev = recordEvent(client_, clock_, rs, "replicaset-controller", "SuccessfulDelete",
                            "Deleted pod: " + strAt(p, kName), rng_);
      if (!ev) return ev;
    }
  }
  return updateStatus(rs, pods);
}

}  // namespace kubesim::world
