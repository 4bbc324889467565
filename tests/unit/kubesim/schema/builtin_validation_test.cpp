// Validation of a Deployment's built-in fields: one valid and one invalid case per rule, with the
// exact causes (reason, message, field) a real 1.32 kube-apiserver reports.

#include "kubesim/schema/builtin_validation.h"

#include <gtest/gtest.h>

#include "kubesim/schema/builtin.h"
#include "kubesim/schema/name_rules.h"
#include "kubesim/schema/pod_validation.h"
#include "kubesim/schema/quantity.h"

namespace kubesim::schema {
namespace {

constexpr const char* kBase = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default"},
  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [{"name": "app", "image": "example/app:1.0"}]}}}})";

constexpr const char* kC0 = "spec.template.spec.containers[0]";

// The base Deployment with `patch` merged in (RFC 7386: arrays are replaced), then defaulted as
// the write pipeline does before validating.
Json deployment(const char* patch) {
  Json d = Json::parse(kBase);
  d.merge_patch(Json::parse(patch));
  KindRegistry registry;
  applyBuiltinDefaults(d, *registry.byResource("apps", "v1", "deployments"));
  return d;
}

std::string containers(const std::string& list) {
  return R"({"spec": {"template": {"spec": {"containers": )" + list + "}}}}";
}

Cause invalid(const std::string& field, const std::string& message) {
  return {"FieldValueInvalid", "Invalid value: " + message, field};
}

struct Case {
  const char* name;
  std::string patch;
  std::vector<Cause> want;  // empty: valid
};

std::string longName(size_t n) { return std::string(n, 'a'); }

TEST(DeploymentValidationTest, EachRuleHasAValidAndAnInvalidCase) {
  const std::string dns = kDns1123LabelError;
  const std::string c0 = kC0;
  const Case cases[] = {
      {"valid base", "{}", {}},
      // spec.replicas
      {"zero replicas", R"({"spec": {"replicas": 0}})", {}},
      {"negative replicas",
       R"({"spec": {"replicas": -5}})",
       {invalid("spec.replicas", "-5: must be greater than or equal to 0")}},
      // container names
      {"63-character name",
       containers(R"([{"name": ")" + longName(63) + R"(", "image": "i"}])"),
       {}},
      {"empty name",
       containers(R"([{"name": "", "image": "i"}])"),
       {{"FieldValueRequired", "Required value", c0 + ".name"}}},
      {"name not an RFC 1123 label",
       containers(R"([{"name": "App_1", "image": "i"}])"),
       {invalid(c0 + ".name", "\"App_1\": " + dns)}},
      {"name too long",
       containers(R"([{"name": ")" + longName(64) + R"(", "image": "i"}])"),
       {invalid(c0 + ".name", "\"" + longName(64) + "\": must be no more than 63 characters")}},
      {"duplicate container names",
       containers(R"([{"name": "app", "image": "i"}, {"name": "app", "image": "j"}])"),
       {{"FieldValueDuplicate", "Duplicate value: \"app\"",
         "spec.template.spec.containers[1].name"}}},
      {"init container names",
       R"({"spec": {"template": {"spec": {"initContainers": [{"name": "init", "image": "i"}]}}}})",
       {}},
      {"init container named like a container",
       R"({"spec": {"template": {"spec": {"initContainers": [{"name": "app", "image": "i"}]}}}})",
       {{"FieldValueDuplicate", "Duplicate value: \"app\"",
         "spec.template.spec.initContainers[0].name"}}},
      {"init container name not a label",
       R"({"spec": {"template": {"spec": {"initContainers": [{"name": "Init", "image": "i"}]}}}})",
       {invalid("spec.template.spec.initContainers[0].name", "\"Init\": " + dns)}},
      // image
      {"empty image",
       containers(R"([{"name": "app", "image": ""}])"),
       {{"FieldValueRequired", "Required value", c0 + ".image"}}},
      // ports
      {"valid port",
       containers(R"([{"name": "app", "image": "i",
          "ports": [{"name": "http", "containerPort": 8080}]}])"),
       {}},
      {"containerPort 0 is required",
       containers(R"([{"name": "app", "image": "i", "ports": [{"containerPort": 0}]}])"),
       {{"FieldValueRequired", "Required value", c0 + ".ports[0].containerPort"}}},
      {"containerPort out of range",
       containers(R"([{"name": "app", "image": "i", "ports": [{"containerPort": 70000}]}])"),
       {invalid(c0 + ".ports[0].containerPort", "70000: must be between 1 and 65535, inclusive")}},
      {"port name with consecutive hyphens",
       containers(R"([{"name": "app", "image": "i",
          "ports": [{"name": "http--x", "containerPort": 80}]}])"),
       {invalid(c0 + ".ports[0].name", "\"http--x\": must not contain consecutive hyphens")}},
      {"port name too long and ending with a hyphen",
       containers(R"([{"name": "app", "image": "i",
          "ports": [{"name": "a-very-long-port-", "containerPort": 80}]}])"),
       {invalid(c0 + ".ports[0].name", "\"a-very-long-port-\": must be no more than 15 characters"),
        invalid(c0 + ".ports[0].name",
                "\"a-very-long-port-\": must not begin or end with a hyphen")}},
      {"port name without a letter",
       containers(R"([{"name": "app", "image": "i",
          "ports": [{"name": "8080", "containerPort": 80}]}])"),
       {invalid(c0 + ".ports[0].name", "\"8080\": must contain at least one letter (a-z)")}},
      {"upper-case port name",
       containers(R"([{"name": "app", "image": "i",
          "ports": [{"name": "Http", "containerPort": 80}]}])"),
       {invalid(c0 + ".ports[0].name",
                "\"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens "
                "(-)")}},
      {"duplicate port names",
       containers(R"([{"name": "app", "image": "i", "ports": [{"name": "http", "containerPort": 80},
          {"name": "http", "containerPort": 81}]}])"),
       {{"FieldValueDuplicate", "Duplicate value: \"http\"", c0 + ".ports[1].name"}}},
      // env
      {"relaxed env names are valid",
       containers(
           R"([{"name": "app", "image": "i", "env": [{"name": "1 weird.name", "value": "x"}]}])"),
       {}},
      {"empty env name",
       containers(R"([{"name": "app", "image": "i", "env": [{"name": "", "value": "x"}]}])"),
       {{"FieldValueRequired", "Required value", c0 + ".env[0].name"}}},
      {"env name with '='",
       containers(R"([{"name": "app", "image": "i", "env": [{"name": "A=B", "value": "x"}]}])"),
       {invalid(c0 + ".env[0].name", "\"A=B\": " + std::string(kRelaxedEnvVarNameError))}},
      // volumes and volumeMounts
      {"mounted volume",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "conf", "configMap": {"name": "c"}}],
          "containers": [{"name": "app", "image": "i",
            "volumeMounts": [{"name": "conf", "mountPath": "/conf"}]}]}}}})",
       {}},
      {"mount of a missing volume",
       containers(R"([{"name": "app", "image": "i",
          "volumeMounts": [{"name": "missing", "mountPath": "/x"}]}])"),
       {{"FieldValueNotFound", "Not found: \"missing\"", c0 + ".volumeMounts[0].name"}}},
      {"mount without mountPath",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "conf", "emptyDir": {}}],
          "containers": [{"name": "app", "image": "i",
            "volumeMounts": [{"name": "conf", "mountPath": ""}]}]}}}})",
       {{"FieldValueRequired", "Required value", c0 + ".volumeMounts[0].mountPath"}}},
      {"two mounts on one path",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "a", "emptyDir": {}},
          {"name": "b", "emptyDir": {}}], "containers": [{"name": "app", "image": "i",
            "volumeMounts": [{"name": "a", "mountPath": "/x"}, {"name": "b", "mountPath": "/x"}]}]}}}})",
       {invalid(c0 + ".volumeMounts[1].mountPath", "\"/x\": must be unique")}},
      {"volume name not a label",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "Conf", "emptyDir": {}}]}}}})",
       {invalid("spec.template.spec.volumes[0].name", "\"Conf\": " + dns)}},
      {"duplicate volume names",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "a", "emptyDir": {}},
          {"name": "a", "emptyDir": {}}]}}}})",
       {{"FieldValueDuplicate", "Duplicate value: \"a\"", "spec.template.spec.volumes[1].name"}}},
      {"volume without a source",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "a"}]}}}})",
       {{"FieldValueRequired", "Required value: must specify a volume type",
         "spec.template.spec.volumes[0]"}}},
      {"volume with two sources",
       R"({"spec": {"template": {"spec": {"volumes": [{"name": "a", "emptyDir": {},
          "configMap": {"name": "c"}}]}}}})",
       {{"FieldValueForbidden", "Forbidden: may not specify more than 1 volume type",
         "spec.template.spec.volumes[0].configMap"}}},
      // resources
      {"requests within limits",
       containers(R"([{"name": "app", "image": "i", "resources": {"limits": {"cpu": "1",
          "memory": "1024Mi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}}])"),
       {}},
      {"request above limit",
       containers(R"([{"name": "app", "image": "i",
          "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "2000m"}}}])"),
       {invalid(c0 + ".resources.requests",
                "\"2\": must be less than or equal to cpu limit of 1")}},
      {"negative limit",
       containers(R"([{"name": "app", "image": "i", "resources": {"limits": {"memory": "-1"}}}])"),
       {invalid(c0 + ".resources.limits[memory]", "\"-1\": must be greater than or equal to 0")}},
      {"extended resource without limit",
       containers(R"([{"name": "app", "image": "i",
          "resources": {"requests": {"example.com/gpu": 1}}}])"),
       {{"FieldValueRequired", "Required value: Limit must be set for non overcommitable resources",
         c0 + ".resources.limits"}}},
      {"extended resource request below limit",
       containers(R"([{"name": "app", "image": "i", "resources": {
          "limits": {"example.com/gpu": 2}, "requests": {"example.com/gpu": 1}}}])"),
       {invalid(c0 + ".resources.requests", "\"1\": must be equal to example.com/gpu limit of 2")}},
      {"init container resources",
       R"({"spec": {"template": {"spec": {"initContainers": [{"name": "init", "image": "i",
          "resources": {"limits": {"cpu": "100m"}, "requests": {"cpu": "0.2"}}}]}}}})",
       {invalid("spec.template.spec.initContainers[0].resources.requests",
                "\"200m\": must be less than or equal to cpu limit of 100m")}},
      // template
      {"restartPolicy Never",
       R"({"spec": {"template": {"spec": {"restartPolicy": "Never"}}}})",
       {{"FieldValueNotSupported", "Unsupported value: \"Never\": supported values: \"Always\"",
         "spec.template.spec.restartPolicy"}}},
      {"selector does not match the template labels",
       R"({"spec": {"template": {"metadata": {"labels": {"app": "other"}}}}})",
       {invalid("spec.template.metadata.labels",
                "map[string]string{\"app\":\"other\"}: `selector` does not match template "
                "`labels`")}},
      // spec counters
      {"negative minReadySeconds",
       R"({"spec": {"minReadySeconds": -1}})",
       {invalid("spec.minReadySeconds", "-1: must be greater than or equal to 0")}},
      {"negative revisionHistoryLimit",
       R"({"spec": {"revisionHistoryLimit": -1}})",
       {invalid("spec.revisionHistoryLimit", "-1: must be greater than or equal to 0")}},
      {"progressDeadlineSeconds above minReadySeconds",
       R"({"spec": {"minReadySeconds": 10, "progressDeadlineSeconds": 11}})",
       {}},
      {"progressDeadlineSeconds not above minReadySeconds",
       R"({"spec": {"minReadySeconds": 10, "progressDeadlineSeconds": 10}})",
       {invalid("spec.progressDeadlineSeconds", "10: must be greater than minReadySeconds")}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(validateDeployment(deployment(c.patch.c_str())), c.want) << c.name;
  }
}

TEST(DeploymentValidationTest, CausesComeInTheRealOrder) {
  // ValidateDeploymentSpec: replicas, template (volumes, containers, init containers), counters.
  auto causes = validateDeployment(deployment(R"({"spec": {"replicas": -1, "minReadySeconds": -1,
      "template": {"spec": {"volumes": [{"name": "V", "emptyDir": {}}],
        "initContainers": [{"name": "init", "image": ""}],
        "containers": [{"name": "app", "image": ""}]}}}})"));
  std::vector<std::string> fields;
  for (const auto& c : causes) fields.push_back(c.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"spec.replicas", "spec.template.spec.volumes[0].name",
                                              "spec.template.spec.containers[0].image",
                                              "spec.template.spec.initContainers[0].image",
                                              "spec.minReadySeconds"}));
}

TEST(DeploymentValidationTest, OnlyDeploymentsHaveRulesSoFar) {
  KindRegistry registry;
  Json bad = deployment(R"({"spec": {"replicas": -1}})");
  EXPECT_EQ(validateBuiltinFields(bad, *registry.byResource("apps", "v1", "deployments")).size(),
            1u);
  EXPECT_TRUE(
      validateBuiltinFields(bad, *registry.byResource("apps", "v1", "replicasets")).empty());
  EXPECT_TRUE(validateBuiltinFields(bad, *registry.byResource("", "v1", "configmaps")).empty());
}

TEST(DeploymentValidationTest, PodSpecRulesTakeAnyPath) {
  auto causes = validatePodSpec(Json::parse(R"({"containers": [{"name": "x", "image": ""}]})"),
                                "spec.template.spec");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.template.spec.containers[0].image");
  auto pod = validatePodSpec(Json::parse(R"({"containers": []})"), "spec");
  EXPECT_EQ(pod, (std::vector<Cause>{{"FieldValueRequired", "Required value", "spec.containers"}}));
}

TEST(QuantityDecodeTest, FirstUndecodableContainerQuantity) {
  struct DecodeCase {
    const char* name;
    std::string patch;
    const char* error;  // nullptr: decodes
  };
  const DecodeCase cases[] = {
      {"strings and numbers", containers(R"([{"name": "a", "image": "i", "resources":
          {"limits": {"cpu": "500m", "memory": 1073741824}, "requests": {"cpu": 0.25}}}])"),
       nullptr},
      {"bad limit", containers(R"([{"name": "a", "image": "i",
          "resources": {"limits": {"cpu": "abc"}}}])"),
       kQuantityFormatError},
      {"bad suffix", containers(R"([{"name": "a", "image": "i",
          "resources": {"requests": {"memory": "1kk"}}}])"),
       kQuantitySuffixError},
      {"boolean", containers(R"([{"name": "a", "image": "i",
          "resources": {"requests": {"memory": true}}}])"),
       kQuantityFormatError},
      {"init container", R"({"spec": {"template": {"spec": {"initContainers": [{"name": "b",
          "image": "i", "resources": {"limits": {"cpu": "1x"}}}]}}}})",
       kQuantityFormatError},
  };
  KindRegistry registry;
  const KindInfo& kind = *registry.byResource("apps", "v1", "deployments");
  for (const auto& c : cases) {
    Json d = Json::parse(kBase);
    d.merge_patch(Json::parse(c.patch));
    auto e = builtinDecodeError(d, kind);
    if (c.error == nullptr) {
      EXPECT_FALSE(e.has_value()) << c.name << ": " << e.value_or("");
    } else {
      EXPECT_EQ(e.value_or("<none>"), c.error) << c.name;
    }
  }
  Json nullQuantity = Json::parse(kBase);  // (merge_patch would drop the null)
  nullQuantity["spec"]["template"]["spec"]["containers"][0]["resources"] = {
      {"limits", {{"cpu", nullptr}}}};
  EXPECT_FALSE(builtinDecodeError(nullQuantity, kind));
  Json configMap = {{"data", {{"cpu", "abc"}}}};
  EXPECT_FALSE(builtinDecodeError(configMap, *registry.byResource("", "v1", "configmaps")));
  EXPECT_FALSE(builtinDecodeError(Json("not an object"), kind));
}

TEST(QuantityDecodeTest, ErrorsAreWordedLikeTheRealServer) {
  KindRegistry registry;
  ApiError create =
      decodeBadRequest(*registry.byResource("apps", "v1", "deployments"), kQuantityFormatError);
  EXPECT_EQ(create.code, 400);
  EXPECT_EQ(create.reason, "BadRequest");
  EXPECT_EQ(create.message,
            "Deployment in version \"v1\" cannot be handled as a Deployment: quantities must match "
            "the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");

  ApiError patch = patchDecodeInvalid(R"({"a":"b"})", kQuantityFormatError);
  EXPECT_EQ(patch.code, 422);
  EXPECT_EQ(patch.reason, "Invalid");
  const std::string cause =
      "Invalid value: \"{\\\"a\\\":\\\"b\\\"}\": " + std::string(kQuantityFormatError);
  EXPECT_EQ(patch.message, " \"\" is invalid: patch: " + cause);
  EXPECT_EQ(patch.causes, (std::vector<Cause>{{"FieldValueInvalid", cause, "patch"}}));
  Json status = patch.toStatus();
  EXPECT_EQ(status["details"], Json::parse(R"({"causes": [{"reason": "FieldValueInvalid",
      "message": )" + Json(cause).dump() + R"(, "field": "patch"}]})"));

  // The quoted value is bounded.
  ApiError big = patchDecodeInvalid(std::string(10000, 'x'), kQuantityFormatError);
  EXPECT_NE(big.message.find("\"" + std::string(kPatchValueLimit, 'x') + "...\""),
            std::string::npos);
  EXPECT_LT(big.message.size(), kPatchValueLimit + 300);

  EXPECT_EQ(patchMapText(Json::parse(R"({"spec": {"template": {"spec": {"containers": [{"name":
      "app", "resources": {"limits": {"cpu": "abc", "memory": 2}}}]}}}, "b": [1.5, null, true]})")),
            "map[b:[1.5 <nil> true] spec:map[template:map[spec:map[containers:[map[name:app "
            "resources:map[limits:map[cpu:abc memory:2]]]]]]]]");
}

TEST(NameRulesTest, ValidAndInvalid) {
  EXPECT_TRUE(isDNS1123Label("my-name").empty());
  EXPECT_TRUE(isDNS1123Label("123-abc").empty());
  EXPECT_EQ(isDNS1123Label("-a"), std::vector<std::string>{kDns1123LabelError});
  EXPECT_EQ(isDNS1123Label("a.b"), std::vector<std::string>{kDns1123LabelError});
  EXPECT_EQ(isDNS1123Label(std::string(64, 'a')),
            std::vector<std::string>{"must be no more than 63 characters"});
  EXPECT_TRUE(isValidPortName("http-2").empty());
  EXPECT_EQ(isValidPortName("-"),
            (std::vector<std::string>{"must contain at least one letter (a-z)",
                                      "must not begin or end with a hyphen"}));
  EXPECT_TRUE(isValidPortNum(65535).empty());
  EXPECT_EQ(isValidPortNum(-1), std::vector<std::string>{"must be between 1 and 65535, inclusive"});
  EXPECT_TRUE(isRelaxedEnvVarName("a b~!").empty());
  EXPECT_EQ(isRelaxedEnvVarName("caf\xc3\xa9"), std::vector<std::string>{kRelaxedEnvVarNameError});
  EXPECT_EQ(isRelaxedEnvVarName("tab\there"), std::vector<std::string>{kRelaxedEnvVarNameError});
}

// The base object as a StatefulSet or DaemonSet, with `patch` merged in, then defaulted.
Json podSet(const char* kind, const char* plural, const char* patch) {
  Json d = Json::parse(kBase);
  d["kind"] = kind;
  if (std::string(kind) == "DaemonSet") d["spec"].erase("replicas");
  d.merge_patch(Json::parse(patch));
  KindRegistry registry;
  applyBuiltinDefaults(d, *registry.byResource("apps", "v1", plural));
  return d;
}

TEST(StatefulSetValidationTest, EachRuleHasAValidAndAnInvalidCase) {
  const Case cases[] = {
      {"valid base", "{}", {}},
      {"partition", R"({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 2}}}})", {}},
      {"negative partition",
       R"({"spec": {"updateStrategy": {"rollingUpdate": {"partition": -1}}}})",
       {invalid("spec.updateStrategy.rollingUpdate.partition",
                "-1: must be greater than or equal to 0")}},
      {"OnDelete", R"({"spec": {"updateStrategy": {"type": "OnDelete"}}})", {}},
      {"OnDelete with rollingUpdate",
       R"({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}}})",
       {invalid("spec.updateStrategy.rollingUpdate",
                "map[partition:1]: only allowed for updateStrategy 'RollingUpdate'")}},
      {"negative replicas",
       R"({"spec": {"replicas": -1}})",
       {invalid("spec.replicas", "-1: must be greater than or equal to 0")}},
      {"selector mismatch",
       R"({"spec": {"selector": {"matchLabels": {"app": "other"}}}})",
       {invalid("spec.template.metadata.labels",
                "map[string]string{\"app\":\"web\"}: `selector` does not match template "
                "`labels`")}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(validateStatefulSet(podSet("StatefulSet", "statefulsets", c.patch.c_str())), c.want)
        << c.name;
  }
}

TEST(DaemonSetValidationTest, EachRuleHasAValidAndAnInvalidCase) {
  const Case cases[] = {
      {"valid base", "{}", {}},
      {"surge only",
       R"({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}})",
       {}},
      {"neither",
       R"({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}}})",
       {invalid("spec.updateStrategy.rollingUpdate.maxUnavailable",
                "0: may not be 0 when `maxSurge` is 0")}},
      {"negative minReadySeconds",
       R"({"spec": {"minReadySeconds": -1}})",
       {invalid("spec.minReadySeconds", "-1: must be greater than or equal to 0")}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(validateDaemonSet(podSet("DaemonSet", "daemonsets", c.patch.c_str())), c.want)
        << c.name;
  }
}

}  // namespace
}  // namespace kubesim::schema

namespace kubesim::schema {
namespace {

// What an update may not change, with the values rendered as the real server renders them.
TEST(BuiltinUpdateValidationTest, ImmutableSelectorsStatefulSetSpecsAndRoleRefs) {
  KindRegistry r;
  const KindInfo& deployments = *r.byResource("apps", "v1", "deployments");
  const Json before = Json::parse(R"({"spec": {"selector": {"matchLabels": {"app": "web"}},
                                               "replicas": 2}})");
  Json after = before;
  after["spec"]["replicas"] = 3;
  EXPECT_TRUE(validateBuiltinUpdate(before, after, deployments).empty());
  after["spec"]["selector"] = {{"matchLabels", {{"app", "x"}, {"tier", "a"}}}};
  EXPECT_EQ(validateBuiltinUpdate(before, after, deployments),
            (std::vector<Cause>{{"FieldValueInvalid",
                                 "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"
                                 "\"app\":\"x\", \"tier\":\"a\"}, MatchExpressions:[]v1."
                                 "LabelSelectorRequirement(nil)}: field is immutable",
                                 "spec.selector"}}));
  after["spec"]["selector"] =
      Json::parse(R"({"matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]})");
  EXPECT_EQ(
      validateBuiltinUpdate(before, after, *r.byResource("apps", "v1", "daemonsets"))[0].message,
      "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
      "MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"
      "\"app\", Operator:\"In\", Values:[]string{\"x\"}}}}: field is immutable");

  const KindInfo& statefulSets = *r.byResource("apps", "v1", "statefulsets");
  Json sts = Json::parse(R"({"spec": {"serviceName": "db", "replicas": 1,
                                      "template": {"metadata": {"labels": {"app": "db"}}}}})");
  Json changed = sts;
  changed["spec"]["replicas"] = 3;
  changed["spec"]["template"]["metadata"]["annotations"] = {{"a", "b"}};
  changed["spec"]["updateStrategy"] = {{"type", "OnDelete"}};
  EXPECT_TRUE(validateBuiltinUpdate(sts, changed, statefulSets).empty());
  changed["spec"]["serviceName"] = "other";
  const auto forbidden = validateBuiltinUpdate(sts, changed, statefulSets);
  ASSERT_EQ(forbidden.size(), 1u);
  EXPECT_EQ(forbidden[0].field, "spec");
  EXPECT_EQ(forbidden[0].message,
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
            "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
            "'minReadySeconds' are forbidden");

  const KindInfo& bindings = *r.byResource("rbac.authorization.k8s.io", "v1", "rolebindings");
  const Json binding = Json::parse(
      R"({"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "a"}})");
  Json rebound = binding;
  rebound["subjects"] = Json::array();
  EXPECT_TRUE(validateBuiltinUpdate(binding, rebound, bindings).empty());
  rebound["roleRef"]["name"] = "b";
  EXPECT_EQ(validateBuiltinUpdate(binding, rebound, bindings),
            (std::vector<Cause>{{"FieldValueInvalid",
                                 "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s."
                                 "io\", Kind:\"Role\", Name:\"b\"}: cannot change roleRef",
                                 "roleRef"}}));
}

}  // namespace
}  // namespace kubesim::schema
