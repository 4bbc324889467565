// The GitOps + operator + person scenario of reference real-ssa-gitops.md, end to end: a GitOps
// controller force-applies the Deployment, the operator applies only its env var, sidecar and
// annotation under its own field manager, a person runs kubectl set env, and the operator's
// rollback/restore by apply removes exactly what it alone owned.

#include <gtest/gtest.h>

#include "kubesim/patch/managed_fields.h"
#include "kubesim/patch/strategic_merge.h"
#include "tests/unit/kubesim/patch/reference_fixtures.h"

namespace kubesim::patch {
namespace {

constexpr const char* kTime = "2026-11-21T05:49:25Z";

Json deployment(const char* rest) {
  Json d = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
                           "metadata": {"name": "api", "namespace": "default"}})");
  d.update(Json::parse(rest), true);
  return d;
}

Json gitops(const char* env) {
  return deployment((std::string(R"({"spec": {"replicas": 2,
      "selector": {"matchLabels": {"app": "api"}},
      "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [
        {"name": "app", "image": "example/api:1.0", "env": )") +
                     env + "}]}}}}")
                        .c_str());
}

Json operatorApply(const char* value, bool withSidecar) {
  Json d = deployment(R"({"spec": {"template": {"spec": {"containers": [{"name": "app"}]}}}})");
  d["spec"]["template"]["spec"]["containers"][0]["env"] =
      Json::array({{{"name", "FEATURE_OTEL"}, {"value", value}}});
  if (withSidecar) {
    d["metadata"]["annotations"] = {{"rollout.example/owner", "shop/enable-otel"}};
    d["spec"]["template"]["spec"]["containers"].push_back(
        Json::parse(R"({"name": "otel-collector", "image":
            "otel/opentelemetry-collector-contrib:0.90.0", "args": ["--config=/conf/config.yaml"]})"));
  }
  return d;
}

class GitopsScenario : public ::testing::Test {
 protected:
  Result<ApplyResult> apply(const std::string& manager, const Json& body, bool force) {
    auto r = serverSideApply(&live_, body, force, meta_, {manager, "apps/v1", kTime, ""});
    if (r.ok()) live_ = r->object;
    return r;
  }
  void update(const std::string& manager, const Json& next, const std::string& sub = "") {
    live_ = updateManagedFields(&live_, next, meta_, {manager, "apps/v1", kTime, sub});
  }
  // What kube-controller-manager writes after each rollout: the revision annotation and a
  // Progressing condition.
  void controllerWrites(int revision) {
    Json next = live_;
    next["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = std::to_string(revision);
    next["status"]["conditions"] = Json::parse(R"([{"type": "Progressing", "status": "True",
        "reason": "NewReplicaSetAvailable", "message": "ok",
        "lastUpdateTime": "2026-11-21T05:49:25Z", "lastTransitionTime": "2026-11-21T05:49:25Z"}])");
    update("kube-controller-manager", next);
  }
  Json env(const char* container = "app") const {
    for (const auto& c : live_["spec"]["template"]["spec"]["containers"]) {
      if (c["name"] == container) return c.value("env", Json::array());
    }
    return nullptr;
  }
  std::vector<std::string> containerNames() const {
    std::vector<std::string> out;
    for (const auto& c : live_["spec"]["template"]["spec"]["containers"]) out.push_back(c["name"]);
    return out;
  }
  const Json& managed() const { return live_["metadata"]["managedFields"]; }

  const PatchMeta meta_ = builtinPatchMeta("apps/v1", "Deployment");
  Json live_;
};

TEST_F(GitopsScenario, OperatorCoexistsWithGitopsAndAPerson) {
  // 1. GitOps creates the Deployment.
  auto created = serverSideApply(nullptr, gitops(R"([{"name": "PORT", "value": "8080"}])"), true,
                                 meta_, {"kustomize-controller", "apps/v1", kTime, ""});
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->created);
  live_ = created->object;
  controllerWrites(1);

  // 2. The operator applies its env var, sidecar and annotation.
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("true", true), false).ok());
  EXPECT_EQ(env(), Json::parse(R"([{"name": "PORT", "value": "8080"},
                                   {"name": "FEATURE_OTEL", "value": "true"}])"));
  EXPECT_EQ(containerNames(), (std::vector<std::string>{"app", "otel-collector"}));
  EXPECT_EQ(live_["spec"]["template"]["spec"]["containers"][0]["image"], "example/api:1.0");
  EXPECT_EQ(managed(), Json::parse(fixtures::kGitopsStep2ManagedFields));

  // 3. GitOps re-applies unchanged: the operator's fields survive.
  ASSERT_TRUE(
      apply("kustomize-controller", gitops(R"([{"name": "PORT", "value": "8080"}])"), true).ok());
  EXPECT_EQ(containerNames(), (std::vector<std::string>{"app", "otel-collector"}));
  EXPECT_EQ(env().size(), 2u);
  EXPECT_EQ(managed(), Json::parse(fixtures::kGitopsStep2ManagedFields));

  // 4. Git declares FEATURE_OTEL=false, forced: value and its ownership move to GitOps.
  ASSERT_TRUE(apply("kustomize-controller", gitops(R"([{"name": "PORT", "value": "8080"},
                               {"name": "FEATURE_OTEL", "value": "false"}])"),
                    true)
                  .ok());
  EXPECT_EQ(env()[1]["value"], "false");
  EXPECT_EQ(managed(), Json::parse(fixtures::kGitopsStep4ManagedFields));

  // 5. The operator re-applies true without force: 409 naming GitOps.
  auto conflict = apply("telemetry-operator", operatorApply("true", true), false);
  ASSERT_FALSE(conflict.ok());
  const std::string field =
      ".spec.template.spec.containers[name=\"app\"].env[name=\"FEATURE_OTEL\"].value";
  EXPECT_EQ(conflict.error().message,
            "Apply failed with 1 conflict: conflict with \"kustomize-controller\": " + field);
  ASSERT_EQ(conflict.error().causes.size(), 1u);
  EXPECT_EQ(conflict.error().causes[0],
            (Cause{"FieldManagerConflict", "conflict with \"kustomize-controller\"", field}));
  EXPECT_EQ(env()[1]["value"], "false");

  // 6. A person sets the variable with kubectl set env (an Update). Ownership follows changed
  // values, so the person sets a value the object does not already have.
  auto patched = applyStrategicMergePatch(live_, Json::parse(R"({"spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "app"}, {"name": "otel-collector"}],
      "containers": [{"name": "app", "env": [{"name": "FEATURE_OTEL", "value": "off"}]}]}}}})"),
                                          meta_);
  ASSERT_TRUE(patched.ok());
  update("kubectl-set", *patched);
  EXPECT_EQ(managed().size(), 4u);
  EXPECT_EQ(managed()[3]["manager"], "kubectl-set");

  // 7. Without force the operator conflicts with the Update manager, named with its version.
  conflict = apply("telemetry-operator", operatorApply("true", true), false);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().message,
            "Apply failed with 1 conflict: conflict with \"kubectl-set\" using apps/v1: " + field);

  // 8. Forced: the operator takes the field back; kubectl-set owned nothing else and goes.
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("true", true), true).ok());
  EXPECT_EQ(env()[1]["value"], "true");
  ASSERT_EQ(managed().size(), 3u);
  for (const auto& m : managed()) EXPECT_NE(m["manager"], "kubectl-set");

  // 9. Rollback by apply: no sidecar, no annotation; both are removed.
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("false", false), false).ok());
  EXPECT_EQ(containerNames(), std::vector<std::string>{"app"});
  EXPECT_EQ(env(), Json::parse(R"([{"name": "PORT", "value": "8080"},
                                   {"name": "FEATURE_OTEL", "value": "false"}])"));
  EXPECT_EQ(live_["metadata"]["annotations"],
            Json::parse(R"({"deployment.kubernetes.io/revision": "1"})"));
  const Json want9 = Json::parse(fixtures::kGitopsStep9ManagedFields);
  ASSERT_EQ(managed().size(), 3u);
  EXPECT_EQ(managed()[1], want9[1]);  // telemetry-operator
  EXPECT_EQ(managed()[2], want9[2]);  // kube-controller-manager
  // GitOps keeps what it applied in step 4 and still owns: the FEATURE_OTEL item and its name.
  // (The reference shows it without them; no Apply/Update diff in the recorded steps takes them
  // away, so structured-merge-diff's rules keep them: kubesim follows the rules here, and this
  // difference from the recording is deliberate.)
  Json kustomize = want9[0];
  kustomize["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"app\"}"]
           ["f:env"]["k:{\"name\":\"FEATURE_OTEL\"}"] = {{".", Json::object()},
                                                         {"f:name", Json::object()}};
  EXPECT_EQ(managed()[0], kustomize);

  // 10. Restore by apply: the operator applies nothing; what it alone owned (the value) goes,
  // the item GitOps co-owns stays.
  ASSERT_TRUE(apply("telemetry-operator", deployment("{}"), false).ok());
  EXPECT_EQ(env(), Json::parse(R"([{"name": "PORT", "value": "8080"}, {"name": "FEATURE_OTEL"}])"));
  std::vector<std::string> managers;
  for (const auto& m : managed()) managers.push_back(m["manager"]);
  EXPECT_EQ(managers,
            (std::vector<std::string>{"kustomize-controller", "kube-controller-manager"}));
}

TEST_F(GitopsScenario, RestoreRemovesEverythingOnlyTheOperatorApplied) {
  auto created = serverSideApply(nullptr, gitops(R"([{"name": "PORT", "value": "8080"}])"), true,
                                 meta_, {"kustomize-controller", "apps/v1", kTime, ""});
  ASSERT_TRUE(created.ok());
  live_ = created->object;
  const Json original = live_;
  controllerWrites(1);
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("true", true), false).ok());
  ASSERT_EQ(containerNames().size(), 2u);

  ASSERT_TRUE(apply("telemetry-operator", deployment("{}"), false).ok());
  EXPECT_EQ(live_["spec"], original["spec"]);
  EXPECT_EQ(live_["metadata"]["annotations"],
            Json::parse(R"({"deployment.kubernetes.io/revision": "1"})"));
  for (const auto& m : managed()) EXPECT_NE(m["manager"], "telemetry-operator");
}

TEST_F(GitopsScenario, OperatorReapplyIsIdempotent) {
  auto created = serverSideApply(nullptr, gitops(R"([{"name": "PORT", "value": "8080"}])"), true,
                                 meta_, {"kustomize-controller", "apps/v1", kTime, ""});
  ASSERT_TRUE(created.ok());
  live_ = created->object;
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("true", true), false).ok());
  const Json once = live_;
  ASSERT_TRUE(apply("telemetry-operator", operatorApply("true", true), false).ok());
  EXPECT_EQ(live_, once);
}

}  // namespace
}  // namespace kubesim::patch
