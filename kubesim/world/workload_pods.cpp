#include "kubesim/world/workload_pods.h"

#include <functional>

#include "kubesim/world/json_util.h"
#include "kubesim/world/pod_simulator.h"

namespace kubesim::world {
namespace {

const Json::json_pointer kName("/metadata/name");
const Json::json_pointer kNamespace("/metadata/namespace");

}  // namespace

Json podFromTemplate(const Json& owner, const Json& podTemplate) {
  const Json tmplMeta = podTemplate.value("metadata", Json::object());
  Json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata",
               {{"namespace", strAt(owner, kNamespace)},
                {"ownerReferences", Json::array({controllerRef(owner)})}}},
              {"spec", podTemplate.value("spec", Json::object())}};
  if (tmplMeta.contains("labels")) pod["metadata"]["labels"] = tmplMeta["labels"];
  if (tmplMeta.contains("annotations")) pod["metadata"]["annotations"] = tmplMeta["annotations"];
  return pod;
}

void placePod(Json& pod, const std::vector<std::string>& nodes) {
  if (nodes.empty() || !pod.is_object()) return;
  Json& spec = pod["spec"];
  if (!spec.is_object()) return;
  if (auto it = spec.find("nodeName"); it != spec.end() && it->is_string() && !it->empty()) return;
  const std::string name = pod.value("metadata", Json::object()).value("name", "");
  spec["nodeName"] = nodes[std::hash<std::string>{}(name) % nodes.size()];
}

std::string randomPodSuffix(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string s;
  for (int i = 0; i < 5; ++i) s.push_back(kAlphabet[rng() % (sizeof(kAlphabet) - 1)]);
  return s;
}

bool podAvailable(const Json& pod, std::int64_t minReadySeconds, tro::base::TimePoint now) {
  if (!PodSimulator::isReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const Json conditions = pod.value("status", Json::object()).value("conditions", Json::array());
  for (const Json& c : conditions) {
    if (!c.is_object() || c.value("type", "") != "Ready") continue;
    return parseRfc3339(c.value("lastTransitionTime", "")) +
               std::chrono::seconds(minReadySeconds) <=
           now;
  }
  return false;
}

Result<void> deletePod(SimClient& client, const Json& pod) {
  auto out =
      client.remove("/api/v1/namespaces/" + strAt(pod, kNamespace) + "/pods/" + strAt(pod, kName));
  if (!out && out.error().code != 404) return fail(out.error());
  return {};
}

bool podLabelsMatch(const Json& pod, const Json& wanted) {
  const Json have = pod.value("metadata", Json::object()).value("labels", Json::object());
  if (!wanted.is_object()) return true;
  for (const auto& [k, v] : wanted.items()) {
    if (!have.contains(k) || have[k] != v) return false;
  }
  return true;
}

}  // namespace kubesim::world
