// The planner with its real neighbours: parseSpec() reads the resource, stepConfigHashes() and
// inject's desiredDeployment() write the config-hash annotation, observe() reads it back. Checks
// the contract between them: an Enabled write lands as "up to date" for the planner, so the next
// plan writes nothing; a rollback and a deletion restore the Deployment exactly.

#include <gtest/gtest.h>

#include "controllers/rollout/inject.h"
#include "controllers/rollout/plan_config.h"
#include "controllers/rollout/planner.h"
#include "controllers/rollout/targets.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace {

using namespace std::chrono_literals;
using kube::Json;

constexpr const char* kKey = "shop/enable-otel";

Json resourceSpec() {
  return Json::parse(R"json({
    "selector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}},
    "flag": {"name": "FEATURE_OTEL", "enabledValue": "true", "disabledValue": "false"},
    "env": [{"name": "OTEL_TRACES_SAMPLER_ARG", "value": "0.02"}],
    "collector": {"image": "otel/opentelemetry-collector-contrib:0.90.0",
                  "configMap": "otel-collector-config"},
    "strategy": {"steps": [
      {"setWeight": 50}, {"pause": {"duration": "30m"}},
      {"setEnv": {"OTEL_TRACES_SAMPLER_ARG": "0.05"}}, {"setWeight": 100}
    ]}
  })json");
}

Json deployment(const std::string& name) {
  Json d = Json::parse(R"json({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"namespace": "shop", "generation": 1},
    "spec": {"replicas": 1, "template": {"spec": {"containers": [
      {"name": "app", "env": [{"name": "FEATURE_OTEL", "value": "legacy"}]}]}}},
    "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1,
               "availableReplicas": 1}
  })json");
  d["metadata"]["name"] = name;
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "shop/" + name + ":1.0";
  return d;
}

class Cluster {
 public:
  explicit Cluster(const Json& specJson) : parsed_(parseSpec(specJson)) {
    for (const char* n : {"api", "cart", "web"}) deployments_[n] = deployment(n);
    originals_ = deployments_;
    in_.rollout = {"shop", "enable-otel", "uid-1", 1, std::nullopt, true, {}};
    in_.spec = parsed_;
    in_.configHashes = stepConfigHashes(*parsed_.spec, kKey);
    in_.now = *base::parseRfc3339("2026-11-21T06:00:00Z");
  }

  Plan reconcile() {
    Plan p = plan(input());
    in_.status = p.status;
    for (const auto& a : p.actions) apply(a);
    if (p.removeFinalizer) in_.rollout.hasFinalizer = false;
    return p;
  }

  // The Deployment controller finishes every rollout.
  void rolloutsComplete() {
    for (auto& [name, d] : deployments_) {
      d["status"]["observedGeneration"] = d["metadata"]["generation"];
    }
  }

  std::string env(const std::string& name, const std::string& var) const {
    for (const auto& e :
         deployments_.at(name)["spec"]["template"]["spec"]["containers"][0]["env"]) {
      if (e["name"] == var) return e.value("value", "");
    }
    return "<unset>";
  }

  PlanInput input() const {
    PlanInput in = in_;
    for (const auto& [name, d] : deployments_) {
      std::string desired = in_.configHashes.at(
          std::min<size_t>(in_.status ? in_.status->currentStep : 0, in_.configHashes.size() - 1));
      in.targets.push_back(observe(d, kKey, desired));
    }
    return in;
  }

  void advance(base::Duration d) { in_.now += d; }
  void markDeleted() { in_.rollout.deletionTimestamp = in_.now; }
  const Json& live(const std::string& name) const { return deployments_.at(name); }
  const Json& original(const std::string& name) const { return originals_.at(name); }
  const RolloutSpec& spec() const { return *parsed_.spec; }

 private:
  void apply(const TargetAction& a) {
    Json& d = deployments_.at(a.deployment);
    int step = a.configStep < 0 ? static_cast<int>(spec().steps.size()) - 1 : a.configStep;
    InjectionConfig config = makeInjectionConfig(spec(), kKey, setEnvOverrides(spec().steps, step));
    InjectionForm form = a.form == TargetForm::Enabled    ? InjectionForm::Enabled
                         : a.form == TargetForm::Disabled ? InjectionForm::Disabled
                                                          : InjectionForm::Restored;
    auto desired = desiredDeployment(d, config, form);
    ASSERT_TRUE(desired.ok()) << desired.error().message;
    bool templateChanged = (*desired)["spec"] != d["spec"];
    d = *desired;
    if (templateChanged) d["metadata"]["generation"] = d["metadata"]["generation"].get<int>() + 1;
  }

  ParsedSpec parsed_;
  std::map<std::string, Json> deployments_;
  std::map<std::string, Json> originals_;
  PlanInput in_;
};

TEST(PlannerEndToEnd, WavesWithRealInjectionWriteOncePerTransition) {
  Cluster c(resourceSpec());
  ASSERT_TRUE(c.spec().steps.size() == 4u);
  Plan p = c.reconcile();
  ASSERT_EQ(p.actions.size(), 2u);  // 50% of 3
  EXPECT_EQ(c.env("api", "FEATURE_OTEL"), "true");
  EXPECT_EQ(c.env("cart", "FEATURE_OTEL"), "true");
  EXPECT_EQ(c.env("web", "FEATURE_OTEL"), "legacy");

  p = c.reconcile();
  EXPECT_TRUE(p.actions.empty()) << "the written hash must read back as up to date";
  EXPECT_EQ(p.status.currentStep, 0) << "rollouts still in progress";

  c.rolloutsComplete();
  p = c.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_TRUE(p.actions.empty());

  c.advance(30min);
  p = c.reconcile();  // no analysis configured: the window passes on time alone
  EXPECT_EQ(p.status.currentStep, 2);
  ASSERT_EQ(p.actions.size(), 2u) << "setEnv rolls the enabled ones";
  EXPECT_EQ(c.env("api", "OTEL_TRACES_SAMPLER_ARG"), "0.05");
  EXPECT_EQ(c.reconcile().actions.size(), 0u);

  c.rolloutsComplete();
  p = c.reconcile();
  EXPECT_EQ(p.status.currentStep, 3);
  ASSERT_EQ(p.actions.size(), 1u);
  EXPECT_EQ(c.env("web", "OTEL_TRACES_SAMPLER_ARG"), "0.05");

  c.rolloutsComplete();
  p = c.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_TRUE(c.reconcile().actions.empty());
}

TEST(PlannerEndToEnd, DeletionRestoresTheOriginalDeploymentsExactly) {
  Cluster c(resourceSpec());
  c.reconcile();
  c.rolloutsComplete();
  c.reconcile();
  c.markDeleted();
  Plan p = c.reconcile();
  EXPECT_EQ(p.actions.size(), 2u);
  p = c.reconcile();
  EXPECT_TRUE(p.removeFinalizer);
  for (const char* n : {"api", "cart", "web"}) {
    EXPECT_EQ(c.live(n)["spec"], c.original(n)["spec"]) << n;
    EXPECT_EQ(c.live(n)["metadata"].value("annotations", Json::object()), Json::object()) << n;
  }
}

}  // namespace
}  // namespace tro::controllers
