#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controllers/rollout/inject_field_managers.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using Managers = std::vector<std::string>;

// Verbatim managedFields after a GitOps controller forced FEATURE_OTEL=false
// (/work/shared/reference/real-ssa-gitops.md, step 4).
Json gitOpsRevertedFlag() {
  Json d = {{"metadata", {{"name", "api"}, {"namespace", "default"}}}};
  d["metadata"]["managedFields"] = Json::parse(
      R"json([{"manager": "kustomize-controller", "operation": "Apply", "apiVersion": "apps/v1",
"time": "2026-11-21T05:49:25Z", "fieldsType": "FieldsV1",
"fieldsV1": {"f:spec": {"f:replicas": {}, "f:selector": {"f:matchLabels": {"f:app": {}}},
"f:template": {"f:metadata": {"f:labels": {"f:app": {}}},
"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {},
"f:env": {"k:{\"name\":\"FEATURE_OTEL\"}": {".": {}, "f:name": {}, "f:value": {}},
"k:{\"name\":\"PORT\"}": {".": {}, "f:name": {}, "f:value": {}}}, "f:image": {},
"f:name": {}}}}}}}}, {"manager": "telemetry-operator", "operation": "Apply",
"apiVersion": "apps/v1", "time": "2026-11-21T05:49:25Z", "fieldsType": "FieldsV1",
"fieldsV1": {"f:metadata": {"f:annotations": {"f:rollout.example/owner": {}}},
"f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {},
"f:env": {"k:{\"name\":\"FEATURE_OTEL\"}": {".": {}, "f:name": {}}}, "f:name": {}},
"k:{\"name\":\"otel-collector\"}": {".": {}, "f:args": {}, "f:image": {}, "f:name": {}}}}}}}},
{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
"time": "2026-11-21T05:49:25Z", "fieldsType": "FieldsV1",
"fieldsV1": {"f:metadata": {"f:annotations": {".": {},
"f:deployment.kubernetes.io/revision": {}}}, "f:status": {"f:conditions": {".": {},
"k:{\"type\":\"Progressing\"}": {".": {}, "f:lastTransitionTime": {}, "f:lastUpdateTime": {},
"f:message": {}, "f:reason": {}, "f:status": {}, "f:type": {}}}}}}])json");
  return d;
}

TEST(InjectFieldManagers, NamesTheManagerThatOwnsTheValue) {
  const Json d = gitOpsRevertedFlag();
  struct Case {
    const char* container;
    const char* var;
    const char* except;
    Managers want;
  };
  const Case cases[] = {
      {"app", "FEATURE_OTEL", "telemetry-operator", {"kustomize-controller"}},
      {"app", "FEATURE_OTEL", "kustomize-controller", {}},  // telemetry-operator owns only name
      {"app", "PORT", "telemetry-operator", {"kustomize-controller"}},
      {"app", "MISSING", "telemetry-operator", {}},
      {"otel-collector", "FEATURE_OTEL", "telemetry-operator", {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(envValueManagers(d, c.container, c.var, c.except), c.want)
        << c.container << " " << c.var;
  }
}

TEST(InjectFieldManagers, ToleratesMissingOrOddManagedFields) {
  EXPECT_TRUE(envValueManagers(Json::object(), "app", "F", "x").empty());
  Json d = gitOpsRevertedFlag();
  d["metadata"]["managedFields"][0]["fieldsType"] = "FieldsV2";
  EXPECT_TRUE(envValueManagers(d, "app", "FEATURE_OTEL", "telemetry-operator").empty());
  d["metadata"]["managedFields"] = "nonsense";
  EXPECT_TRUE(envValueManagers(d, "app", "FEATURE_OTEL", "telemetry-operator").empty());
}

}  // namespace
}  // namespace tro::controllers
