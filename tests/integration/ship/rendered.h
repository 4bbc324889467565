#pragma once
// Renders the operator's install manifests the way users do (kubectl kustomize manifests/, helm
// template helm/telemetry-rollout-operator) and finds objects in the result. Paths come from
// CMake: SHIP_SOURCE_DIR (the repository), KUBECTL_BINARY, HELM_BINARY ("" when helm is missing).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operator/base/result.h"
#include "tests/integration/ship/yaml_documents.h"

namespace tro::ship {

std::string sourcePath(const std::string& relative);
std::string readSource(const std::string& relative);

// Error: the tool's stderr, or the YAML parse error.
base::Result<std::vector<Json>, std::string> kustomizeManifests();
base::Result<std::vector<Json>, std::string> helmTemplate(const std::vector<std::string>& setArgs);

// The values that turn every optional part of the chart on.
std::vector<std::string> helmAllOptionalParts();

// The first object of `kind` (and `name`, when given); nullptr when there is none.
const Json* findObject(const std::vector<Json>& objects, const std::string& kind,
                       const std::string& name = "");
std::vector<const Json*> findAll(const std::vector<Json>& objects, const std::string& kind);

// What a Role or ClusterRole grants: "group/resource" -> verbs.
using Grants = std::map<std::string, std::set<std::string>>;
Grants grantsOf(const Json& role);

}  // namespace tro::ship
