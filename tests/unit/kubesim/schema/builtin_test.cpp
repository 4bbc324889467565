#include "kubesim/schema/builtin.h"

#include <gtest/gtest.h>

#include "kubesim/schema/structural.h"

namespace kubesim::schema {
namespace {

const KindInfo& kind(const KindRegistry& r, const char* group, const char* plural) {
  const KindInfo* k = r.byResource(group, "v1", plural);
  EXPECT_NE(k, nullptr);
  return *k;
}

TEST(BuiltinDefaults, DeploymentMatchesReference28) {
  KindRegistry r;
  Json obj = Json::parse(
      R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0", "env": [{"name": "KEEP", "value": "1"}]}, {"name": "side", "image": "example/side:1.0"}]}}}})");
  applyBuiltinDefaults(obj, kind(r, "apps", "deployments"));
  const Json expectedSpec = Json::parse(R"({
  "replicas": 2,
  "selector": {"matchLabels": {"app": "web"}},
  "template": {
   "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
   "spec": {
    "containers": [
     {"name": "app", "image": "example/app:1.0", "env": [{"name": "KEEP", "value": "1"}],
      "resources": {}, "terminationMessagePath": "/dev/termination-log",
      "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"},
     {"name": "side", "image": "example/side:1.0", "resources": {},
      "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
      "imagePullPolicy": "IfNotPresent"}],
    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
    "securityContext": {}, "schedulerName": "default-scheduler"}},
  "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
  "revisionHistoryLimit": 10,
  "progressDeadlineSeconds": 600})");
  EXPECT_EQ(obj["spec"], expectedSpec);
  // Defaulting is idempotent and keeps what the client set.
  Json again = obj;
  applyBuiltinDefaults(again, kind(r, "apps", "deployments"));
  EXPECT_EQ(again, obj);
  Json recreate = Json::parse(R"({"spec": {"replicas": 1, "strategy": {"type": "Recreate"},
      "revisionHistoryLimit": 3, "template": {"spec": {"containers": []}}}})");
  applyBuiltinDefaults(recreate, kind(r, "apps", "deployments"));
  EXPECT_EQ(recreate["spec"]["strategy"], Json::parse(R"({"type": "Recreate"})"));
  EXPECT_EQ(recreate["spec"]["revisionHistoryLimit"], 3);
}

TEST(BuiltinDefaults, StatefulSetAndDaemonSetAsTheRealServer) {
  KindRegistry r;
  const char* tmpl =
      R"("selector": {"matchLabels": {"app": "x"}}, "template": {"metadata": {"labels": {"app":
      "x"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0"}]}})";
  Json sts = Json::parse(std::string(R"({"spec": {)") + tmpl + "}}");
  applyBuiltinDefaults(sts, kind(r, "apps", "statefulsets"));
  EXPECT_EQ(sts["spec"]["replicas"], 1);
  EXPECT_EQ(sts["spec"]["podManagementPolicy"], "OrderedReady");
  EXPECT_EQ(sts["spec"]["updateStrategy"],
            Json::parse(R"({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})"));
  EXPECT_EQ(sts["spec"]["persistentVolumeClaimRetentionPolicy"],
            Json::parse(R"({"whenDeleted": "Retain", "whenScaled": "Retain"})"));
  EXPECT_EQ(sts["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(sts["spec"]["template"]["spec"]["restartPolicy"], "Always");
  EXPECT_EQ(sts["spec"]["template"]["metadata"]["creationTimestamp"], nullptr);
  Json onDelete = Json::parse(R"({"spec": {"updateStrategy": {"type": "OnDelete"}}})");
  applyBuiltinDefaults(onDelete, kind(r, "apps", "statefulsets"));
  EXPECT_EQ(onDelete["spec"]["updateStrategy"], Json::parse(R"({"type": "OnDelete"})"));

  Json ds = Json::parse(std::string(R"({"spec": {)") + tmpl + "}}");
  applyBuiltinDefaults(ds, kind(r, "apps", "daemonsets"));
  EXPECT_FALSE(ds["spec"].contains("replicas"));
  EXPECT_EQ(ds["spec"]["updateStrategy"], Json::parse(R"({"type": "RollingUpdate",
                            "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})"));
  EXPECT_EQ(ds["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(ds["spec"]["template"]["spec"]["dnsPolicy"], "ClusterFirst");
  Json again = ds;
  applyBuiltinDefaults(again, kind(r, "apps", "daemonsets"));
  EXPECT_EQ(again, ds);
}

TEST(BuiltinDefaults, ImagePullPolicy) {
  KindRegistry r;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nginx", "Always"},
      {"nginx:latest", "Always"},
      {"nginx:1.25", "IfNotPresent"},
      {"localhost:5000/app", "Always"},
      {"localhost:5000/app:v2", "IfNotPresent"},
      {"app@sha256:abc", "IfNotPresent"},
  };
  for (const auto& [image, policy] : cases) {
    Json pod = {{"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}};
    applyBuiltinDefaults(pod, kind(r, "", "pods"));
    EXPECT_EQ(pod["spec"]["containers"][0]["imagePullPolicy"], policy) << image;
    EXPECT_EQ(pod["spec"]["enableServiceLinks"], true);
  }
}

TEST(BuiltinDefaults, PortsProbesServicesNamespacesEvents) {
  KindRegistry r;
  Json rs = Json::parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i:1",
      "ports":[{"containerPort":80}],"readinessProbe":{"httpGet":{"port":80}}}]}}}})");
  applyBuiltinDefaults(rs, kind(r, "apps", "replicasets"));
  EXPECT_EQ(rs["spec"]["replicas"], 1);
  const Json& c = rs["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(c["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(c["readinessProbe"], Json::parse(R"({"httpGet":{"port":80,"path":"/","scheme":"HTTP"},
      "timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3})"));

  Json svc = Json::parse(R"({"spec":{"ports":[{"port":80}]}})");
  applyBuiltinDefaults(svc, kind(r, "", "services"));
  EXPECT_EQ(svc["spec"]["type"], "ClusterIP");
  EXPECT_EQ(svc["spec"]["ports"][0],
            Json::parse(R"({"port":80,"protocol":"TCP","targetPort":80})"));

  Json ns = Json::parse(R"({"metadata":{"name":"x"}})");
  applyBuiltinDefaults(ns, kind(r, "", "namespaces"));
  EXPECT_EQ(ns["spec"], Json::parse(R"({"finalizers":["kubernetes"]})"));
  EXPECT_EQ(ns["status"], Json::parse(R"({"phase":"Active"})"));
  // Every Namespace carries its own name as a label, whatever the client sent (as since 1.22).
  EXPECT_EQ(ns["metadata"]["labels"], Json::parse(R"({"kubernetes.io/metadata.name":"x"})"));
  Json relabelled = Json::parse(
      R"({"metadata":{"name":"y","labels":{"kubernetes.io/metadata.name":"z","a":"b"}}})");
  applyBuiltinDefaults(relabelled, kind(r, "", "namespaces"));
  EXPECT_EQ(relabelled["metadata"]["labels"],
            Json::parse(R"({"kubernetes.io/metadata.name":"y","a":"b"})"));

  Json ev = Json::parse(R"({"reason":"R"})");
  applyBuiltinDefaults(ev, kind(r, "", "events"));
  EXPECT_EQ(
      ev, Json::parse(
              R"({"reason":"R","eventTime":null,"reportingComponent":"","reportingInstance":""})"));

  Json cm = Json::parse(R"({"data":{"a":"b"}})");
  applyBuiltinDefaults(cm, kind(r, "", "configmaps"));
  EXPECT_EQ(cm, Json::parse(R"({"data":{"a":"b"}})"));
}

TEST(BuiltinDefaults, MalformedInputDoesNotThrow) {
  KindRegistry r;
  for (const char* text :
       {R"({"spec": 3})", R"({"spec": {"template": []}})",
        R"({"spec": {"template": {"spec": {"containers": [1, "x", null]}}}})",
        R"({"spec": {"strategy": "x", "template": {"metadata": 1}}})", R"([])"}) {
    Json obj = Json::parse(text);
    EXPECT_NO_THROW(applyBuiltinDefaults(obj, kind(r, "apps", "deployments"))) << text;
  }
}

TEST(BuiltinSchemas, OrdinaryManifestsAreValidAndKnown) {
  KindRegistry r;
  struct Case {
    const char* group;
    const char* plural;
    const char* manifest;
  };
  const std::vector<Case> cases = {
      {"apps", "deployments", R"({"apiVersion":"apps/v1","kind":"Deployment",
        "metadata":{"name":"x","namespace":"default","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
          "ownerReferences":[{"apiVersion":"v1","kind":"K","name":"o","uid":"u","controller":true}],"finalizers":["a/b"]},
        "spec":{"replicas":2,"selector":{"matchLabels":{"app":"x"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},
          "template":{"metadata":{"labels":{"app":"x"},"annotations":{"a":"b"},"creationTimestamp":null},
            "spec":{"containers":[{"name":"app","image":"example/app:v1",
              "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
              "ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],
              "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":1}},
              "volumeMounts":[{"name":"cfg","mountPath":"/etc/cfg","readOnly":true}],
              "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5},
              "securityContext":{"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}}}],
            "volumes":[{"name":"cfg","configMap":{"name":"cfg"}}],
            "securityContext":{"fsGroup":2000},"serviceAccountName":"sa",
            "tolerations":[{"key":"k","operator":"Exists"}]}}},
        "status":{"replicas":2,"conditions":[{"type":"Available","status":"True","reason":"R"}]}})"},
      {"", "configmaps",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}})"},
      {"", "events",
       R"({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.1", "namespace": "default"}, "involvedObject": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "namespace": "default"}, "reason": "TelemetryEnabled", "message": "flag on", "type": "Normal", "source": {"component": "telemetry-rollout-operator"}, "firstTimestamp": "2026-11-21T05:00:00Z", "lastTimestamp": "2026-11-21T05:00:00Z", "count": 1, "eventTime": null})"},
      {"coordination.k8s.io", "leases",
       R"({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "op-leader", "namespace": "default"}, "spec": {"holderIdentity": "op-1", "leaseDurationSeconds": 15, "acquireTime": "2026-11-21T05:00:00.000000Z", "renewTime": "2026-11-21T05:00:00.000000Z", "leaseTransitions": 0}})"},
      {"", "services",
       R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"app":"x"},"ports":[{"port":80,"targetPort":"http"}]}})"},
      {"apiextensions.k8s.io", "customresourcedefinitions",
       R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.test"},"spec":{"group":"example.test","scope":"Namespaced","names":{"plural":"gadgets","kind":"Gadget","shortNames":["gd"]},"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},"subresources":{"status":{}},"additionalPrinterColumns":[{"name":"A","type":"date","jsonPath":".metadata.creationTimestamp"}]}]}})"},
  };
  for (const auto& c : cases) {
    const KindInfo& k = kind(r, c.group, c.plural);
    Json obj = Json::parse(c.manifest);
    EXPECT_EQ(unknownFields(obj, k.schema), std::vector<std::string>{}) << c.plural;
    EXPECT_EQ(validate(obj, k.schema), std::vector<Cause>{}) << c.plural;
    applyBuiltinDefaults(obj, k);
    EXPECT_EQ(validate(obj, k.schema), std::vector<Cause>{}) << c.plural << " after defaults";
  }
}

TEST(BuiltinSchemas, StrictValidationFindsTyposAndBadValues) {
  KindRegistry r;
  const KindInfo& deploy = kind(r, "apps", "deployments");
  const Json obj = Json::parse(
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x","labelz":{}},
    "spec":{"replicas":"two","selector":{"matchLabels":{"app":"x"}},"template":{"spec":{"containers":[
      {"name":"app","image":"i","imagePullPolicy":"Sometimes","envv":[]}]}},"x":1}})");
  EXPECT_EQ(unknownFields(obj, deploy.schema),
            (std::vector<std::string>{"metadata.labelz", "spec.template.spec.containers[0].envv",
                                      "spec.x"}));
  EXPECT_EQ(
      validate(obj, deploy.schema),
      (std::vector<Cause>{
          {"FieldValueInvalid",
           "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"",
           "spec.replicas"},
          {"FieldValueNotSupported",
           "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", "
           "\"Never\"",
           "spec.template.spec.containers[0].imagePullPolicy"}}));
  const Json noImage =
      Json::parse(R"({"spec":{"selector":{},"template":{"spec":{"containers":[{"image":"i"}]}}}})");
  EXPECT_EQ(validate(noImage, deploy.schema),
            (std::vector<Cause>{{"FieldValueRequired", "Required value",
                                 "spec.template.spec.containers[0].name"}}));
}

}  // namespace
}  // namespace kubesim::schema

namespace kubesim::schema {
namespace {

// kubesim never crashes on client input: every entry point takes arbitrary JSON.
TEST(Robustness, ArbitraryValuesNeverThrow) {
  KindRegistry r;
  const std::vector<Json> values = {
      nullptr,
      1,
      -1.5,
      1e300,
      "s",
      true,
      Json::array(),
      Json::object(),
      Json::parse(
          R"({"metadata": 1, "spec": [1], "status": "x", "data": [], "involvedObject": 3})"),
      Json::parse(R"({"metadata": {"name": 5, "labels": [1], "creationTimestamp": 7},
        "spec": {"replicas": 1e300, "template": {"metadata": [], "spec": {"containers": {"a": 1},
        "volumes": [null, 1]}}, "selector": {"matchLabels": [1], "matchExpressions": [1]},
        "ports": 1, "selector2": null}, "status": {"readyReplicas": "x", "containerStatuses": 1}})")};
  const std::vector<Json> schemas = {
      nullptr, Json::object(), Json::parse(R"({"type": 5, "properties": [], "required": "x"})"),
      Json::parse(R"({"type":"object","properties":{"a":{"type":"string","maxLength":-1,
        "minLength":1.5,"pattern":5,"enum":"x","minimum":"0"}},"additionalProperties":7,
        "items":3})")};
  for (const KindInfo* k : r.all()) {
    for (const auto& v : values) {
      Json obj = v;
      EXPECT_NO_THROW({
        (void)unknownFields(obj, k->schema);
        (void)validate(obj, k->schema);
        prune(obj, k->schema);
        applyBuiltinDefaults(obj, *k);
        (void)validate(obj, k->schema);
      }) << k->plural
         << " " << v.dump();
    }
  }
  for (const auto& s : schemas) {
    for (const auto& v : values) {
      Json obj = v;
      EXPECT_NO_THROW({
        (void)validate(obj, s);
        (void)unknownFields(obj, s);
        applyDefaults(obj, s);
        prune(obj, s);
      }) << s.dump()
         << " " << v.dump();
    }
  }
}

}  // namespace
}  // namespace kubesim::schema
