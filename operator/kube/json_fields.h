#pragma once
// Reading one string out of a Kubernetes object without trusting its shape: the value at `key`
// (or `section`.`key`) when it is a string, "" when it is absent, null or of another type, or
// when the container is not an object. Never throws (Json::value() would on a wrong type), so a
// malformed answer or hostile resource cannot turn a read into an exception.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tro::kube {

inline std::string stringAt(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

inline std::string stringAt(const nlohmann::json& object, std::string_view section,
                            std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(section);
  return it == object.end() ? "" : stringAt(*it, key);
}

}  // namespace tro::kube
