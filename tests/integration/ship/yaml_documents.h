#pragma once
// Multi-document YAML (kubectl kustomize, helm template) as JSON objects, so tests can assert on
// rendered manifests field by field. Scalars get the types YAML 1.2's core schema gives them
// (quoted stays a string; plain true/false/null/numbers become JSON values), which is what the
// API server would see after kubectl's conversion. Empty documents are skipped.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "operator/base/result.h"

namespace tro::ship {

using Json = nlohmann::json;

// Error: the parser's message with its line and column.
base::Result<std::vector<Json>, std::string> parseYamlDocuments(const std::string& text);

// Renders objects back as one "---"-separated YAML stream (JSON is YAML) for kubectl -f.
std::string toYamlStream(const std::vector<Json>& objects);

}  // namespace tro::ship
