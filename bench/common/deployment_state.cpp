#include "bench/common/deployment_state.h"

#include "bench/common/flag_watch.h"

namespace tro::bench {
namespace {

std::int64_t number(const kube::Json& object, const char* section, const char* key) {
  const auto it = object.find(section);
  if (it == object.end() || !it->is_object()) return 0;
  const auto v = it->find(key);
  return v != it->end() && v->is_number_integer() ? v->get<std::int64_t>() : 0;
}

}  // namespace

bool rolledOut(const kube::Json& d) {
  const std::int64_t generation = number(d, "metadata", "generation");
  const std::int64_t wanted =
      d.contains("spec") && d["spec"].contains("replicas") ? number(d, "spec", "replicas") : 1;
  const std::int64_t updated = number(d, "status", "updatedReplicas");
  return number(d, "status", "observedGeneration") >= generation && updated == wanted &&
         number(d, "status", "replicas") == updated &&
         number(d, "status", "availableReplicas") == updated;
}

bool setRolledOut(kube::ApiClient& client, const std::string& ns, int count,
                  const std::string& flag, const std::string& value, std::string* why) {
  auto listed = client.list(kube::resources::deployments(), ns, {});
  if (!listed.ok()) {
    if (why) *why = listed.error().toString();
    return false;
  }
  const auto& items = (*listed)["items"];
  if (static_cast<int>(items.size()) != count) {
    if (why) *why = std::to_string(items.size()) + " of " + std::to_string(count) + " exist";
    return false;
  }
  for (const auto& d : items) {
    const std::string name = d["metadata"].value("name", "");
    if (templateEnvValue(d, flag) != value) {
      if (why) *why = name + ": " + flag + " is not " + value;
      return false;
    }
    if (!rolledOut(d)) {
      if (why) *why = name + ": not rolled out: " + d.value("status", kube::Json::object()).dump();
      return false;
    }
  }
  return true;
}

}  // namespace tro::bench
