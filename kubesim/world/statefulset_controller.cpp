#include "kubesim/world/statefulset_controller.h"

#include <algorithm>

#include "kubesim/world/json_util.h"
#include "kubesim/world/pod_simulator.h"
#include "kubesim/world/replicaset_controller.h"
#include "kubesim/world/template_hash.h"
#include "kubesim/world/workload_pods.h"

namespace kubesim::world {
namespace {

const Json::json_pointer kName("/metadata/name");
const Json::json_pointer kNamespace("/metadata/namespace");
constexpr const char* kRevisionLabel = "controller-revision-hash";
constexpr const char* kComponent = "statefulset-controller";

bool healthy(const Json& pod) { return !terminating(pod) && PodSimulator::isReady(pod); }

std::string revisionOf(const Json& pod) {
  return strAt(pod, Json::json_pointer("/metadata/labels/" + std::string(kRevisionLabel)));
}

// The ordinal in `<set>-<ordinal>`, or -1 for a name of another shape.
int ordinalOf(const std::string& setName, const std::string& podName) {
  if (podName.size() <= setName.size() + 1 || podName.compare(0, setName.size(), setName) != 0 ||
      podName[setName.size()] != '-') {
    return -1;
  }
  const std::string digits = podName.substr(setName.size() + 1);
  if (digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return -1;
  return std::stoi(digits);
}

}  // namespace

struct StatefulSetController::View {
  const Json& set;
  std::string name;
  int replicas = 1;
  bool orderedReady = true;
  bool onDelete = false;
  int partition = 0;
  std::string updateRevision;
  std::string currentRevision;
  std::map<int, const Json*> byOrdinal;  // ordinals 0..replicas-1 and beyond (to scale down)
  const std::vector<Json>& pods;
  std::map<std::string, Json>* templates = nullptr;  // by revision name
};

StatefulSetController::StatefulSetController(SimClient& client, const tro::base::Clock& clock,
                                             std::uint64_t seed, std::vector<std::string> nodes)
    : client_(client), clock_(clock), rng_(seed ^ 0x5757), nodes_(std::move(nodes)) {}

Result<void> StatefulSetController::reconcile(const Json& set, const std::vector<Json>& pods) {
  if (terminating(set)) return {};
  const Json spec = set.value("spec", Json::object());
  View v{set,
         strAt(set, kName),
         replicasAt(set, Json::json_pointer("/spec/replicas"), 1),
         true,
         false,
         0,
         "",
         "",
         {},
         pods};
  v.orderedReady = strAt(set, Json::json_pointer("/spec/podManagementPolicy")) != "Parallel";
  v.onDelete = strAt(set, Json::json_pointer("/spec/updateStrategy/type")) == "OnDelete";
  v.partition = static_cast<int>(std::clamp<std::int64_t>(
      intAt(set, Json::json_pointer("/spec/updateStrategy/rollingUpdate/partition")), 0,
      kMaxSimulatedReplicas));
  const Json tmpl = spec.value("template", Json::object());
  v.updateRevision = v.name + "-" + podTemplateHash(tmpl);
  v.currentRevision = strAt(set, Json::json_pointer("/status/currentRevision"));
  if (v.currentRevision.empty()) v.currentRevision = v.updateRevision;
  auto& known = templates_[strAt(set, Json::json_pointer("/metadata/uid"))];
  std::erase_if(known, [&](const auto& e) {
    return e.first != v.currentRevision && e.first != v.updateRevision;
  });
  known[v.updateRevision] = tmpl;
  v.templates = &known;
  for (const Json& p : pods) {
    if (int i = ordinalOf(v.name, strAt(p, kName)); i >= 0) v.byOrdinal[i] = &p;
  }
  if (auto r = step(v); !r) return r;
  return writeStatus(v);
}

Result<void> StatefulSetController::step(const View& v) {
  // Create what is missing, lowest ordinal first; OrderedReady waits for each to be Ready.
  for (int i = 0; i < v.replicas; ++i) {
    auto it = v.byOrdinal.find(i);
    if (it == v.byOrdinal.end()) {
      // Below the partition a pod keeps the current revision (when its template is known).
      auto revision = v.templates->find(v.currentRevision);
      if (v.onDelete || i >= v.partition || revision == v.templates->end()) {
        revision = v.templates->find(v.updateRevision);
      }
      if (auto r = createPod(v, i, revision->second, revision->first); !r || v.orderedReady) {
        return r;
      }
      continue;
    }
    if (!healthy(*it->second) && v.orderedReady) return {};
  }
  // Scale down from the highest ordinal; OrderedReady waits for each to be gone.
  std::vector<const Json*> condemned;
  for (auto it = v.byOrdinal.rbegin(); it != v.byOrdinal.rend() && it->first >= v.replicas; ++it) {
    if (!terminating(*it->second)) {
      condemned.push_back(it->second);
    } else if (v.orderedReady) {
      return {};
    }
  }
  for (const Json* pod : condemned) {
    if (auto r = removePod(v, *pod); !r || v.orderedReady) return r;
  }
  if (v.onDelete) return {};
  // RollingUpdate: the highest ordinal not at the update revision, while every pod is Ready.
  for (int i = v.replicas - 1; i >= v.partition; --i) {
    auto it = v.byOrdinal.find(i);
    if (it == v.byOrdinal.end()) return {};
    const Json& pod = *it->second;
    if (revisionOf(pod) == v.updateRevision) {
      if (!healthy(pod)) return {};
      continue;
    }
    const bool allReady = std::all_of(v.byOrdinal.begin(), v.byOrdinal.end(), [&](const auto& e) {
      return e.first >= v.replicas || healthy(*e.second);
    });
    if (!allReady || terminating(pod)) return {};
    return removePod(v, pod);
  }
  return {};
}

Result<void> StatefulSetController::createPod(const View& v, int ordinal, const Json& podTemplate,
                                              const std::string& revision) {
  Json pod = podFromTemplate(v.set, podTemplate);
  const std::string name = v.name + "-" + std::to_string(ordinal);
  Json& md = pod["metadata"];
  md["name"] = name;
  if (!md.contains("labels") || !md["labels"].is_object()) md["labels"] = Json::object();
  md["labels"][kRevisionLabel] = revision;
  md["labels"]["statefulset.kubernetes.io/pod-name"] = name;
  md["labels"]["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
  pod["spec"]["hostname"] = name;
  placePod(pod, nodes_);
  if (auto service = strAt(v.set, Json::json_pointer("/spec/serviceName")); !service.empty()) {
    pod["spec"]["subdomain"] = service;
  }
  auto created = client_.create("/api/v1/namespaces/" + strAt(v.set, kNamespace) + "/pods", pod);
  if (!created) return fail(created.error());
  return recordEvent(client_, clock_, v.set, kComponent, "SuccessfulCreate",
                     "create Pod " + name + " in StatefulSet " + v.name + " successful", rng_);
}

Result<void> StatefulSetController::removePod(const View& v, const Json& pod) {
  if (auto r = deletePod(client_, pod); !r) return r;
  return recordEvent(
      client_, clock_, v.set, kComponent, "SuccessfulDelete",
      "delete Pod " + strAt(pod, kName) + " in StatefulSet " + v.name + " successful", rng_);
}

Result<void> StatefulSetController::writeStatus(const View& v) {
  const std::int64_t minReady = intAt(v.set, Json::json_pointer("/spec/minReadySeconds"));
  const auto now = clock_.now();
  std::int64_t replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  for (const Json& p : v.pods) {
    ++replicas;
    ready += PodSimulator::isReady(p) ? 1 : 0;
    available += podAvailable(p, minReady, now) ? 1 : 0;
    if (terminating(p)) continue;
    current += revisionOf(p) == v.currentRevision ? 1 : 0;
    updated += revisionOf(p) == v.updateRevision ? 1 : 0;
  }
  std::string currentRevision = v.currentRevision;
  if (!v.onDelete && updated == replicas && ready == replicas) {
    currentRevision = v.updateRevision;
    current = updated;
  }
  const Json have = v.set.value("status", Json::object());
  Json patch = Json::object();
  auto put = [&](const char* key, const Json& value, bool omitEmpty) {
    const bool empty = value == 0 || value == "";
    const Json want = empty && omitEmpty ? Json(nullptr) : value;
    const Json cur = have.contains(key) ? have[key] : Json(nullptr);
    if (cur != want) patch[key] = want;
  };
  put("observedGeneration", intAt(v.set, Json::json_pointer("/metadata/generation")), true);
  put("replicas", replicas, false);
  put("readyReplicas", ready, true);
  put("currentReplicas", current, true);
  put("updatedReplicas", updated, true);
  put("currentRevision", currentRevision, true);
  put("updateRevision", v.updateRevision, true);
  put("collisionCount", 0, false);
  put("availableReplicas", available, false);
  if (patch.empty()) return {};
  auto out = client_.mergePatch(
      "/apis/apps/v1/namespaces/" + strAt(v.set, kNamespace) + "/statefulsets/" + v.name,
      Json{{"status", patch}}, true);
  if (!out) return fail(out.error());
  return {};
}

}  // namespace kubesim::world
