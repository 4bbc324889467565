// spec.instrumentation: the OpenTelemetry Operator's annotation set (otel_annotations.h), how
// parseSpec() reads it, and how injection sets, rolls back and restores the annotations on the
// pod template (inject.h) while a user's own annotations survive.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/otel_annotations.h"
#include "controllers/rollout/restore_record.h"
#include "controllers/rollout/spec.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using Annotations = std::map<std::string, std::string>;

const std::string kJava = "instrumentation.opentelemetry.io/inject-java";
const std::string kGo = "instrumentation.opentelemetry.io/inject-go";
const std::string kGoExe = "instrumentation.opentelemetry.io/otel-go-auto-target-exe";
const std::string kSidecar = "sidecar.opentelemetry.io/inject";
const std::string kContainers = "instrumentation.opentelemetry.io/container-names";
const std::string kJavaContainers = "instrumentation.opentelemetry.io/java-container-names";
const std::string kDotnetRuntime = "instrumentation.opentelemetry.io/otel-dotnet-auto-runtime";

struct AnnotationCase {
  const char* name;
  Annotations annotations;
  std::vector<OtelAnnotationProblem> problems;  // empty: valid
};

TEST(OtelAnnotations, TheDocumentedSetIsValidAndEverythingElseNamesItsKey) {
  const std::vector<AnnotationCase> cases = {
      {"true", {{kJava, "true"}}, {}},
      {"false opts a workload out", {{kJava, "false"}}, {}},
      {"an Instrumentation by name", {{kJava, "java-agent"}}, {}},
      {"in another namespace", {{kJava, "observability/java-agent"}}, {}},
      {"every language",
       {{"instrumentation.opentelemetry.io/inject-nodejs", "true"},
        {"instrumentation.opentelemetry.io/inject-python", "true"},
        {"instrumentation.opentelemetry.io/inject-dotnet", "true"},
        {"instrumentation.opentelemetry.io/inject-apache-httpd", "true"},
        {"instrumentation.opentelemetry.io/inject-nginx", "true"},
        {"instrumentation.opentelemetry.io/inject-sdk", "true"}},
       {}},
      {"go with its program", {{kGo, "true"}, {kGoExe, "/app/server"}}, {}},
      {"sidecar alone", {{kSidecar, "otel/sidecar-collector"}}, {}},
      {"container names", {{kJava, "true"}, {kContainers, "app,worker"}}, {}},
      {"language container names", {{kJava, "true"}, {kJavaContainers, "app"}}, {}},
      {"dotnet runtime",
       {{"instrumentation.opentelemetry.io/inject-dotnet", "true"}, {kDotnetRuntime, "linux-x64"}},
       {}},
      {"unknown key",
       {{kJava, "true"}, {"instrumentation.opentelemetry.io/inject-cobol", "true"}},
       {{"instrumentation.opentelemetry.io/inject-cobol",
         "is not an annotation of the OpenTelemetry Operator (inject-<language>, "
         "container-names, <language>-container-names, otel-go-auto-target-exe, "
         "otel-dotnet-auto-runtime, or sidecar.opentelemetry.io/inject)"}}},
      {"capitalised True is not a name",
       {{kJava, "True"}},
       {{kJava,
         "must be \"true\", \"false\", a resource name or \"<namespace>/<name>\", not "
         "\"True\""}}},
      {"two slashes",
       {{kJava, "a/b/c"}},
       {{kJava,
         "must be \"true\", \"false\", a resource name or \"<namespace>/<name>\", not "
         "\"a/b/c\""}}},
      {"empty value",
       {{kSidecar, ""}},
       {{kSidecar,
         "must be \"true\", \"false\", a resource name or \"<namespace>/<name>\", not \"\""}}},
      {"container names with a space",
       {{kJava, "true"}, {kContainers, "app, worker"}},
       {{kContainers,
         "must be container names (DNS-1123 labels) separated by commas, not "
         "\"app, worker\""}}},
      {"options without an inject",
       {{kContainers, "app"}},
       {{kContainers,
         "needs an inject annotation beside it (instrumentation.opentelemetry.io/"
         "inject-<language> or sidecar.opentelemetry.io/inject)"}}},
      {"a language's containers without its inject",
       {{kSidecar, "true"}, {kJavaContainers, "app"}},
       {{kJavaContainers, "needs " + kJava + " beside it"}}},
      {"go without its program",
       {{kGo, "true"}},
       {{kGo, "needs " + kGoExe + " beside it: Go instrumentation attaches to that program"}}},
      {"go switched off needs no program", {{kGo, "false"}}, {}},
      {"relative program path",
       {{kGo, "true"}, {kGoExe, "app/server"}},
       {{kGoExe, "must be the absolute path of the program to instrument, not \"app/server\""}}},
      {"a value longer than an annotation the rollout may set",
       {{kGo, "true"}, {kGoExe, "/" + std::string(4096, 'a')}},
       {{kGoExe, "must be at most 4096 characters"}}},
      {"dotnet runtime of another platform",
       {{"instrumentation.opentelemetry.io/inject-dotnet", "true"}, {kDotnetRuntime, "win-x64"}},
       {{kDotnetRuntime, "must be \"linux-x64\" or \"linux-musl-x64\", not \"win-x64\""}}},
  };
  for (const AnnotationCase& c : cases) {
    EXPECT_EQ(otelAnnotationProblems(c.annotations), c.problems) << c.name;
  }
}

Json instrumentationSpec(const Json& instrumentation) {
  Json spec = Json::parse(R"({
    "selector": {"matchLabels": {"app": "cart"}},
    "strategy": {"steps": [{"setWeight": 100}]}})");
  spec["instrumentation"] = instrumentation;
  return spec;
}

TEST(SpecInstrumentation, ReplacesTheFlagOrCombinesWithIt) {
  const Json alone = instrumentationSpec({{"annotations", {{kJava, "true"}}}});
  const ParsedSpec parsed = parseSpec(alone);
  ASSERT_TRUE(parsed.problems.empty()) << parsed.summary();
  EXPECT_TRUE(parsed.spec->flag.name.empty());
  ASSERT_TRUE(parsed.spec->instrumentation);
  EXPECT_EQ(parsed.spec->instrumentation->annotations, (Annotations{{kJava, "true"}}));

  Json both = alone;
  both["flag"] = {{"name", "FEATURE_OTEL"}};
  const ParsedSpec combined = parseSpec(both);
  ASSERT_TRUE(combined.problems.empty()) << combined.summary();
  EXPECT_EQ(combined.spec->flag.name, "FEATURE_OTEL");
  EXPECT_TRUE(combined.spec->instrumentation);
}

TEST(SpecInstrumentation, EveryProblemNamesItsField) {
  struct Case {
    const char* name;
    Json spec;
    std::vector<SpecProblem> problems;
  };
  Json neither = instrumentationSpec(nullptr);
  neither.erase("instrumentation");
  const std::vector<Case> cases = {
      {"neither flag nor instrumentation",
       neither,
       {{"spec.flag", "Required value: a flag, spec.instrumentation, or both"}}},
      {"instrumentation null and no flag",
       instrumentationSpec(nullptr),
       {{"spec.flag", "Required value: a flag, spec.instrumentation, or both"}}},
      {"annotations null",
       instrumentationSpec({{"annotations", nullptr}}),
       {{"spec.instrumentation.annotations",
         "Required value: the OpenTelemetry Operator annotations to set"}}},
      {"no annotations",
       instrumentationSpec(Json::object()),
       {{"spec.instrumentation.annotations",
         "Required value: the OpenTelemetry Operator annotations to set"}}},
      {"empty annotations",
       instrumentationSpec({{"annotations", Json::object()}}),
       {{"spec.instrumentation.annotations",
         "Required value: the OpenTelemetry Operator annotations to set"}}},
      {"annotations of the wrong type",
       instrumentationSpec({{"annotations", "inject-java"}}),
       {{"spec.instrumentation.annotations", "must be of type object"}}},
      {"a value that is not a string",
       instrumentationSpec({{"annotations", {{kJava, true}}}}),
       {{"spec.instrumentation.annotations[\"" + kJava + "\"]", "must be of type string"}}},
      {"more annotations than the bound",
       [] {
         Json many = Json::object();
         for (int i = 0; i < 17; ++i) many["team-" + std::to_string(i)] = "x";
         return instrumentationSpec({{"annotations", many}});
       }(),
       {{"spec.instrumentation.annotations", "must have at most 16 entries"}}},
      {"an unknown key",
       instrumentationSpec({{"annotations", {{kJava, "true"}, {"team", "shop"}}}}),
       {{"spec.instrumentation.annotations[\"team\"]",
         "is not an annotation of the OpenTelemetry Operator (inject-<language>, "
         "container-names, <language>-container-names, otel-go-auto-target-exe, "
         "otel-dotnet-auto-runtime, or sidecar.opentelemetry.io/inject)"}}},
  };
  for (const Case& c : cases) {
    const ParsedSpec parsed = parseSpec(c.spec);
    EXPECT_FALSE(parsed.spec) << c.name;
    EXPECT_EQ(parsed.problems, c.problems) << c.name;
  }
}

// A Deployment whose pod template carries the user's own annotation, or none at all.
Json deployment(const Json& templateAnnotations) {
  Json d = Json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "cart", "namespace": "shop", "resourceVersion": "7"},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "cart"}},
             "template": {"metadata": {"labels": {"app": "cart"}},
                          "spec": {"containers": [{"name": "app", "image": "cart:1"}]}}}})");
  if (!templateAnnotations.is_null()) {
    d["spec"]["template"]["metadata"]["annotations"] = templateAnnotations;
  }
  return d;
}

InjectionConfig instrumentationOnly(Annotations annotations) {
  InjectionConfig c;
  c.owner = "shop/otel";
  c.flag.name.clear();
  c.podAnnotations = std::move(annotations);
  return c;
}

Json ok(const InjectResult& r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : Json();
}

const Json& podAnnotations(const Json& d) {
  return d["spec"]["template"]["metadata"]["annotations"];
}

TEST(InjectInstrumentation, SetsTheAnnotationsAndNoVariable) {
  const Json d = deployment(nullptr);
  const Json on = ok(inject(d, instrumentationOnly({{kJava, "observability/java"}})));
  EXPECT_EQ(podAnnotations(on), (Json{{kJava, "observability/java"}}));
  EXPECT_FALSE(on["spec"]["template"]["spec"]["containers"][0].contains("env"));
  EXPECT_EQ(on["metadata"]["annotations"][annotations::kState], annotations::kStateEnabled);
}

TEST(InjectInstrumentation, RollbackAndRestoreGiveBackExactlyWhatTheTemplateHad) {
  struct Case {
    const char* name;
    Json before;  // the template's annotations before the rollout (null: none)
  };
  const std::vector<Case> cases = {
      {"no annotations at all", nullptr},
      {"an empty map", Json::object()},
      {"the user's own annotation", {{"team", "shop"}}},
      {"the user's earlier value of the key", {{"team", "shop"}, {kJava, "false"}}},
  };
  const InjectionConfig c = instrumentationOnly({{kJava, "true"}, {kContainers, "app"}});
  for (const Case& k : cases) {
    const Json d = deployment(k.before);
    const Json on = ok(inject(d, c));
    EXPECT_EQ(podAnnotations(on)[kJava], "true") << k.name;
    EXPECT_EQ(podAnnotations(on)[kContainers], "app") << k.name;
    if (k.before.is_object() && k.before.contains("team")) {
      EXPECT_EQ(podAnnotations(on)["team"], "shop") << k.name;
    }
    EXPECT_EQ(ok(inject(on, c)), on) << k.name << ": idempotent";

    const Json off = ok(rollback(on, c));
    EXPECT_EQ(off["spec"]["template"], d["spec"]["template"]) << k.name << ": rollback";
    EXPECT_EQ(off["metadata"]["annotations"][annotations::kState], annotations::kStateDisabled);
    EXPECT_EQ(ok(restore(off, c)), d) << k.name << ": restore after rollback";
    EXPECT_EQ(ok(restore(on, c)), d) << k.name << ": restore while enabled";
    EXPECT_EQ(ok(restore(ok(inject(off, c)), c)), d) << k.name << ": enable again, restore";
  }
}

TEST(InjectInstrumentation, CombinesWithTheFlagAndRecordsBothInTheRestoreRecord) {
  InjectionConfig c = instrumentationOnly({{kJava, "true"}});
  c.flag = {"FEATURE_OTEL", "true", "false"};
  const Json d = deployment(Json{{"team", "shop"}});
  const Json on = ok(inject(d, c));
  EXPECT_EQ(on["spec"]["template"]["spec"]["containers"][0]["env"],
            Json::parse(R"([{"name": "FEATURE_OTEL", "value": "true"}])"));
  const auto record =
      parseRestoreRecord(on["metadata"]["annotations"][annotations::kRestore].get<std::string>());
  ASSERT_TRUE(record.ok()) << record.error();
  EXPECT_EQ(record->podAnnotations, (std::map<std::string, Json>{{kJava, nullptr}}));
  EXPECT_FALSE(record->podAnnotationsAbsent);
  EXPECT_EQ(parseRestoreRecord(record->toAnnotation()).value(), *record);

  const Json off = ok(rollback(on, c));
  EXPECT_EQ(off["spec"]["template"]["spec"]["containers"][0]["env"],
            Json::parse(R"([{"name": "FEATURE_OTEL", "value": "false"}])"));
  EXPECT_EQ(podAnnotations(off), (Json{{"team", "shop"}}));
  EXPECT_EQ(ok(restore(off, c)), d);
}

TEST(InjectInstrumentation, AKeyTheSpecDropsIsGivenBackAndANewOneTaken) {
  const Json d = deployment(Json{{kSidecar, "false"}});
  const Json on = ok(inject(d, instrumentationOnly({{kJava, "true"}, {kSidecar, "true"}})));
  const InjectionConfig python =
      instrumentationOnly({{"instrumentation.opentelemetry.io/inject-python", "true"}});
  const Json changed = ok(inject(on, python));
  EXPECT_EQ(
      podAnnotations(changed),
      (Json{{kSidecar, "false"}, {"instrumentation.opentelemetry.io/inject-python", "true"}}));
  EXPECT_EQ(ok(restore(changed, python)), d);
}

TEST(InjectInstrumentation, AnAnnotationAnotherManagerOwnsNowIsLeftToIt) {
  const InjectionConfig c = instrumentationOnly({{kJava, "true"}});
  Json on = ok(inject(deployment(nullptr), c));
  // A GitOps tool took the annotation over.
  on["spec"]["template"]["metadata"]["annotations"][kJava] = "observability/java";
  on["metadata"]["managedFields"] = Json::parse(R"([{
    "manager": "argocd-controller", "operation": "Apply", "fieldsType": "FieldsV1",
    "fieldsV1": {"f:spec": {"f:template": {"f:metadata": {"f:annotations": {
      "f:instrumentation.opentelemetry.io/inject-java": {}}}}}}}])");
  std::vector<std::string> left;
  const auto off = desiredDeployment(on, c, InjectionForm::Restored, &left);
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_EQ(podAnnotations(*off)[kJava], "observability/java");
  EXPECT_EQ(left,
            (std::vector<std::string>{"pod annotation " + kJava + ", owned by argocd-controller"}));
}

TEST(InjectInstrumentation, ARecordWithAMalformedEntryIsRefused) {
  const auto record = parseRestoreRecord(R"({"containers": {}, "podAnnotations": {"a": 1}})");
  ASSERT_FALSE(record.ok());
  EXPECT_EQ(record.error(), "restore record: podAnnotations.a is neither null nor a string");
}

TEST(InjectInstrumentation, TheAnnotationsChangeTheConfigHash) {
  InjectionConfig flagOnly;
  flagOnly.owner = "shop/otel";
  flagOnly.flag = {"FEATURE_OTEL", "true", "false"};
  // That their absence leaves the hash earlier versions wrote is InjectConfigHash's golden value.
  const std::string before = configHash(flagOnly);
  InjectionConfig withJava = flagOnly;
  withJava.podAnnotations = {{kJava, "true"}};
  EXPECT_NE(configHash(withJava), before);
  InjectionConfig withPython = flagOnly;
  withPython.podAnnotations = {{"instrumentation.opentelemetry.io/inject-python", "true"}};
  EXPECT_NE(configHash(withPython), configHash(withJava));
  RolloutSpec spec;
  spec.flag = flagOnly.flag;
  spec.instrumentation = InstrumentationSpec{{{kJava, "true"}}};
  EXPECT_EQ(makeInjectionConfig(spec, "shop/otel").podAnnotations, withJava.podAnnotations);
}

}  // namespace
}  // namespace tro::controllers
