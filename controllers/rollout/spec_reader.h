#pragma once
// How parseSpec() (spec.h) reads a TelemetryRollout's JSON: a SpecReader collects a problem per
// field that is missing, of the wrong type or out of bounds, naming the field as the API server
// would ("spec.analysis.queries[1].name"). Shared by spec.cpp and spec_analysis.cpp; nothing
// else includes it.

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controllers/api/spec_types.h"

namespace tro::controllers::detail {

class SpecReader {
 public:
  explicit SpecReader(std::vector<SpecProblem>& problems) : problems_(problems) {}

  void problem(const std::string& field, const std::string& message) {
    problems_.push_back({field, message});
  }

  // The field's value when present and of the expected type; a problem when of another type.
  const Json* get(const Json& obj, const std::string& key, const std::string& path,
                  Json::value_t type);
  std::optional<std::string> string(const Json& obj, const std::string& key,
                                    const std::string& path);
  // A positive duration within [min, max]; each bound is stated in the problem.
  std::optional<nanoseconds> duration(const Json& obj, const std::string& key,
                                      const std::string& path, nanoseconds min = nanoseconds(1),
                                      nanoseconds max = kMaxPause);

 private:
  std::vector<SpecProblem>& problems_;
};

// [-._a-zA-Z][-._a-zA-Z0-9]*, at most 1024 characters.
bool isEnvName(const std::string& s);
// A ConfigMap or Secret data key: [-._a-zA-Z0-9]+, at most 253 characters, not "." or "..".
bool isConfigMapKey(const std::string& s);
// "path[i]".
std::string at(const std::string& path, size_t i);
// A Secret name (DNS-1123 subdomain) at `path`.name, or a problem.
std::optional<std::string> secretName(SpecReader& r, const Json& ref, const std::string& path);

// One of `values` by name; a problem listing them, and `fallback`, for any other string.
template <typename Policy>
Policy readEnum(SpecReader& r, const Json& obj, const std::string& key, const std::string& path,
                std::initializer_list<std::pair<const char*, Policy>> values, Policy fallback) {
  auto v = r.string(obj, key, path);
  if (!v) return fallback;
  std::string allowed;
  for (const auto& [name, value] : values) {
    if (*v == name) return value;
    allowed += (allowed.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  r.problem(path, "Unsupported value: \"" + *v + "\": supported values: " + allowed);
  return fallback;
}

// spec.analysis (spec_analysis.cpp); nullopt when absent.
std::optional<AnalysisSpec> readAnalysis(SpecReader& r, const Json& spec);

}  // namespace tro::controllers::detail
