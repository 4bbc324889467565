#include "controllers/rollout/spec.h"

#include <gtest/gtest.h>

#include <functional>

namespace tro::controllers {
namespace {

using namespace std::chrono_literals;

// The brief's example resource: valid, with every section present.
Json validSpec() {
  return Json::parse(R"json({
    "selector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}},
    "flag": {"name": "FEATURE_OTEL", "enabledValue": "true", "disabledValue": "false"},
    "env": [
      {"name": "OTEL_SERVICE_NAME", "value": "$(DEPLOYMENT_NAME)"},
      {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://localhost:4318"},
      {"name": "OTEL_TRACES_SAMPLER_ARG", "value": "0.01"}
    ],
    "collector": {"image": "otel/opentelemetry-collector-contrib:0.90.0",
                  "configMap": "otel-collector-config",
                  "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}},
    "strategy": {"steps": [
      {"setWeight": 10}, {"pause": {"duration": "30m"}},
      {"setWeight": 50}, {"pause": {"duration": "4h"}},
      {"setEnv": {"OTEL_TRACES_SAMPLER_ARG": "0.05"}},
      {"setWeight": 100}, {"pause": {"duration": "72h"}}, {"pause": {}}
    ]},
    "analysis": {
      "prometheus": {"address": "http://prometheus.monitoring:9090"},
      "interval": "1m",
      "alerts": [{"name": "HighErrorRate"},
                 {"name": "TelemetryPipelineStall", "matchLabels": {"namespace": "shop"}}],
      "queries": [{"name": "error-rate", "query": "sum(rate(x[5m]))", "max": 0.02}],
      "failureLimit": 1,
      "onInconclusive": "Pause"
    },
    "rollback": {"removeCollector": true},
    "onDelete": "KeepIfSucceeded"
})json");
}

TEST(SpecTest, ParsesTheBriefsExample) {
  ParsedSpec parsed = parseSpec(validSpec());
  ASSERT_TRUE(parsed.spec) << parsed.summary();
  const RolloutSpec& s = *parsed.spec;
  EXPECT_EQ(s.flag, (FlagSpec{"FEATURE_OTEL", "true", "false"}));
  ASSERT_EQ(s.env.size(), 3u);
  EXPECT_EQ(s.env[0], (EnvVar{"OTEL_SERVICE_NAME", "$(DEPLOYMENT_NAME)"}));
  ASSERT_TRUE(s.collector);
  EXPECT_EQ(s.collector->name, "otel-collector");
  EXPECT_EQ(s.collector->configKey, "otel-collector-config.yaml");
  ASSERT_EQ(s.steps.size(), 8u);
  EXPECT_EQ(s.steps[0].kind, Step::Kind::SetWeight);
  EXPECT_EQ(s.steps[0].weight, 10);
  EXPECT_EQ(s.steps[1].pause, std::optional<std::chrono::nanoseconds>(30min));
  EXPECT_EQ(s.steps[4].setEnv, (std::vector<EnvVar>{{"OTEL_TRACES_SAMPLER_ARG", "0.05"}}));
  EXPECT_EQ(s.steps[7].pause, std::nullopt);  // pause: {} waits for a promote
  ASSERT_TRUE(s.analysis);
  EXPECT_EQ(s.analysis->interval, 1min);
  EXPECT_EQ(s.analysis->alerts[1].matchLabels.at("namespace"), "shop");
  EXPECT_EQ(s.analysis->queries[0].max, std::optional<double>(0.02));
  EXPECT_EQ(s.analysis->failureLimit, 1);
  EXPECT_EQ(s.progressDeadline, std::chrono::seconds(600));  // the controller's default
  EXPECT_TRUE(s.removeCollectorOnRollback);
  EXPECT_EQ(s.onDelete, DeletePolicy::KeepIfSucceeded);
  EXPECT_TRUE(s.selector.matches(Json{{"app.kubernetes.io/part-of", "shop"}}));
}

TEST(SpecTest, DefaultsApplyWhenOptionalSectionsAreAbsent) {
  Json spec = {{"selector", {{"matchLabels", {{"app", "x"}}}}},
               {"flag", {{"name", "TELEMETRY_ENABLED"}}},
               {"strategy", {{"steps", Json::array({{{"setWeight", 100}}})}}}};
  ParsedSpec parsed = parseSpec(spec);
  ASSERT_TRUE(parsed.spec) << parsed.summary();
  EXPECT_EQ(parsed.spec->flag.enabledValue, "true");
  EXPECT_EQ(parsed.spec->flag.disabledValue, "false");
  EXPECT_FALSE(parsed.spec->collector);
  EXPECT_FALSE(parsed.spec->analysis);
  EXPECT_EQ(parsed.spec->onDelete, DeletePolicy::Restore);
  EXPECT_EQ(parsed.spec->targetKinds, std::vector<WorkloadKind>{WorkloadKind::Deployment});
}

TEST(SpecTest, TargetKindsAreKeptInSpecOrder) {
  Json spec = validSpec();
  spec["targetKinds"] = {"DaemonSet", "Deployment", "StatefulSet"};
  ParsedSpec parsed = parseSpec(spec);
  ASSERT_TRUE(parsed.spec) << parsed.summary();
  EXPECT_EQ(parsed.spec->targetKinds,
            (std::vector<WorkloadKind>{WorkloadKind::DaemonSet, WorkloadKind::Deployment,
                                       WorkloadKind::StatefulSet}));
}

struct InvalidCase {
  const char* name;
  std::function<void(Json&)> mutate;
  const char* field;
  const char* messagePart;
};

TEST(SpecTest, EveryInvalidSpecNamesTheField) {
  const InvalidCase cases[] = {
      {"no selector", [](Json& s) { s.erase("selector"); }, "spec.selector", "Required value"},
      {"empty selector", [](Json& s) { s["selector"] = Json::object(); }, "spec.selector",
       "must not be empty"},
      {"bad selector operator",
       [](Json& s) {
         s["selector"] = {{"matchExpressions", {{{"key", "a"}, {"operator", "Near"}}}}};
       },
       "spec.selector", ""},
      {"no target kinds", [](Json& s) { s["targetKinds"] = Json::array(); }, "spec.targetKinds",
       "at least 1 item"},
      {"unknown target kind",
       [](Json& s) {
         s["targetKinds"] = {"Deployment", "ReplicaSet"};
       },
       "spec.targetKinds[1]", "Unsupported value: \"ReplicaSet\""},
      {"target kind named twice",
       [](Json& s) {
         s["targetKinds"] = {"StatefulSet", "StatefulSet"};
       },
       "spec.targetKinds[1]", "Duplicate value: \"StatefulSet\""},
      {"target kind of another type", [](Json& s) { s["targetKinds"] = {7}; },
       "spec.targetKinds[0]", "Unsupported value: a number"},
      {"target kinds not a list", [](Json& s) { s["targetKinds"] = "Deployment"; },
       "spec.targetKinds", "must be of type array"},
      {"no flag name", [](Json& s) { s["flag"].erase("name"); }, "spec.flag.name",
       "Required value"},
      {"bad flag name", [](Json& s) { s["flag"]["name"] = "1 BAD"; }, "spec.flag.name",
       "not a valid environment variable name"},
      {"flag values equal", [](Json& s) { s["flag"]["disabledValue"] = "true"; },
       "spec.flag.disabledValue", "must differ"},
      {"duplicate env", [](Json& s) { s["env"][2]["name"] = "OTEL_SERVICE_NAME"; },
       "spec.env[2].name", "Duplicate value"},
      {"flag in env", [](Json& s) { s["env"][0]["name"] = "FEATURE_OTEL"; }, "spec.env[0].name",
       "is the flag"},
      {"valueFrom env",
       [](Json& s) {
         s["env"][0]["valueFrom"] = {{"fieldRef", {{"fieldPath", "x"}}}};
       },
       "spec.env[0].valueFrom", "not supported"},
      {"latest image",
       [](Json& s) { s["collector"]["image"] = "otel/opentelemetry-collector-contrib:latest"; },
       "spec.collector.image", "must be pinned"},
      {"untagged image", [](Json& s) { s["collector"]["image"] = "registry:5000/otel/collector"; },
       "spec.collector.image", "must be pinned"},
      {"no configMap", [](Json& s) { s["collector"].erase("configMap"); },
       "spec.collector.configMap", "Required value"},
      {"no steps", [](Json& s) { s["strategy"]["steps"] = Json::array(); }, "spec.strategy.steps",
       "at least one step"},
      {"weight decreases", [](Json& s) { s["strategy"]["steps"][2]["setWeight"] = 5; },
       "spec.strategy.steps[2].setWeight", "must not decrease (previous weight 10)"},
      {"weight out of range", [](Json& s) { s["strategy"]["steps"][0]["setWeight"] = 101; },
       "spec.strategy.steps[0].setWeight", "from 1 to 100"},
      {"bad duration", [](Json& s) { s["strategy"]["steps"][1]["pause"]["duration"] = "30"; },
       "spec.strategy.steps[1].pause.duration", "missing unit"},
      {"two kinds in a step", [](Json& s) { s["strategy"]["steps"][0]["pause"] = Json::object(); },
       "spec.strategy.steps[0]", "exactly one of"},
      {"setEnv of undeclared variable",
       [](Json& s) {
         s["strategy"]["steps"][4]["setEnv"] = {{"NOPE", "1"}};
       },
       "spec.strategy.steps[4].setEnv.NOPE", "declared in spec.env"},
      {"only pauses",
       [](Json& s) {
         s["strategy"]["steps"] = Json::array({{{"pause", Json::object()}}});
       },
       "spec.strategy.steps", "at least one setWeight"},
      {"prometheus without scheme",
       [](Json& s) { s["analysis"]["prometheus"]["address"] = "prometheus:9090"; },
       "spec.analysis.prometheus.address", "http:// or https://"},
      {"bad interval", [](Json& s) { s["analysis"]["interval"] = "soon"; },
       "spec.analysis.interval", "invalid duration"},
      {"query without threshold", [](Json& s) { s["analysis"]["queries"][0].erase("max"); },
       "spec.analysis.queries[0]", "must set min, max or both"},
      {"min above max", [](Json& s) { s["analysis"]["queries"][0]["min"] = 0.5; },
       "spec.analysis.queries[0].min", "must not exceed max"},
      {"unknown policy", [](Json& s) { s["analysis"]["onInconclusive"] = "Panic"; },
       "spec.analysis.onInconclusive", "Unsupported value: \"Panic\""},
      {"negative failureLimit", [](Json& s) { s["analysis"]["failureLimit"] = -1; },
       "spec.analysis.failureLimit", "0 or more"},
      {"zero progress deadline", [](Json& s) { s["strategy"]["progressDeadlineSeconds"] = 0; },
       "spec.strategy.progressDeadlineSeconds", "between 1 and 604800"},
      {"progress deadline as text",
       [](Json& s) { s["strategy"]["progressDeadlineSeconds"] = "10m"; },
       "spec.strategy.progressDeadlineSeconds", ""},
      {"analysis without checks",
       [](Json& s) {
         s["analysis"].erase("alerts");
         s["analysis"].erase("queries");
         s["analysis"]["builtins"] = Json::array();
       },
       "spec.analysis", "at least one check"},
      {"wrong type", [](Json& s) { s["paused"] = "yes"; }, "spec.paused",
       "must be of type boolean"},
      {"container named like sidecar", [](Json& s) { s["containers"] = {"otel-collector"}; },
       "spec.containers[0]", "must not name the collector"},
      // Issue 19: nothing in a namespaced spec reaches the operator's filesystem.
      {"token file",
       [](Json& s) {
         s["analysis"]["prometheus"]["bearerTokenFile"] =
             "/var/run/secrets/kubernetes.io/serviceaccount/token";
       },
       "spec.analysis.prometheus.bearerTokenFile", "Forbidden"},
      {"CA file", [](Json& s) { s["analysis"]["prometheus"]["caFile"] = "/dev/zero"; },
       "spec.analysis.prometheus.caFile", "Forbidden"},
      {"address and provider", [](Json& s) { s["analysis"]["prometheus"]["provider"] = "p"; },
       "spec.analysis.prometheus", "not both"},
      {"provider with credentials",
       [](Json& s) {
         s["analysis"]["prometheus"] = {{"provider", "p"},
                                        {"authorization", {{"secretRef", {{"name", "x"}}}}}};
       },
       "spec.analysis.prometheus.authorization", "a provider brings its own"},
      {"neither address nor provider",
       [](Json& s) { s["analysis"]["prometheus"] = Json::object(); },
       "spec.analysis.prometheus.address", "Required value"},
      {"authorization without secretRef",
       [](Json& s) {
         s["analysis"]["prometheus"]["authorization"] = {{"type", "Basic"}};
       },
       "spec.analysis.prometheus.authorization.secretRef", "Required value"},
      {"bad auth type",
       [](Json& s) {
         s["analysis"]["prometheus"]["authorization"] = {{"type", "Digest"},
                                                         {"secretRef", {{"name", "x"}}}};
       },
       "spec.analysis.prometheus.authorization.type", "Unsupported value"},
      {"bad secret name",
       [](Json& s) {
         s["analysis"]["prometheus"]["tls"] = {{"caSecretRef", {{"name", "../etc"}}}};
       },
       "spec.analysis.prometheus.tls.caSecretRef.name", "not a valid Secret name"},
      // Issue 20 item 3: addresses and keys that were accepted and then acted on.
      {"address without host",
       [](Json& s) { s["analysis"]["prometheus"]["address"] = "http://:9090"; },
       "spec.analysis.prometheus.address", "must name a host"},
      {"address with spaces",
       [](Json& s) { s["analysis"]["prometheus"]["address"] = "http://prom etheus:9090"; },
       "spec.analysis.prometheus.address", "whitespace"},
      {"address with user info and port 0",
       [](Json& s) { s["analysis"]["prometheus"]["address"] = "http://u:secret@prom:0"; },
       "spec.analysis.prometheus.address", "\"http://REDACTED@prom:0\" must not carry user info"},
      {"configKey with a slash", [](Json& s) { s["collector"]["configKey"] = "a/b"; },
       "spec.collector.configKey", "not a valid ConfigMap key"},
      // Issue 20 item 2 and issue 21 item 3: durations that drive loops and deadlines.
      {"pause past the maximum",
       [](Json& s) { s["strategy"]["steps"][1]["pause"]["duration"] = "2562047h"; },
       "spec.strategy.steps[1].pause.duration", "at most 8760h"},
      {"interval of 1ns", [](Json& s) { s["analysis"]["interval"] = "1ns"; },
       "spec.analysis.interval", "at least 1s"},
      {"interval past a day", [](Json& s) { s["analysis"]["interval"] = "25h"; },
       "spec.analysis.interval", "at most 24h"},
      {"prometheus timeout past 5m", [](Json& s) { s["analysis"]["prometheus"]["timeout"] = "1h"; },
       "spec.analysis.prometheus.timeout", "at most 5m"},
      // Issue 20 item 1: every value the operator writes is checked as the API server would.
      {"collector quantity that is not one",
       [](Json& s) { s["collector"]["resources"]["requests"]["cpu"] = "lots of it"; },
       "spec.collector.resources.requests.cpu", "is not a quantity"},
      {"collector request above its limit",
       [](Json& s) {
         s["collector"]["resources"] = {{"requests", {{"memory", "2Gi"}}},
                                        {"limits", {{"memory", "1Gi"}}}};
       },
       "spec.collector.resources.requests.memory", "less than or equal to the memory limit"},
      {"collector image that is no reference",
       [](Json& s) { s["collector"]["image"] = "otel/Collector Contrib:0.90.0"; },
       "spec.collector.image", "is not a valid image reference"},
      {"collector image with a bad digest",
       [](Json& s) { s["collector"]["image"] = "otel/collector@sha256:xyz"; },
       "spec.collector.image", "is not a valid image reference"},
      // Issue 20 item 4: a derived name must meet its own limit ("<name>-config" <= 63).
      {"collector name too long for its volume",
       [](Json& s) { s["collector"]["name"] = std::string(57, 'c'); }, "spec.collector.name",
       "must be no more than 56 characters"},
      {"env name of a megabyte", [](Json& s) { s["env"][0]["name"] = std::string(1 << 20, 'A'); },
       "spec.env[0].name", "not a valid environment variable name"},
  };
  for (const auto& c : cases) {
    Json spec = validSpec();
    c.mutate(spec);
    ParsedSpec parsed = parseSpec(spec);
    EXPECT_FALSE(parsed.spec) << c.name;
    bool found = false;
    for (const auto& p : parsed.problems) {
      found = found || (p.field == c.field && p.message.find(c.messagePart) != std::string::npos);
    }
    EXPECT_TRUE(found) << c.name << ": got " << parsed.summary();
  }
}

// Durations at every boundary of their range: the largest accepted pause is 8760h exactly (and
// parses to exactly that many nanoseconds, so no window ends before it), one nanosecond more is
// refused; fractional and mixed units count as written.
TEST(SpecTest, PauseAndIntervalBoundaries) {
  struct Case {
    const char* pause;
    std::optional<std::chrono::nanoseconds> want;  // nullopt: refused
  };
  const Case cases[] = {
      {"1ns", 1ns},
      {"8760h", std::chrono::hours(8760)},
      {"8759h59m59.999999999s", std::chrono::hours(8760) - 1ns},
      {"8760h0m0.000000001s", std::nullopt},
      {"8761h", std::nullopt},
      {"2562047h", std::nullopt},
      {"1.5h", 90min},
      {"1h30m", 90min},
      {"0s", std::nullopt},
  };
  for (const auto& c : cases) {
    Json spec = validSpec();
    spec["strategy"]["steps"][1]["pause"]["duration"] = c.pause;
    ParsedSpec parsed = parseSpec(spec);
    if (!c.want) {
      EXPECT_FALSE(parsed.spec) << c.pause;
      continue;
    }
    ASSERT_TRUE(parsed.spec) << c.pause << ": " << parsed.summary();
    EXPECT_EQ(parsed.spec->steps[1].pause, c.want) << c.pause;
  }
  for (const auto& [interval, ok] : std::vector<std::pair<const char*, bool>>{
           {"999ms", false}, {"1s", true}, {"24h", true}, {"24h0m0.001s", false}}) {
    Json spec = validSpec();
    spec["analysis"]["interval"] = interval;
    EXPECT_EQ(parseSpec(spec).spec.has_value(), ok) << interval;
  }
}

TEST(SpecTest, CredentialsAndProvidersParse) {
  Json spec = validSpec();
  spec["analysis"]["prometheus"] = {
      {"address", "https://prometheus.monitoring:9090/prefix/"},
      {"authorization", {{"type", "Basic"}, {"secretRef", {{"name", "prom-creds"}}}}},
      {"tls", {{"caSecretRef", {{"name", "prom-ca"}}}}}};
  ParsedSpec parsed = parseSpec(spec);
  ASSERT_TRUE(parsed.spec) << parsed.summary();
  const AnalysisSpec& a = *parsed.spec->analysis;
  EXPECT_EQ(a.prometheusAddress, "https://prometheus.monitoring:9090/prefix");
  EXPECT_EQ(a.authorization, (PrometheusAuthorization{AuthType::Basic, "prom-creds"}));
  EXPECT_EQ(a.caSecret, (SecretKeySelector{"prom-ca", "ca.crt"}));

  spec["analysis"]["prometheus"] = {{"provider", "default"}};
  parsed = parseSpec(spec);
  ASSERT_TRUE(parsed.spec) << parsed.summary();
  EXPECT_EQ(parsed.spec->analysis->provider, "default");
  EXPECT_EQ(parsed.spec->analysis->prometheusAddress, "");
}

// A baseline comparison or a built-in check is a check of its own: an analysis made only of one
// is valid (they are validated with the analysis criteria, not here).
TEST(SpecTest, AnalysisOfOnlyABaselineOrABuiltinIsValid) {
  for (const char* key : {"baseline", "builtins"}) {
    Json spec = validSpec();
    spec["analysis"].erase("alerts");
    spec["analysis"].erase("queries");
    spec["analysis"][key] = Json::array({{{"name", "x"}}});
    ParsedSpec parsed = parseSpec(spec);
    EXPECT_TRUE(parsed.spec) << key << ": " << parsed.summary();
  }
}

TEST(SpecTest, ReportsEveryProblemAtOnce) {
  Json spec = validSpec();
  spec["flag"]["name"] = "";
  spec["strategy"]["steps"][1]["pause"]["duration"] = "1y";
  ParsedSpec parsed = parseSpec(spec);
  ASSERT_GE(parsed.problems.size(), 2u);
  EXPECT_NE(parsed.summary().find("spec.flag.name"), std::string::npos);
  EXPECT_NE(parsed.summary().find("spec.strategy.steps[1].pause.duration"), std::string::npos);
}

TEST(SpecTest, ImagePinning) {
  EXPECT_TRUE(isPinnedImage("otel/opentelemetry-collector-contrib:0.90.0"));
  EXPECT_TRUE(isPinnedImage("registry:5000/otel/collector:1.2"));
  EXPECT_TRUE(isPinnedImage("otel/collector@sha256:abcdef"));
  EXPECT_FALSE(isPinnedImage("otel/collector"));
  EXPECT_FALSE(isPinnedImage("otel/collector:latest"));
  EXPECT_FALSE(isPinnedImage("registry:5000/otel/collector"));
  EXPECT_FALSE(isPinnedImage("otel/collector:"));
}

}  // namespace
}  // namespace tro::controllers
