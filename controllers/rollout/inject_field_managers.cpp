#include "controllers/rollout/inject_field_managers.h"

#include <algorithm>

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

const Json* child(const Json* node, const std::string& key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

// The FieldsV1 key of a list element identified by its name: k:{"name":"<name>"}.
std::string byName(const std::string& name) { return "k:" + Json{{"name", name}}.dump(); }

bool owns(const Json& fields, const std::vector<std::string>& path) {
  const Json* node = &fields;
  for (const std::string& key : path) node = child(node, key);
  return node != nullptr;
}

// Managers other than `except` whose FieldsV1 hold `path`, in managedFields order, once each.
std::vector<std::string> managersOf(const Json& deployment, const std::vector<std::string>& path,
                                    const std::string& except) {
  std::vector<std::string> out;
  const Json* entries = child(child(&deployment, "metadata"), "managedFields");
  if (entries == nullptr || !entries->is_array()) return out;
  for (const Json& entry : *entries) {
    if (!entry.is_object() || entry.value("fieldsType", "") != "FieldsV1") continue;
    const Json* fields = child(&entry, "fieldsV1");
    const auto managerIt = entry.find("manager");
    if (fields == nullptr || managerIt == entry.end() || !managerIt->is_string()) continue;
    const std::string manager = managerIt->get<std::string>();
    if (manager == except || std::find(out.begin(), out.end(), manager) != out.end()) continue;
    if (owns(*fields, path)) out.push_back(manager);
  }
  return out;
}

}  // namespace

std::vector<std::string> envValueManagers(const Json& deployment, const std::string& container,
                                          const std::string& var, const std::string& except) {
  return managersOf(deployment,
                    {"f:spec", "f:template", "f:spec", "f:containers", byName(container), "f:env",
                     byName(var), "f:value"},
                    except);
}

std::vector<std::string> podAnnotationManagers(const Json& deployment, const std::string& key,
                                               const std::string& except) {
  return managersOf(deployment, {"f:spec", "f:template", "f:metadata", "f:annotations", "f:" + key},
                    except);
}

}  // namespace tro::controllers
