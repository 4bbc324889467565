#include "kubesim/world/daemonset_controller.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "kubesim/world/json_util.h"
#include "kubesim/world/pod_simulator.h"
#include "kubesim/world/replicaset_controller.h"
#include "kubesim/world/template_hash.h"
#include "kubesim/world/workload_pods.h"

namespace kubesim::world {
namespace {

const Json::json_pointer kName("/metadata/name");
const Json::json_pointer kNamespace("/metadata/namespace");
const Json::json_pointer kNodeName("/spec/nodeName");
constexpr const char* kHashLabel = "controller-revision-hash";
constexpr const char* kComponent = "daemonset-controller";

std::string hashOf(const Json& pod) {
  return strAt(pod, Json::json_pointer("/metadata/labels/" + std::string(kHashLabel)));
}

// maxUnavailable as a number of nodes: an integer, or a percentage rounded up; at least 1.
int maxUnavailable(const Json& set, int desired) {
  const Json::json_pointer p("/spec/updateStrategy/rollingUpdate/maxUnavailable");
  if (!set.contains(p)) return 1;
  const Json& v = set.at(p);
  std::int64_t n = 1;
  if (v.is_number_integer()) n = v.get<std::int64_t>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (!s.empty() && s.back() == '%' && s.size() <= 4 &&
        std::all_of(s.begin(), s.end() - 1, ::isdigit) && s.size() > 1) {
      n = static_cast<std::int64_t>(std::ceil(std::stoi(s) * desired / 100.0));
    }
  }
  return static_cast<int>(std::clamp<std::int64_t>(n, 1, std::max(desired, 1)));
}

Json nodeAffinity(const std::string& node) {
  return {
      {"nodeAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         {{"nodeSelectorTerms",
           Json::array({{{"matchFields", Json::array({{{"key", "metadata.name"},
                                                       {"operator", "In"},
                                                       {"values", Json::array({node})}}})}}})}}}}}};
}

}  // namespace

DaemonSetController::DaemonSetController(SimClient& client, const tro::base::Clock& clock,
                                         std::vector<std::string> nodes, std::uint64_t seed)
    : client_(client), clock_(clock), nodes_(std::move(nodes)), rng_(seed ^ 0xdae) {}

Result<void> DaemonSetController::reconcile(const Json& set, const std::vector<Json>& pods) {
  if (terminating(set)) return {};
  const std::string hash =
      podTemplateHash(set.value("spec", Json::object()).value("template", Json::object()));
  std::map<std::string, std::vector<const Json*>> byNode;
  for (const Json& p : pods) byNode[strAt(p, kNodeName)].push_back(&p);
  std::vector<const Json*> placed;  // the one pod kept on each node, in node order
  for (const std::string& node : nodes_) {
    auto it = byNode.find(node);
    if (it == byNode.end()) {
      if (auto r = createPod(set, node, hash); !r) return r;
      continue;
    }
    // Keep an up-to-date Ready pod if there is one, else the first; delete the rest.
    auto& onNode = it->second;
    std::stable_partition(onNode.begin(), onNode.end(), [&](const Json* p) {
      return hashOf(*p) == hash && PodSimulator::isReady(*p);
    });
    placed.push_back(onNode.front());
    for (std::size_t i = 1; i < onNode.size(); ++i) {
      if (auto r = removePod(set, *onNode[i]); !r) return r;
    }
    byNode.erase(it);
  }
  for (const auto& [node, strays] : byNode) {  // on no simulated node
    for (const Json* p : strays) {
      if (auto r = removePod(set, *p); !r) return r;
    }
  }
  if (strAt(set, Json::json_pointer("/spec/updateStrategy/type")) != "OnDelete") {
    if (auto r = rollingUpdate(set, placed, hash); !r) return r;
  }
  return writeStatus(set, pods, hash);
}

Result<void> DaemonSetController::rollingUpdate(const Json& set,
                                                const std::vector<const Json*>& placed,
                                                const std::string& hash) {
  const std::int64_t minReady = intAt(set, Json::json_pointer("/spec/minReadySeconds"));
  const auto now = clock_.now();
  int unavailable = static_cast<int>(nodes_.size() - placed.size());
  std::vector<const Json*> oldAvailable;
  for (const Json* p : placed) {
    const bool available = podAvailable(*p, minReady, now);
    if (!available) ++unavailable;
    if (hashOf(*p) == hash) continue;
    if (!available) {
      if (auto r = removePod(set, *p); !r) return r;  // an old unavailable pod goes at once
    } else {
      oldAvailable.push_back(p);
    }
  }
  int budget = maxUnavailable(set, static_cast<int>(nodes_.size())) - unavailable;
  for (const Json* p : oldAvailable) {
    if (budget-- <= 0) break;
    if (auto r = removePod(set, *p); !r) return r;
  }
  return {};
}

Result<void> DaemonSetController::createPod(const Json& set, const std::string& node,
                                            const std::string& hash) {
  Json pod =
      podFromTemplate(set, set.value("spec", Json::object()).value("template", Json::object()));
  Json& md = pod["metadata"];
  md["generateName"] = strAt(set, kName) + "-";
  if (!md.contains("labels") || !md["labels"].is_object()) md["labels"] = Json::object();
  md["labels"][kHashLabel] = hash;
  md["labels"]["pod-template-generation"] =
      std::to_string(intAt(set, Json::json_pointer("/metadata/generation"), 1));
  pod["spec"]["nodeName"] = node;
  pod["spec"]["affinity"] = nodeAffinity(node);
  const std::string ns = strAt(set, kNamespace);
  for (int attempt = 0;; ++attempt) {
    md["name"] = strAt(set, kName) + "-" + randomPodSuffix(rng_);
    auto created = client_.create("/api/v1/namespaces/" + ns + "/pods", pod);
    if (created) {
      return recordEvent(client_, clock_, set, kComponent, "SuccessfulCreate",
                         "Created pod: " + strAt(*created, kName), rng_);
    }
    if (created.error().code != 409 || attempt >= 3) return fail(created.error());
  }
}

Result<void> DaemonSetController::removePod(const Json& set, const Json& pod) {
  if (auto r = deletePod(client_, pod); !r) return r;
  return recordEvent(client_, clock_, set, kComponent, "SuccessfulDelete",
                     "Deleted pod: " + strAt(pod, kName), rng_);
}

Result<void> DaemonSetController::writeStatus(const Json& set, const std::vector<Json>& pods,
                                              const std::string& hash) {
  const std::int64_t minReady = intAt(set, Json::json_pointer("/spec/minReadySeconds"));
  const auto now = clock_.now();
  std::map<std::string, const Json*> onNode;  // the best pod of each simulated node
  for (const Json& p : pods) {
    const std::string node = strAt(p, kNodeName);
    if (std::find(nodes_.begin(), nodes_.end(), node) == nodes_.end()) continue;
    const Json*& best = onNode[node];
    if (best == nullptr || (!PodSimulator::isReady(*best) && PodSimulator::isReady(p))) best = &p;
  }
  const auto desired = static_cast<std::int64_t>(nodes_.size());
  std::int64_t scheduled = 0, ready = 0, available = 0, updated = 0;
  for (const auto& [node, p] : onNode) {
    ++scheduled;
    ready += PodSimulator::isReady(*p) ? 1 : 0;
    available += podAvailable(*p, minReady, now) ? 1 : 0;
    updated += hashOf(*p) == hash ? 1 : 0;
  }
  const Json have = set.value("status", Json::object());
  Json patch = Json::object();
  auto put = [&](const char* key, std::int64_t v, bool omitZero) {
    const Json want = v == 0 && omitZero ? Json(nullptr) : Json(v);
    const Json cur = have.contains(key) ? have[key] : Json(nullptr);
    if (cur != want) patch[key] = want;
  };
  put("currentNumberScheduled", scheduled, false);
  put("numberMisscheduled", 0, false);
  put("desiredNumberScheduled", desired, false);
  put("numberReady", ready, false);
  put("observedGeneration", intAt(set, Json::json_pointer("/metadata/generation")), true);
  put("updatedNumberScheduled", updated, true);
  put("numberAvailable", available, true);
  put("numberUnavailable", desired - available, true);
  if (patch.empty()) return {};
  auto out = client_.mergePatch(
      "/apis/apps/v1/namespaces/" + strAt(set, kNamespace) + "/daemonsets/" + strAt(set, kName),
      Json{{"status", patch}}, true);
  if (!out) return fail(out.error());
  return {};
}

}  // namespace kubesim::world
