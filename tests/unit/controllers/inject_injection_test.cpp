#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/json_patch_diff.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
namespace a = annotations;

// A Deployment around the given pod spec, shaped like what the API server returns.
Json deployment(const char* podSpec, const char* annotationsJson = nullptr) {
  Json d = Json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": "100", "generation": 3,
                 "labels": {"app": "cart"}},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "cart"}},
             "template": {"metadata": {"labels": {"app": "cart"}}}},
    "status": {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2,
               "availableReplicas": 2}})");
  d["spec"]["template"]["spec"] = Json::parse(podSpec);
  if (annotationsJson) d["metadata"]["annotations"] = Json::parse(annotationsJson);
  return d;
}

CollectorSpec collector() {
  CollectorSpec c;
  c.image = "otel/opentelemetry-collector-contrib:0.90.0";
  c.configMap = "otel-cfg";
  c.resources = Json::parse(R"({"requests": {"cpu": "50m", "memory": "64Mi"}})");
  return c;
}

InjectionConfig config(bool withCollector = true) {
  InjectionConfig c;
  c.owner = "shop/otel";
  c.flag = {"FEATURE_OTEL", "true", "false"};
  c.env = {{"OTEL_SERVICE_NAME", "$(DEPLOYMENT_NAME)"},
           {"OTEL_RESOURCE_ATTRIBUTES", "k8s.namespace.name=$(NAMESPACE),svc=$(DEPLOYMENT_NAME)"},
           {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"}};
  if (withCollector) c.collector = collector();
  return c;
}

Json ok(const InjectResult& r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Json();
}

const Json& container(const Json& d, const std::string& name) {
  for (const Json& c : d["spec"]["template"]["spec"]["containers"]) {
    if (c["name"] == name) return c;
  }
  static const Json kMissing;
  return kMissing;
}

// name -> value of a container's plain env vars.
std::map<std::string, std::string> envOf(const Json& d, const std::string& name) {
  std::map<std::string, std::string> out;
  for (const Json& e : container(d, name).value("env", Json::array())) {
    out[e["name"]] = e.value("value", "");
  }
  return out;
}

struct Template {
  const char* what;
  const char* podSpec;
  const char* annotations;
};

const Template kTemplates[] = {
    {"no env, no volumes, no annotations", R"({"containers":[{"name":"app","image":"a:1"}]})",
     nullptr},
    {"empty env list and empty annotations",
     R"({"containers":[{"name":"app","image":"a:1","env":[]}]})", "{}"},
    {"unrelated env and annotations",
     R"({"containers":[{"name":"app","image":"a:1","env":[{"name":"LOG","value":"debug"}]}]})",
     R"({"team":"payments"})"},
    {"flag already present in the middle",
     R"({"containers":[{"name":"app","image":"a:1","env":[
        {"name":"A","value":"1"},{"name":"FEATURE_OTEL","value":"false"},
        {"name":"B","value":"2"}]}]})",
     nullptr},
    {"same-named env vars with other values",
     R"({"containers":[{"name":"app","image":"a:1","env":[
        {"name":"OTEL_SERVICE_NAME","value":"legacy"},{"name":"FEATURE_OTEL","value":"yes"},
        {"name":"OTEL_EXPORTER_OTLP_ENDPOINT"}]}]})",
     nullptr},
    {"unrelated valueFrom is fine",
     R"({"containers":[{"name":"app","image":"a:1","env":[
        {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]}]})",
     nullptr},
    {"two containers and init containers",
     R"({"initContainers":[{"name":"migrate","image":"m:1","env":[{"name":"X","value":"1"}]}],
        "containers":[{"name":"app","image":"a:1"},
                      {"name":"worker","image":"w:1","env":[{"name":"Q","value":"jobs"}]}]})",
     nullptr},
    {"existing volumes",
     R"({"containers":[{"name":"app","image":"a:1","volumeMounts":[{"name":"data",
        "mountPath":"/data"}]}],"volumes":[{"name":"data","emptyDir":{}}]})",
     R"({"deployment.kubernetes.io/revision":"3"})"},
    {"empty volumes list", R"({"containers":[{"name":"app","image":"a:1"}],"volumes":[]})",
     nullptr},
};

TEST(InjectInjection, EnabledFormSetsFlagEnvSidecarAndAnnotations) {
  const Json d = ok(inject(deployment(kTemplates[2].podSpec, kTemplates[2].annotations), config()));
  const auto env = envOf(d, "app");
  EXPECT_EQ(env.at("FEATURE_OTEL"), "true");
  EXPECT_EQ(env.at("OTEL_SERVICE_NAME"), "cart");
  EXPECT_EQ(env.at("OTEL_RESOURCE_ATTRIBUTES"), "k8s.namespace.name=shop,svc=cart");
  EXPECT_EQ(env.at("OTEL_EXPORTER_OTLP_ENDPOINT"), "http://localhost:4318");
  EXPECT_EQ(env.at("LOG"), "debug");
  // Existing variables keep their place; new ones are appended flag first, in config order.
  const Json& list = container(d, "app")["env"];
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0]["name"], "LOG");
  EXPECT_EQ(list[1]["name"], "FEATURE_OTEL");
  EXPECT_EQ(list[4]["name"], "OTEL_EXPORTER_OTLP_ENDPOINT");

  EXPECT_EQ(container(d, "otel-collector"), Json::parse(R"({
    "name": "otel-collector", "image": "otel/opentelemetry-collector-contrib:0.90.0",
    "args": ["--config=/conf/otel-collector-config.yaml"],
    "ports": [{"name": "otlp-grpc", "containerPort": 4317, "protocol": "TCP"},
              {"name": "otlp-http", "containerPort": 4318, "protocol": "TCP"}],
    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
    "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                        "runAsNonRoot": true, "capabilities": {"drop": ["ALL"]}},
    "volumeMounts": [{"name": "otel-collector-config", "mountPath": "/conf",
                      "readOnly": true}]})"));
  EXPECT_EQ(d["spec"]["template"]["spec"]["volumes"], Json::parse(R"([{"name":
    "otel-collector-config", "configMap": {"name": "otel-cfg", "defaultMode": 420}}])"));

  const Json& ann = d["metadata"]["annotations"];
  EXPECT_EQ(ann["team"], "payments");
  EXPECT_EQ(ann[a::kOwner], "shop/otel");
  EXPECT_EQ(ann[a::kState], "enabled");
  EXPECT_EQ(ann[a::kConfigHash], configHash(config()));
  EXPECT_EQ(Json::parse(ann[a::kRestore].get<std::string>()), Json::parse(R"({
    "containers": {"app": {"env": {"FEATURE_OTEL": null, "OTEL_SERVICE_NAME": null,
      "OTEL_RESOURCE_ATTRIBUTES": null, "OTEL_EXPORTER_OTLP_ENDPOINT": null}}},
    "sidecar": "otel-collector", "volume": "otel-collector-config", "volumesAbsent": true})"));
  // Nothing else changes: status, labels, replicas.
  EXPECT_EQ(d["status"], deployment(kTemplates[2].podSpec)["status"]);
  EXPECT_EQ(d["spec"]["replicas"], 2);
}

TEST(InjectInjection, ExistingValuesAreReplacedInPlaceAndRecorded) {
  const Json d = ok(inject(deployment(kTemplates[4].podSpec), config()));
  const Json& list = container(d, "app")["env"];
  EXPECT_EQ(list[0], Json::parse(R"({"name":"OTEL_SERVICE_NAME","value":"cart"})"));
  EXPECT_EQ(list[1], Json::parse(R"({"name":"FEATURE_OTEL","value":"true"})"));
  EXPECT_EQ(list[2], Json::parse(R"({"name":"OTEL_EXPORTER_OTLP_ENDPOINT",
                                     "value":"http://localhost:4318"})"));
  const Json record = Json::parse(d["metadata"]["annotations"][a::kRestore].get<std::string>());
  EXPECT_EQ(record["containers"]["app"]["env"]["OTEL_SERVICE_NAME"]["value"], "legacy");
  EXPECT_EQ(record["containers"]["app"]["env"]["OTEL_EXPORTER_OTLP_ENDPOINT"],
            Json::parse(R"({"name":"OTEL_EXPORTER_OTLP_ENDPOINT"})"));
}

// The properties every template must satisfy, with and without a collector, for every form.
TEST(InjectInjection, RoundTripAndIdempotenceOverAllTemplates) {
  for (const bool withCollector : {true, false}) {
    for (const bool removeCollector : {true, false}) {
      for (const Template& t : kTemplates) {
        SCOPED_TRACE(std::string(t.what) + (withCollector ? " +collector" : " -collector") +
                     (removeCollector ? " removeOnRollback" : ""));
        InjectionConfig c = config(withCollector);
        c.removeCollectorOnRollback = removeCollector;
        const Json d = deployment(t.podSpec, t.annotations);
        const Json on = ok(inject(d, c));
        ASSERT_NE(on, d);
        EXPECT_EQ(ok(inject(on, c)), on) << "inject is idempotent";
        EXPECT_EQ(ok(restore(on, c)), d) << "restore(inject(d)) == d";
        EXPECT_EQ(ok(restore(d, c)), d) << "restore of an untouched deployment changes nothing";

        const Json off = ok(rollback(on, c));
        EXPECT_EQ(ok(rollback(off, c)), off) << "rollback is idempotent";
        EXPECT_EQ(envOf(off, "app").at("FEATURE_OTEL"), "false");
        EXPECT_EQ(envOf(off, "app").count("OTEL_EXPORTER_OTLP_ENDPOINT"),
                  envOf(d, "app").count("OTEL_EXPORTER_OTLP_ENDPOINT"));
        EXPECT_EQ(container(off, "otel-collector").is_null(), removeCollector || !withCollector);
        EXPECT_EQ(off["metadata"]["annotations"][a::kState], "disabled");
        EXPECT_EQ(ok(restore(off, c)), d) << "restore(rollback(inject(d))) == d";
        EXPECT_EQ(ok(inject(off, c)), on) << "re-enabling after rollback is the enabled form";

        // Repeated cycles keep the true original.
        Json cycled = d;
        for (int i = 0; i < 3; ++i) cycled = ok(rollback(ok(inject(cycled, c)), c));
        EXPECT_EQ(ok(restore(cycled, c)), d);

        // The write the executor would send turns live into desired, and nothing when done.
        const Json patch = makeJsonPatch(d, on);
        EXPECT_EQ(d.patch(patch), on);
        EXPECT_TRUE(isNoOpPatch(makeJsonPatch(on, ok(inject(on, c)))));
        EXPECT_EQ(on.patch(makeJsonPatch(on, off)), off);
        EXPECT_EQ(off.patch(makeJsonPatch(off, d)), d);
      }
    }
  }
}

TEST(InjectInjection, InitContainersAndUnnamedContainersStayUntouched) {
  InjectionConfig c = config();
  c.containers = {"app"};
  const Json d = deployment(kTemplates[6].podSpec);
  const Json on = ok(inject(d, c));
  EXPECT_EQ(on["spec"]["template"]["spec"]["initContainers"],
            d["spec"]["template"]["spec"]["initContainers"]);
  EXPECT_EQ(container(on, "worker"), container(d, "worker"));
  EXPECT_EQ(envOf(on, "app").at("FEATURE_OTEL"), "true");

  c.containers.clear();
  const Json all = ok(inject(d, c));
  EXPECT_EQ(envOf(all, "worker").at("FEATURE_OTEL"), "true");
  EXPECT_EQ(envOf(all, "worker").at("Q"), "jobs");
  EXPECT_EQ(container(all, "otel-collector").count("env"), 0u) << "the sidecar is no target";
}

struct ConflictCase {
  const char* what;
  const char* podSpec;
  const char* annotations;
  InjectError::Kind kind;
};

TEST(InjectInjection, ConflictsAreErrorsForEveryForm) {
  const ConflictCase cases[] = {
      {"flag defined with valueFrom",
       R"({"containers":[{"name":"app","env":[{"name":"FEATURE_OTEL",
          "valueFrom":{"configMapKeyRef":{"name":"flags","key":"otel"}}}]}]})",
       nullptr, InjectError::Kind::Conflict},
      {"container with the collector's name",
       R"({"containers":[{"name":"app"},{"name":"otel-collector","image":"mine"}]})", nullptr,
       InjectError::Kind::Conflict},
      {"volume with the collector's volume name",
       R"({"containers":[{"name":"app"}],"volumes":[{"name":"otel-collector-config",
          "emptyDir":{}}]})",
       nullptr, InjectError::Kind::Conflict},
      {"claimed by another rollout", R"({"containers":[{"name":"app"}]})",
       R"({"rollout.telemetry.io/owner":"shop/other"})", InjectError::Kind::Conflict},
      {"corrupt restore record", R"({"containers":[{"name":"app"}]})",
       R"({"rollout.telemetry.io/owner":"shop/otel","rollout.telemetry.io/restore":"{oops"})",
       InjectError::Kind::CorruptRecord},
      {"no containers", R"({"initContainers":[]})", nullptr, InjectError::Kind::InvalidDeployment},
      // Issue 21 item 5: Kubernetes uses the last duplicate; changing the first one only left
      // the container on "dup-second" while the status said Enabled.
      {"flag defined twice",
       R"({"containers":[{"name":"app","env":[{"name":"FEATURE_OTEL","value":"false"},
          {"name":"LOG_LEVEL","value":"info"},{"name":"FEATURE_OTEL","value":"dup-second"}]}]})",
       nullptr, InjectError::Kind::Conflict},
  };
  for (const ConflictCase& cc : cases) {
    SCOPED_TRACE(cc.what);
    auto r = inject(deployment(cc.podSpec, cc.annotations), config());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(toString(r.error().kind), std::string(toString(cc.kind)));
    EXPECT_FALSE(r.error().message.empty());
  }
  auto dup = inject(deployment(R"({"containers":[{"name":"app","env":[
      {"name":"FEATURE_OTEL","value":"a"},{"name":"FEATURE_OTEL","value":"b"}]}]})",
                               nullptr),
                    config());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message,
            "container \"app\" defines FEATURE_OTEL 2 times; the operator will not choose "
            "between them");
  // Another rollout's Deployment is never rolled back or restored by us either.
  const Json other = deployment(R"({"containers":[{"name":"app"}]})",
                                R"({"rollout.telemetry.io/owner":"shop/other"})");
  EXPECT_FALSE(rollback(other, config()).ok());
  EXPECT_FALSE(restore(other, config()).ok());
}

TEST(InjectInjection, MessagesNameTheConflict) {
  auto r = inject(deployment(R"({"containers":[{"name":"app","env":[{"name":"FEATURE_OTEL",
                               "valueFrom":{"fieldRef":{"fieldPath":"x"}}}]}]})"),
                  config());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("FEATURE_OTEL"), std::string::npos);
  EXPECT_NE(r.error().message.find("\"app\""), std::string::npos);
  auto owner = inject(deployment(R"({"containers":[{"name":"app"}]})",
                                 R"({"rollout.telemetry.io/owner":"shop/other"})"),
                      config());
  ASSERT_FALSE(owner.ok());
  EXPECT_NE(owner.error().message.find("shop/other"), std::string::npos);
}

TEST(InjectInjection, OwnClaimWithoutRecordIsCorruptExceptForRestore) {
  Json on = ok(inject(deployment(kTemplates[0].podSpec), config()));
  on["metadata"]["annotations"].erase(a::kRestore);
  for (auto* form : {&inject, &rollback}) {
    auto r = (*form)(on, config());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, InjectError::Kind::CorruptRecord);
  }
  const Json restored = ok(restore(on, config()));
  EXPECT_FALSE(restored["metadata"]["annotations"].contains(a::kOwner));
}

TEST(InjectInjection, MissingNamedContainer) {
  InjectionConfig c = config();
  c.containers = {"app", "ghost"};
  auto r = inject(deployment(kTemplates[0].podSpec), c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, InjectError::Kind::MissingContainer);
  EXPECT_NE(r.error().message.find("ghost"), std::string::npos);
}

TEST(InjectInjection, ServerDefaultsOnTheSidecarCauseNoWrite) {
  const Json on = ok(inject(deployment(kTemplates[0].podSpec), config()));
  Json live = on;
  live["metadata"]["resourceVersion"] = "101";
  Json& spec = live["spec"]["template"]["spec"];
  for (Json& c : spec["containers"]) {
    c["imagePullPolicy"] = "IfNotPresent";
    c["terminationMessagePath"] = "/dev/termination-log";
    c["terminationMessagePolicy"] = "File";
  }
  spec["restartPolicy"] = "Always";
  EXPECT_EQ(ok(inject(live, config())), live);
  EXPECT_TRUE(isNoOpPatch(makeJsonPatch(live, ok(inject(live, config())))));
}

TEST(InjectInjection, CanonicalizedSidecarValuesAreLeftAloneUntilTheConfigChanges) {
  InjectionConfig c = config();
  c.collector->resources = Json::parse(R"({"limits": {"cpu": "0.5"}})");
  Json live = ok(inject(deployment(kTemplates[0].podSpec), c));
  Json& sidecar = live["spec"]["template"]["spec"]["containers"][1];
  ASSERT_EQ(sidecar["name"], "otel-collector");
  sidecar["resources"]["limits"]["cpu"] = "500m";  // as the API server reads it back
  EXPECT_EQ(ok(inject(live, c)), live);

  InjectionConfig next = c;
  next.collector->image = "otel/opentelemetry-collector-contrib:0.91.0";
  const Json updated = ok(inject(live, next));
  EXPECT_EQ(container(updated, "otel-collector")["image"], next.collector->image);
  EXPECT_EQ(container(updated, "otel-collector")["resources"]["limits"]["cpu"], "0.5");
}

TEST(InjectInjection, SetEnvChangesOnlyThatValue) {
  const Json on = ok(inject(deployment(kTemplates[2].podSpec), config()));
  InjectionConfig next = config();
  next.env[2].value = "http://collector:4318";
  const Json updated = ok(inject(on, next));
  const Json patch = makeJsonPatch(on, updated);
  // test rv, the env value, the config-hash annotation: one write with two changes.
  ASSERT_EQ(patch.size(), 3u) << patch.dump();
  const std::set<std::string> paths = {patch[1]["path"], patch[2]["path"]};
  EXPECT_EQ(paths, (std::set<std::string>{"/metadata/annotations/rollout.telemetry.io~1config-hash",
                                          "/spec/template/spec/containers/0/env/4/value"}));
  EXPECT_EQ(patch[1]["op"], "replace");
  EXPECT_EQ(patch[2]["op"], "replace");
  EXPECT_EQ(envOf(updated, "app").at("OTEL_EXPORTER_OTLP_ENDPOINT"), "http://collector:4318");
  EXPECT_EQ(ok(restore(updated, next)), deployment(kTemplates[2].podSpec));
}

TEST(InjectInjection, RecordIsNeverOverwrittenWhileHeld) {
  const Json d = deployment(kTemplates[3].podSpec);  // FEATURE_OTEL=false originally
  Json on = ok(inject(d, config()));
  // Someone edits the operator's variable; the next inject takes it back but keeps the record.
  for (Json& e : on["spec"]["template"]["spec"]["containers"][0]["env"]) {
    if (e["name"] == "FEATURE_OTEL") e["value"] = "manual";
  }
  const Json again = ok(inject(on, config()));
  EXPECT_EQ(envOf(again, "app").at("FEATURE_OTEL"), "true");
  EXPECT_EQ(ok(restore(again, config())), d);
}

TEST(InjectInjection, OthersConcurrentChangesSurviveRestore) {
  const Json d = deployment(kTemplates[2].podSpec, kTemplates[2].annotations);
  Json on = ok(inject(d, config()));
  Json& app = on["spec"]["template"]["spec"]["containers"][0];
  app["image"] = "a:2";
  app["env"].push_back(Json{{"name", "NEW"}, {"value", "theirs"}});
  on["metadata"]["annotations"]["team"] = "checkout";
  const Json restored = ok(restore(on, config()));
  Json expected = d;
  Json& expectedApp = expected["spec"]["template"]["spec"]["containers"][0];
  expectedApp["image"] = "a:2";
  expectedApp["env"].push_back(Json{{"name", "NEW"}, {"value", "theirs"}});
  expected["metadata"]["annotations"]["team"] = "checkout";
  EXPECT_EQ(restored, expected);
}

TEST(InjectInjection, VariableTakenOverWithValueFromIsGivenUpNotOverwritten) {
  const Json d = deployment(kTemplates[0].podSpec);
  Json on = ok(inject(d, config()));
  const Json theirs = Json::parse(
      R"({"name":"OTEL_SERVICE_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}})");
  for (Json& e : on["spec"]["template"]["spec"]["containers"][0]["env"]) {
    if (e["name"] == "OTEL_SERVICE_NAME") e = theirs;
  }
  EXPECT_FALSE(inject(on, config()).ok()) << "enabling would overwrite it";
  const Json off = ok(rollback(on, config()));
  EXPECT_EQ(envOf(off, "app").at("FEATURE_OTEL"), "false");
  const Json restored = ok(restore(off, config()));
  const Json& env = container(restored, "app")["env"];
  ASSERT_EQ(env.size(), 1u);
  EXPECT_EQ(env[0], theirs);
}

TEST(InjectInjection, NewGenerationGivesBackDroppedVariablesAndContainers) {
  const Json d = deployment(kTemplates[6].podSpec);
  const Json on = ok(inject(d, config()));
  InjectionConfig next = config();
  next.env.pop_back();  // OTEL_EXPORTER_OTLP_ENDPOINT no longer configured
  next.containers = {"app"};
  next.collector->name = "otelcol";
  const Json moved = ok(inject(on, next));
  EXPECT_EQ(envOf(moved, "app").count("OTEL_EXPORTER_OTLP_ENDPOINT"), 0u);
  EXPECT_EQ(container(moved, "worker"), container(d, "worker"));
  EXPECT_TRUE(container(moved, "otel-collector").is_null());
  EXPECT_FALSE(container(moved, "otelcol").is_null());
  EXPECT_EQ(ok(restore(moved, next)), d);
}

TEST(InjectInjection, ReinjectingAfterSidecarRemovalReAddsIt) {
  const Json on = ok(inject(deployment(kTemplates[0].podSpec), config()));
  Json edited = on;
  auto& cs = edited["spec"]["template"]["spec"]["containers"];
  cs.erase(1);
  EXPECT_EQ(ok(inject(edited, config())), on);
}

TEST(InjectInjection, EmptyValuesAreWrittenAsTheApiServerReturnsThem) {
  InjectionConfig c = config(false);
  c.flag.disabledValue = "";
  c.env = {{"EMPTY", ""}};
  const Json d = deployment(R"({"containers":[{"name":"app","env":[{"name":"EMPTY",
                                "value":"x"}]}]})");
  const Json on = ok(inject(d, c));
  EXPECT_EQ(container(on, "app")["env"][0], Json::parse(R"({"name":"EMPTY"})"));
  const Json off = ok(rollback(on, c));
  EXPECT_EQ(container(off, "app")["env"][0], Json::parse(R"({"name":"EMPTY","value":"x"})"));
  EXPECT_EQ(container(off, "app")["env"][1], Json::parse(R"({"name":"FEATURE_OTEL"})"));
  EXPECT_EQ(ok(restore(off, c)), d);
}

TEST(InjectConfigHash, StableAndSensitiveToInjectedValuesOnly) {
  const std::string h = configHash(config());
  // Written into every managed Deployment: a different value after an upgrade would start an
  // update wave on all of them. Pinned.
  EXPECT_EQ(h, "62575aaf42156642");
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(configHash(config()), h);
  InjectionConfig other = config();
  other.owner = "x/y";
  other.removeCollectorOnRollback = true;
  EXPECT_EQ(configHash(other), h);
  InjectionConfig changed = config();
  changed.env[0].value = "svc";
  EXPECT_NE(configHash(changed), h);
  EXPECT_NE(configHash(config(false)), h);
  InjectionConfig image = config();
  image.collector->image = "otel/opentelemetry-collector-contrib:0.91.0";
  EXPECT_NE(configHash(image), h);
}

TEST(InjectConfig, OverridesApplyInOrder) {
  RolloutSpec spec;
  spec.flag = {"F", "on", "off"};
  spec.env = {{"A", "1"}, {"B", "2"}};
  spec.containers = {"app"};
  spec.removeCollectorOnRollback = true;
  const InjectionConfig c = makeInjectionConfig(spec, "ns/r", {{"B", "3"}, {"B", "4"}, {"C", "5"}});
  EXPECT_EQ(c.owner, "ns/r");
  EXPECT_EQ(c.flag, spec.flag);
  EXPECT_EQ(c.env, (std::vector<EnvVar>{{"A", "1"}, {"B", "4"}, {"C", "5"}}));
  EXPECT_EQ(c.containers, spec.containers);
  EXPECT_TRUE(c.removeCollectorOnRollback);
}

// Issue 21 item 6: after the rollout, argocd forced FEATURE_OTEL=false (it owns the value now);
// deleting the rollout removed that entry. Restore leaves a value another manager owns.
TEST(InjectInjection, RestoreLeavesWhatAnotherFieldManagerOwnsNow) {
  Json enabled = ok(
      inject(deployment(R"({"containers":[{"name":"app","image":"shop/app:1"}]})"), config(false)));
  Json& app = enabled["spec"]["template"]["spec"]["containers"][0];
  for (Json& e : app["env"]) {
    if (e["name"] == "FEATURE_OTEL") e["value"] = "false";
  }
  const Json argocdOwnsTheFlag = Json::parse(R"({
    "f:spec": {"f:template": {"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {
      "f:env": {"k:{\"name\":\"FEATURE_OTEL\"}": {".": {}, "f:name": {}, "f:value": {}}}}}}}}})");
  enabled["metadata"]["managedFields"] = Json::array({{{"manager", "argocd"},
                                                       {"operation", "Apply"},
                                                       {"fieldsType", "FieldsV1"},
                                                       {"fieldsV1", argocdOwnsTheFlag}},
                                                      {{"manager", std::string(a::kFieldManager)},
                                                       {"operation", "Update"},
                                                       {"fieldsType", "FieldsV1"},
                                                       {"fieldsV1", Json::object()}}});

  std::vector<std::string> left;
  Json restored = ok(desiredDeployment(enabled, config(false), InjectionForm::Restored, &left));
  const Json& env = container(restored, "app")["env"];
  ASSERT_EQ(env.size(), 1u) << env.dump();
  EXPECT_EQ(env[0], (Json{{"name", "FEATURE_OTEL"}, {"value", "false"}}));
  EXPECT_EQ(left, (std::vector<std::string>{"FEATURE_OTEL in container app, owned by argocd"}));
  EXPECT_FALSE(restored["metadata"].value("annotations", Json::object()).contains(a::kOwner));

  // Without another owner, the same restore removes the entry the operator added.
  enabled["metadata"].erase("managedFields");
  left.clear();
  restored = ok(desiredDeployment(enabled, config(false), InjectionForm::Restored, &left));
  EXPECT_FALSE(container(restored, "app").contains("env"));
  EXPECT_TRUE(left.empty());
}

}  // namespace
}  // namespace tro::controllers
