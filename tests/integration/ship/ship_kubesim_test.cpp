// The install manifests and the examples against a running kubesim, through the real kubectl:
// namespaces and the CRD are applied for real (later requests need them), everything else with
// `kubectl apply --dry-run=server`, so the API server validates, defaults and admits each object
// without storing it. Kinds kubesim does not serve are filtered out and must be exactly the known
// list below (so a kubesim that gains one makes this test ask for it to be removed from the list).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "controllers/analysis/criteria.h"
#include "controllers/rollout/spec.h"
#include "tests/integration/ship/rendered.h"
#include "tests/support/kubesim_process.h"

namespace tro::ship {
namespace {

const std::string kCrdName = "telemetryrollouts.rollout.telemetry.io";
const std::string kClusterCrdName = "clustertelemetryrollouts.rollout.telemetry.io";
const std::string kExamplesNamespace = "tro-examples";

// The Prometheus Operator's kinds, the only ones of the install kubesim does not serve: a cluster
// without its CRDs refuses them too.
const std::set<std::string> kUnservedKinds = {"PrometheusRule", "ServiceMonitor"};

class ShipOnKubesim : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    cluster_ = testing::Kubesim::start({}, error);
    startError_ = error;
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override { ASSERT_NE(cluster_, nullptr) << startError_; }

  testing::Kubesim& cluster() { return *cluster_; }

  // Kinds the server lists in discovery (api-resources' last column).
  std::set<std::string> servedKinds() {
    auto r = cluster().kubectl({"api-resources", "--no-headers"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::set<std::string> kinds;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      auto end = line.find_last_not_of(" \t");
      if (end == std::string::npos) continue;
      auto begin = line.find_last_of(" \t", end);
      kinds.insert(line.substr(begin == std::string::npos ? 0 : begin + 1, end - begin));
    }
    return kinds;
  }

  // Applies for real, then waits for the CRD to be Established when one is among them.
  void applyForReal(const std::vector<Json>& objects, const std::string& name) {
    auto r = cluster().kubectl({"apply", "-f", cluster().writeFile(name, toYamlStream(objects))});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    if (findObject(objects, "CustomResourceDefinition") != nullptr) {
      auto w = cluster().kubectl({"wait", "--for=condition=Established", "--timeout=30s",
                                  "crd/" + kCrdName, "crd/" + kClusterCrdName});
      ASSERT_EQ(w.exitCode, 0) << w.err;
    }
  }

  void applyCrdAndNamespace(const std::string& ns) {
    std::vector<Json> objects;
    for (const std::string& name : {kCrdName, kClusterCrdName}) {
      auto crd = parseYamlDocuments(readSource("crds/" + name + ".yaml"));
      ASSERT_TRUE(crd.ok()) << crd.error();
      objects.insert(objects.end(), crd->begin(), crd->end());
    }
    objects.push_back({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
    applyForReal(objects, "crd-and-" + ns + ".yaml");
  }

  // The server's answer to a dry-run apply: the objects as they would be stored.
  std::vector<Json> dryRunApply(const std::vector<Json>& objects, const std::string& name,
                                const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"apply", "--dry-run=server",
                                     "-o",    "json",
                                     "-f",    cluster().writeFile(name, toYamlStream(objects))};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = cluster().kubectl(args);
    EXPECT_EQ(r.exitCode, 0) << name << ": " << r.err;
    if (r.exitCode != 0) return {};
    Json out = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << r.out;
    if (out.value("kind", "") == "List") return out["items"].get<std::vector<Json>>();
    return {out};
  }

  // Applies namespaces and CRDs for real, dry-runs the served rest, returns the unserved kinds.
  std::set<std::string> applyInstall(const std::vector<Json>& objects, const std::string& name) {
    const std::set<std::string> served = servedKinds();
    std::vector<Json> first;
    std::vector<Json> rest;
    std::set<std::string> unserved;
    for (const auto& o : objects) {
      const std::string kind = o.value("kind", "");
      if (kind == "Namespace" || kind == "CustomResourceDefinition") {
        first.push_back(o);
      } else if (served.count(kind) == 0) {
        unserved.insert(kind);
      } else {
        rest.push_back(o);
      }
    }
    // Helm renders no Namespace: the release namespace exists before install.
    if (findObject(first, "Namespace") == nullptr) {
      first.push_back({{"apiVersion", "v1"},
                       {"kind", "Namespace"},
                       {"metadata", {{"name", "telemetry-rollout-system"}}}});
    }
    applyForReal(first, name + "-first.yaml");
    EXPECT_FALSE(rest.empty());
    std::vector<Json> admitted = dryRunApply(rest, name + "-rest.yaml");
    EXPECT_EQ(admitted.size(), rest.size());
    for (size_t i = 0; i < admitted.size() && i < rest.size(); ++i) {
      EXPECT_EQ(admitted[i]["kind"], rest[i]["kind"]);
      EXPECT_EQ(admitted[i]["metadata"]["name"], rest[i]["metadata"]["name"]);
    }
    return unserved;
  }

  static std::unique_ptr<testing::Kubesim> cluster_;
  static std::string startError_;
};

std::unique_ptr<testing::Kubesim> ShipOnKubesim::cluster_;
std::string ShipOnKubesim::startError_;

TEST_F(ShipOnKubesim, KustomizedManifestsAreAdmitted) {
  auto objects = kustomizeManifests();
  ASSERT_TRUE(objects.ok()) << objects.error();
  const std::set<std::string> unserved = applyInstall(*objects, "kustomized");
  std::set<std::string> expected = kUnservedKinds;
  expected.erase("ServiceMonitor");  // the chart's option; the plain manifests have none
  EXPECT_EQ(unserved, expected);
  // A dry run stores nothing: the Deployment and Service were admitted but do not exist.
  auto get = cluster().kubectl(
      {"get", "deployments,services", "-n", "telemetry-rollout-system", "-o", "name"});
  ASSERT_EQ(get.exitCode, 0) << get.err;
  EXPECT_EQ(get.out, "");
  auto crd = cluster().kubectl({"get", "crd", kCrdName, "-o", "name"});
  EXPECT_EQ(crd.exitCode, 0) << crd.err;
}

TEST_F(ShipOnKubesim, HelmChartWithEveryOptionalPartIsAdmitted) {
  auto objects = helmTemplate(helmAllOptionalParts());
  ASSERT_TRUE(objects.ok()) << objects.error();
  ASSERT_NE(findObject(*objects, "ConfigMap"), nullptr);  // the dashboard, served by kubesim
  const std::set<std::string> unserved = applyInstall(*objects, "helm");
  EXPECT_EQ(unserved, kUnservedKinds);
}

std::vector<std::string> exampleFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(sourcePath("manifests/examples"))) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(ShipOnKubesim, EveryExampleIsAdmittedAndPassesTheControllersValidation) {
  applyCrdAndNamespace(kExamplesNamespace);
  const std::vector<std::string> files = exampleFiles();
  EXPECT_EQ(files, (std::vector<std::string>{
                       "auto-instrumentation.yaml", "cluster-staging-enablement.yaml",
                       "production-promotion.yaml", "sampling-ramp.yaml", "staging-enablement.yaml",
                       "statefulsets-and-daemonsets.yaml"}));
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    auto docs = parseYamlDocuments(readSource("manifests/examples/" + file));
    ASSERT_TRUE(docs.ok()) << docs.error();
    ASSERT_EQ(docs->size(), 1u);
    const bool cluster = docs->at(0).value("kind", "") == "ClusterTelemetryRollout";
    std::vector<Json> admitted = dryRunApply(
        *docs, file,
        cluster ? std::vector<std::string>{} : std::vector<std::string>{"-n", kExamplesNamespace});
    ASSERT_EQ(admitted.size(), 1u);
    const Json& spec = admitted[0]["spec"];
    // The CRD's defaults were applied by the server, as the controller will read them.
    EXPECT_EQ(spec.value("onDelete", ""), docs->at(0)["spec"].value("onDelete", "Restore"));
    EXPECT_EQ(spec["analysis"]["prometheus"].value("timeout", ""),
              docs->at(0)["spec"]["analysis"]["prometheus"].value("timeout", "10s"));
    controllers::ParsedSpec parsed = controllers::parseSpec(
        spec, cluster ? controllers::RolloutScope::Cluster : controllers::RolloutScope::Namespaced);
    EXPECT_TRUE(parsed.problems.empty()) << parsed.summary();
    auto extensions = controllers::analysis::parseAnalysisExtensions(spec);
    EXPECT_TRUE(extensions.problems.empty());
    if (parsed.spec && parsed.spec->analysis) {
      auto criteria =
          controllers::analysis::makeCriteria(*parsed.spec->analysis, extensions.extensions);
      for (const auto& p : criteria.problems) ADD_FAILURE() << p.field << ": " << p.message;
    }
  }
}

TEST_F(ShipOnKubesim, SchemaRejectsWhatItCanAndTheControllerCatchesTheRest) {
  applyCrdAndNamespace(kExamplesNamespace);
  auto docs = parseYamlDocuments(readSource("manifests/examples/production-promotion.yaml"));
  ASSERT_TRUE(docs.ok()) << docs.error();
  Json zeroWeight = docs->at(0);
  zeroWeight["spec"]["strategy"]["steps"][0]["setWeight"] = 0;  // the schema's minimum is 1
  auto rejected = cluster().kubectl({"apply", "--dry-run=server", "-n", kExamplesNamespace, "-f",
                                     cluster().writeFile("zero.yaml", toYamlStream({zeroWeight}))});
  EXPECT_NE(rejected.exitCode, 0);
  EXPECT_NE(rejected.err.find("setWeight"), std::string::npos) << rejected.err;

  Json decreasing = docs->at(0);
  decreasing["spec"]["strategy"]["steps"][2]["setWeight"] = 5;  // after setWeight 10
  std::vector<Json> admitted =
      dryRunApply({decreasing}, "decreasing.yaml", {"-n", kExamplesNamespace});
  ASSERT_EQ(admitted.size(), 1u);
  controllers::ParsedSpec parsed = controllers::parseSpec(admitted[0]["spec"]);
  ASSERT_EQ(parsed.problems.size(), 1u) << parsed.summary();
  EXPECT_EQ(parsed.problems[0].field, "spec.strategy.steps[2].setWeight");
}

}  // namespace
}  // namespace tro::ship
