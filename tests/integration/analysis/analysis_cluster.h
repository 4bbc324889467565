#pragma once
// One isolated world for the analysis scenarios: the real kubesim (simulated apps, pods Ready
// 100 ms after they start), a real Prometheus scraping the apps every second with the scenario's
// rule file, and the real operator binary, with the TelemetryRollout and ClusterTelemetryRollout
// CRDs served before it starts.
//
// Reads go through the real kubectl and return values (nullopt / empty on failure, the reason in
// lastError()); waits poll a condition until a real-time deadline that only bounds a failing
// test. Not thread-safe: one test drives one cluster.

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
#include "tests/support/prometheus_process.h"

namespace tro::testing::analysis {

using Json = nlohmann::json;

// HighErrorRate as the runbooks write it (error ratio above 2 % per Deployment), with windows
// short enough for a test: rate over 5s, for 1s.
std::string highErrorRateRule();

// A simulated application. Knob annotations (kubesim/world/knobs.h) go in `annotations`.
struct App {
  std::string name;
  std::string partOf;               // label app.kubernetes.io/part-of, for selectors
  std::optional<std::string> flag;  // FEATURE_OTEL's value before the rollout; unset: none
  std::map<std::string, std::string> annotations;
  int replicas = 2;
  int progressDeadlineSeconds = 60;
};
std::string deploymentYaml(const std::string& ns, const App& app);

// A namespace and the collector's ConfigMap (otel-collector-config) the rollouts reference.
std::string namespaceYaml(const std::string& ns);

// Readers over objects as `kubectl get -o json` returns them.
std::vector<std::string> containerNames(const Json& deployment);
// The value of `var` in container `container`; nullopt when the variable is absent.
std::optional<std::string> envValue(const Json& deployment, const std::string& container,
                                    const std::string& var);
// status.conditions[type == `type`], or an empty object.
Json condition(const Json& rollout, const std::string& type);
// status.analysis.checks[check == `check`], or an empty object.
Json analysisCheck(const Json& rollout, const std::string& check);
// Events whose reason is `reason` and whose message contains `text`.
std::vector<Json> eventsWith(const std::vector<Json>& events, const std::string& reason,
                             const std::string& text = "");
// RFC 3339 in whole seconds, as the operator writes status times; nullopt when unparsable.
std::optional<std::chrono::sys_seconds> parseTime(const Json& value);

// `text` with every occurrence of each key replaced by its value (keys in map order).
std::string fill(std::string text, const std::map<std::string, std::string>& values);

// Polls `condition` every `period` until it holds or `deadline` passes.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
             std::chrono::milliseconds period = std::chrono::milliseconds(200));

struct ClusterOptions {
  // Prometheus also sends its firing alerts to an Alertmanager on 127.0.0.1:<port>.
  std::optional<std::uint16_t> alertmanagerPort;
  std::vector<std::string> operatorFlags;  // besides the fixture's own
};

class AnalysisCluster {
 public:
  // Error: nullptr, with the reason (and the failing process' logs) in `error`.
  static std::unique_ptr<AnalysisCluster> start(const std::string& rules, std::string& error,
                                                const ClusterOptions& options = {});

  Kubesim& kubesim() { return *kubesim_; }
  Prometheus& prometheus() { return *prometheus_; }
  OperatorProcess& operatorProcess() { return *operator_; }

  RunResult kubectl(const std::vector<std::string>& args);
  // kubectl apply of `yaml` (written to `fileName` in kubesim's directory).
  bool apply(const std::string& fileName, const std::string& yaml);
  // Applies the Deployments and waits until each has rolled out.
  bool applyApps(const std::string& ns, const std::vector<App>& apps);
  // Waits until Prometheus has a request rate for every named Deployment, so that analysis
  // queries have data from the moment the rollout starts.
  bool waitForScrapes(const std::string& ns, const std::vector<std::string>& deployments);

  std::optional<Json> rollout(const std::string& ns, const std::string& name);
  std::optional<Json> deployment(const std::string& ns, const std::string& name);
  // Events about the object named `involvedName` (kubectl --field-selector involvedObject.name).
  std::vector<Json> events(const std::string& ns, const std::string& involvedName);
  // Waits until the rollout's status.phase is `phase`.
  bool waitForPhase(const std::string& ns, const std::string& name, const std::string& phase,
                    std::chrono::milliseconds deadline);
  // A scalar instant query answered by Prometheus; nullopt on error or an empty answer.
  std::optional<double> queryValue(const std::string& promql);

  // What a failed assertion should show: the rollout, its events, alerts and the operator's log.
  std::string diagnostics(const std::string& ns, const std::string& rollout);
  const std::string& lastError() const { return lastError_; }

 private:
  std::optional<Json> getJson(const std::vector<std::string>& args);

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<Prometheus> prometheus_;
  std::unique_ptr<OperatorProcess> operator_;
  std::string lastError_;
};

}  // namespace tro::testing::analysis
