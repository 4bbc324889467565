#include "tests/chaos/scenarios.h"

#include <map>

namespace tro::testing::chaos {
namespace {

using namespace std::chrono_literals;
using analysis::fill;
using analysis::waitFor;

// STEPS, STAGE and ANALYSIS are filled in per scenario.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: otel, namespace: chaos}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: shop}}
  flag: {name: FEATURE_OTEL, enabledValue: "true", disabledValue: "false"}
  env:
    - {name: OTEL_SERVICE_NAME, value: "$(DEPLOYMENT_NAME)"}
    - {name: OTEL_RESOURCE_ATTRIBUTES, value: "stage=STAGE"}
    - {name: OTEL_TRACES_SAMPLER_ARG, value: "0.05"}
  collector: {image: otel/opentelemetry-collector-contrib:0.90.0, configMap: otel-collector-config}
  strategy:
    steps: STEPSANALYSIS
  rollback: {removeCollector: true}
)yaml";

constexpr const char* kAnalysis = R"yaml(
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: chaos}})yaml";

std::string stepsOf(Scenario s) {
  switch (s) {
    case Scenario::Waves:
      return "[{setWeight: 25}, {pause: {duration: 1s}}, {setWeight: 50}, "
             "{pause: {duration: 1s}}, {setWeight: 100}]";
    case Scenario::SetEnvRamp:
      return "[{setWeight: 100}, {setEnv: {OTEL_TRACES_SAMPLER_ARG: \"0.25\"}}, "
             "{pause: {duration: 1s}}, {setEnv: {OTEL_TRACES_SAMPLER_ARG: \"1.0\"}}]";
    case Scenario::AlertRollback:
      // The window never ends on its own: the alert, not the clock, ends the first wave.
      return "[{setWeight: 50}, {pause: {duration: 1h}}, {setWeight: 100}]";
    case Scenario::ManualAbort:
    case Scenario::SpecChange:
      return "[{setWeight: 50}, {pause: {}}, {setWeight: 100}]";
    case Scenario::DeleteRestore:
      return "[{setWeight: 50}, {pause: {duration: 1s}}, {setWeight: 100}]";
  }
  return "";
}

std::string rolloutYaml(Scenario s, AnalysisCluster& cluster, const std::string& stage) {
  const std::string analysisBlock =
      s == Scenario::AlertRollback
          ? fill(kAnalysis, {{"PROMETHEUS_URL", cluster.prometheus().url()}})
          : "";
  return fill(kRollout, {{"STEPS", stepsOf(s)}, {"ANALYSIS", analysisBlock}, {"STAGE", stage}});
}

std::optional<Json> status(AnalysisCluster& cluster) {
  auto r = cluster.rollout(kNamespace, kRolloutName);
  if (!r) return std::nullopt;
  return r->value("status", Json::object());
}

int enabledTargets(const Json& status) {
  int n = 0;
  for (const auto& t : status.value("targets", Json::array()))
    n += t.value("state", "") == "Enabled" ? 1 : 0;
  return n;
}

// The first wave (two of four) enabled and the rollout holding its window.
bool inFirstWindow(AnalysisCluster& cluster) {
  auto s = status(cluster);
  if (!s) return false;
  const std::string phase = s->value("phase", "");  // Paused: a window held until promoted
  return (phase == "Progressing" || phase == "Paused") && s->value("currentStep", -1) == 1 &&
         enabledTargets(*s) == 2;
}

bool phaseIs(AnalysisCluster& cluster, const std::string& phase) {
  auto s = status(cluster);
  return s && s->value("phase", "") == phase;
}

std::string waitOrSay(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
                      const std::string& what) {
  return waitFor(condition, deadline) ? "" : "timed out waiting for " + what;
}

std::string gitopsYaml() {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a3\n  namespace: chaos\n"
         "  labels: {team: payments}\n  annotations: {gitops.example/revision: abc123}\n"
         "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n"
         "        env:\n        - {name: LOG_LEVEL, value: warn}\n";
}

}  // namespace

const char* scenarioName(Scenario s) {
  switch (s) {
    case Scenario::Waves:
      return "waves";
    case Scenario::SetEnvRamp:
      return "setenv-ramp";
    case Scenario::AlertRollback:
      return "alert-rollback";
    case Scenario::ManualAbort:
      return "manual-abort";
    case Scenario::DeleteRestore:
      return "delete-restore";
    case Scenario::SpecChange:
      return "spec-change";
  }
  return "?";
}

std::string annotateRollout(AnalysisCluster& cluster, const std::string& key,
                            const std::string& value) {
  RunResult r =
      cluster.kubectl({"-n", kNamespace, "annotate", "--overwrite",
                       "telemetryrollout/" + std::string(kRolloutName), key + "=" + value});
  return r.exitCode == 0 ? "" : "kubectl annotate " + key + ": " + r.err;
}

bool endsDeleted(Scenario s) { return s == Scenario::DeleteRestore; }

std::vector<std::string> appNames() { return {"a0", "a1", "a2", "a3"}; }

std::vector<analysis::App> appsFor(Scenario s) {
  std::vector<analysis::App> apps;
  for (const std::string& name : appNames()) {
    analysis::App app{name, "shop", "false", {{"kubesim.io/request-rate", "50"}}};
    if (name == "a2") app.flag.reset();  // no flag at all before the rollout
    if (name == "a0" && s == Scenario::AlertRollback)
      app.annotations["kubesim.io/telemetry-fault-error-ratio"] = "0.3";
    apps.push_back(std::move(app));
  }
  return apps;
}

std::string changeAsOthers(AnalysisCluster& cluster) {
  RunResult user = cluster.kubectl(
      {"-n", kNamespace, "set", "env", "deployment/a1", "-c", "app", "LOG_LEVEL=debug"});
  if (user.exitCode != 0) return "the user's kubectl set env failed: " + user.err;
  RunResult gitops =
      cluster.kubectl({"apply", "--server-side", "--force-conflicts", "--field-manager=gitops",
                       "-f", cluster.kubesim().writeFile("gitops-a3.yaml", gitopsYaml())});
  if (gitops.exitCode != 0) return "the GitOps apply failed: " + gitops.err;
  return "";
}

std::string othersKept(AnalysisCluster& cluster) {
  auto a1 = cluster.deployment(kNamespace, "a1");
  auto a3 = cluster.deployment(kNamespace, "a3");
  if (!a1 || !a3) return "reading a1/a3: " + cluster.lastError();
  std::string missing;
  if (analysis::envValue(*a1, "app", "LOG_LEVEL") != "debug")
    missing += " a1's LOG_LEVEL=debug (the user's set env);";
  if (analysis::envValue(*a3, "app", "LOG_LEVEL") != "warn")
    missing += " a3's LOG_LEVEL=warn (the GitOps apply);";
  if (a3->value(Json::json_pointer("/metadata/labels/team"), "") != "payments")
    missing += " a3's label team=payments;";
  RunResult managed = cluster.kubectl(
      {"-n", kNamespace, "get", "deployment/a3", "--show-managed-fields", "-o", "json"});
  const Json d = Json::parse(managed.out, nullptr, false);
  bool owns = false;
  for (const auto& m : d.is_object()
                           ? d.value(Json::json_pointer("/metadata/managedFields"), Json::array())
                           : Json::array()) {
    owns = owns || (m.value("manager", "") == "gitops" && m.value("operation", "") == "Apply" &&
                    m.dump().find("LOG_LEVEL") != std::string::npos);
  }
  if (!owns) missing += " the gitops manager's ownership of a3's LOG_LEVEL;";
  return missing.empty() ? "" : "lost:" + missing;
}

std::string drive(Scenario s, AnalysisCluster& cluster, std::chrono::milliseconds deadline) {
  if (!cluster.apply("rollout.yaml", rolloutYaml(s, cluster, "one")))
    return "applying the rollout: " + cluster.lastError();
  switch (s) {
    case Scenario::Waves:
    case Scenario::SetEnvRamp:
      return waitOrSay([&] { return phaseIs(cluster, "Succeeded"); }, deadline, "Succeeded");
    case Scenario::AlertRollback:
      return waitOrSay([&] { return phaseIs(cluster, "RolledBack"); }, deadline, "RolledBack");
    case Scenario::ManualAbort: {
      std::string e = waitOrSay([&] { return inFirstWindow(cluster); }, deadline, "the window");
      if (e.empty()) e = annotateRollout(cluster, "rollout.telemetry.io/abort", "chaos");
      if (e.empty())
        e = waitOrSay([&] { return phaseIs(cluster, "RolledBack"); }, deadline, "RolledBack");
      return e;
    }
    case Scenario::SpecChange: {
      std::string e = waitOrSay([&] { return inFirstWindow(cluster); }, deadline, "the window");
      if (!e.empty()) return e;
      if (!cluster.apply("rollout.yaml", rolloutYaml(s, cluster, "two")))
        return "changing the rollout: " + cluster.lastError();
      // The change starts the rollout again from step 1 (a promote before it is back in the
      // window is ignored, and says so in an Event): wait for the new generation's window, with
      // the first wave carrying the new value.
      e = waitOrSay(
          [&] {
            auto st = status(cluster);
            if (!st || st->value("observedGeneration", 0) < 2 || !inFirstWindow(cluster))
              return false;
            for (const std::string name : {"a0", "a1"}) {
              auto d = cluster.deployment(kNamespace, name);
              if (!d || analysis::envValue(*d, "app", "OTEL_RESOURCE_ATTRIBUTES") != "stage=two")
                return false;
            }
            return true;
          },
          deadline, "the first wave to carry the changed env");
      if (e.empty()) e = annotateRollout(cluster, "rollout.telemetry.io/promote", "chaos");
      if (e.empty())
        e = waitOrSay([&] { return phaseIs(cluster, "Succeeded"); }, deadline, "Succeeded");
      return e;
    }
    case Scenario::DeleteRestore: {
      std::string e =
          waitOrSay([&] { return phaseIs(cluster, "Succeeded"); }, deadline, "Succeeded");
      if (!e.empty()) return e;
      RunResult del = cluster.kubectl(
          {"-n", kNamespace, "delete", "telemetryrollout", kRolloutName, "--wait=false"});
      if (del.exitCode != 0) return "kubectl delete: " + del.err;
      return waitOrSay(
          [&] {
            RunResult r = cluster.kubectl({"-n", kNamespace, "get", "telemetryrollout",
                                           kRolloutName, "--ignore-not-found", "-o", "name"});
            return r.exitCode == 0 && r.out.empty();
          },
          deadline, "the rollout to be gone (its finalizer released)");
    }
  }
  return "unknown scenario";
}

}  // namespace tro::testing::chaos
