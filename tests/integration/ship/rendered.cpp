#include "tests/integration/ship/rendered.h"

#include <fstream>
#include <sstream>

#include "tests/support/process.h"

namespace tro::ship {

std::string sourcePath(const std::string& relative) {
  return std::string(SHIP_SOURCE_DIR) + "/" + relative;
}

std::string readSource(const std::string& relative) {
  std::ifstream in(sourcePath(relative), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

base::Result<std::vector<Json>, std::string> runAndParse(const std::vector<std::string>& argv) {
  testing::TempDir dir("ship-render");
  testing::RunResult r = testing::run(argv, {{"HOME", dir.path().string()}}, dir.path());
  if (r.exitCode != 0) {
    return base::fail(argv[0] + " exited " + std::to_string(r.exitCode) + ": " + r.err);
  }
  return parseYamlDocuments(r.out);
}

}  // namespace

base::Result<std::vector<Json>, std::string> kustomizeManifests() {
  return runAndParse({KUBECTL_BINARY, "kustomize", sourcePath("manifests")});
}

base::Result<std::vector<Json>, std::string> helmTemplate(const std::vector<std::string>& setArgs) {
  if (std::string(HELM_BINARY).empty()) {
    return base::fail(std::string(
        "helm was not found when CMake configured; run scripts/install-deps and reconfigure"));
  }
  std::vector<std::string> argv = {HELM_BINARY,     "template",
                                   "tro",           sourcePath("helm/telemetry-rollout-operator"),
                                   "--namespace",   "telemetry-rollout-system",
                                   "--include-crds"};
  for (const auto& s : setArgs) {
    argv.push_back("--set");
    argv.push_back(s);
  }
  return runAndParse(argv);
}

std::vector<std::string> helmAllOptionalParts() {
  return {"serviceMonitor.enabled=true", "prometheusRule.enabled=true",
          "grafanaDashboard.enabled=true"};
}

const Json* findObject(const std::vector<Json>& objects, const std::string& kind,
                       const std::string& name) {
  for (const auto& o : objects) {
    if (o.value("kind", "") != kind) continue;
    if (name.empty() || o["metadata"].value("name", "") == name) return &o;
  }
  return nullptr;
}

std::vector<const Json*> findAll(const std::vector<Json>& objects, const std::string& kind) {
  std::vector<const Json*> out;
  for (const auto& o : objects) {
    if (o.value("kind", "") == kind) out.push_back(&o);
  }
  return out;
}

Grants grantsOf(const Json& role) {
  Grants out;
  for (const auto& rule : role.value("rules", Json::array())) {
    for (const auto& g : rule.value("apiGroups", Json::array())) {
      for (const auto& r : rule.value("resources", Json::array())) {
        for (const auto& v : rule.value("verbs", Json::array())) {
          out[g.get<std::string>() + "/" + r.get<std::string>()].insert(v.get<std::string>());
        }
      }
    }
  }
  return out;
}

}  // namespace tro::ship
