#pragma once
// OperatorClusterTest: the fixture of the operator-level integration suites. It starts the real
// kubesim (pod-ready-delay 100ms), applies the TelemetryRollout CRD, the collector's ConfigMap
// and N Deployments (app-0 .. app-N-1, label tier=web, varied pod templates, see deploymentYaml),
// waits for them to be Available, then starts the real operator binary. Everything is driven
// with the real kubectl; every wait is a condition with a deadline.
//
// Request accounting (kubesim's /kubesim/requests) is per verb/resource/fieldManager, not per
// object, so "one write per Deployment" is asserted as "N writes for N Deployments".
// barrier() makes "nothing more happened" observable without sleeping: it sets a manual-control
// annotation to a fresh value and waits until status.handledControls shows it, which proves a
// whole reconcile (Deployment writes come before the status write) ran after everything before.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"

namespace tro::testing {

using Json = nlohmann::json;

inline constexpr const char* kNamespace = "default";
inline constexpr const char* kFieldManager = "telemetry-rollout-operator";
inline constexpr const char* kCollectorImage = "otel/opentelemetry-collector-contrib:0.90.0";
inline constexpr std::chrono::seconds kLong{60};

// A TelemetryRollout in YAML; only what the suites vary.
struct RolloutYaml {
  std::string name = "web-otel";
  std::string matchLabels = "{tier: web}";
  std::vector<std::string> steps;  // each one YAML flow mapping: "{setWeight: 10}"
  std::vector<std::pair<std::string, std::string>> env = {
      {"OTEL_SERVICE_NAME", "$(DEPLOYMENT_NAME)"}};
  std::string flagYaml = "{name: FEATURE_OTEL}";  // "": no spec.flag
  std::string instrumentationYaml;                // YAML flow mapping; "": none
  std::string targetKindsYaml;                    // YAML flow sequence; "": none (Deployments)
  std::optional<std::string> collectorImage = kCollectorImage;
  std::string collectorResources;  // YAML flow mapping, e.g. "{requests: {cpu: 50m}}"
  bool paused = false;
  std::optional<int> progressDeadlineSeconds;  // spec.strategy's; unset: the default
  std::string render() const;
};

// Deployment app-<i>: labels tier=web and name=app-<i>, 2 replicas, container "app" with
// FEATURE_OTEL=false and LOG_LEVEL=info. Variants by i % 4 so that restores are checked over
// different templates: 1: OTEL_SERVICE_NAME already set (the operator must give it back);
// 2: a second container and an existing volume; 3: no flag variable at all.
std::string deploymentYaml(int i);
std::string deploymentName(int i);

// Concatenated JSON values, as `kubectl get -w -o json` prints them.
std::vector<Json> parseJsonStream(const std::string& text);

class OperatorClusterTest : public ::testing::Test {
 protected:
  // Starts kubesim, applies the CRD, the ConfigMap and `deployments` Deployments, then (when
  // `startOperator`) the operator. Fails the test (fatal in the caller via ASSERT_NO_FATAL_FAILURE)
  // on any error.
  void startCluster(int deployments, bool startOperator = true);
  void startOperator();

  // kubectl; ok() also records a failure when it exits non-zero and returns stdout.
  RunResult kubectl(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = kLong);
  std::string ok(const std::vector<std::string>& args, std::chrono::milliseconds timeout = kLong);
  void applyYaml(const std::string& fileName, const std::string& yaml);
  void applyRollout(const RolloutYaml& rollout) {
    applyYaml(rollout.name + ".yaml", rollout.render());
  }

  // `kubectl get <ref> -o json`; null when kubectl fails (for example NotFound).
  Json getJson(const std::string& ref);
  Json rollout(const std::string& name) { return getJson("telemetryrollout/" + name); }
  Json deployment(const std::string& name) { return getJson("deployment/" + name); }
  // The rollout's status; an empty object when it has none or cannot be read.
  Json statusOf(const std::string& name);
  // The raw `.spec.template` as kubectl prints it (compact JSON, keys sorted by the server).
  std::string podTemplateText(const std::string& name);
  // The same for every Deployment labelled tier=web, and those Deployments, by name (one call).
  std::map<std::string, std::string> podTemplateTexts();
  std::map<std::string, Json> deployments();
  // `kubectl rollout status` over every tier=web Deployment (fails the test when one fails).
  void expectAllRolledOut();

  // Waits (polling kubectl) until the rollout's status satisfies `condition`; on timeout fails
  // the test with the last status and the operator's logs, and returns false.
  bool waitForRollout(const std::string& name,
                      const std::function<bool(const Json& status)>& condition,
                      const std::string& what, std::chrono::milliseconds deadline = kLong);
  bool waitForPhase(const std::string& name, const std::string& phase,
                    std::chrono::milliseconds deadline = kLong);
  // Sets `annotation` (a manual control) to a fresh value and waits until the operator has
  // recorded it in status.handledControls.<field>. See the header comment.
  bool barrier(const std::string& name, const std::string& annotation, const std::string& field);
  void annotate(const std::string& name, const std::string& annotation, const std::string& value);

  // Request accounting.
  Json requests();
  void resetRequests();
  // Sum over rows matching every key of `match` (countRequests' keys: verb, resource,
  // subresource, fieldManager, code, ...).
  std::uint64_t count(const Json& requests, const std::map<std::string, std::string>& match);
  // Successful (2xx) writes to Deployments by the operator with `verb`.
  std::uint64_t operatorDeploymentWrites(const Json& requests, const std::string& verb);
  std::string describeRequests(const Json& requests);

  // Events (core/v1) whose involvedObject has `kind` and `name`, oldest first.
  std::vector<Json> eventsFor(const std::string& kind, const std::string& name);
  // True once such an Event exists (waits up to 10 s, polling): the operator records Events
  // after the status write that holds their transition, so a test that has just seen the status
  // may be ahead of the Event.
  bool waitForEvent(const std::string& kind, const std::string& name, const std::string& type,
                    const std::string& reason);

  std::string diagnostics();

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<OperatorProcess> operator_;
  int deployments_ = 0;
  int barrierCount_ = 0;
};

// Small accessors over Deployment JSON.
const Json* findContainer(const Json& deployment, const std::string& name);
// The literal value of `var` in container `container`; nullopt when absent.
std::optional<std::string> envValue(const Json& deployment, const std::string& container,
                                    const std::string& var);
std::string annotationOf(const Json& object, const std::string& key);
bool hasOperatorAnnotations(const Json& deployment);
// status.conditions[type], or an empty object.
Json conditionOf(const Json& status, const std::string& type);
// Names of status.targets in `state`, in status order.
std::vector<std::string> targetsIn(const Json& status, const std::string& state);

}  // namespace tro::testing
