#pragma once
// YAML to JSON for the tests: plain scalars typed as YAML 1.2's core schema does (null, bool,
// int, float, else string), quoted scalars always strings, an integer out of range kept as its
// text. What the tests compare with kubectl's and the API server's JSON; kubesim's own request
// decoding (kubesim/api/body_decode.cpp) follows the API server's YAML library instead.

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace tro::testing {

nlohmann::json yamlToJson(const YAML::Node& node);

}  // namespace tro::testing
