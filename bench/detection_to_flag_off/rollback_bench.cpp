#include "bench/detection_to_flag_off/rollback_bench.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "bench/common/crd.h"
#include "bench/common/deployment_state.h"
#include "bench/common/manifests.h"
#include "bench/common/poll.h"
#include "bench/detection_to_flag_off/plain_client.h"
#include "controllers/analysis/prometheus_parse.h"
#include "operator/base/rfc3339.h"
#include "tests/support/free_port.h"

namespace tro::bench {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRolloutName = "bench";
constexpr const char* kFaultAnnotation = "kubesim.io/telemetry-fault-error-ratio=0.5";
// The push case's namespaces; Alertmanager pushes only their alerts (see startAlertmanager).
constexpr const char* kPushPrefix = "push-";
constexpr const char* kReceiverToken = "bench-alert-receiver-token";
constexpr auto kSetupTimeout = 300s;  // 100 Deployments on 2 busy cores
constexpr auto kMeasureTimeout = 120s;
// The trace line is written with the writes, before the status update the case already waited
// for; this only covers a slow flush.
constexpr auto kTraceTimeout = 5s;
// Bounded: under load kubesim deletes 100 Deployments slowly, and a leftover set only adds load.
constexpr auto kCleanupTimeout = 60s;

// `interval` is 1s for the polled case; the push case's 1h leaves its analysis to whatever wakes
// it sooner: a pushed alert, or the operator's shared alert poll.
std::string rolloutYaml(const std::string& ns, std::uint16_t prometheusPort,
                        const std::string& interval) {
  return std::string("apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n") +
         "metadata: {name: " + kRolloutName + ", namespace: " + ns + "}\nspec:\n" +
         "  selector: {matchLabels: {" + kSetLabel + ": " + ns + "}}\n" +
         "  flag: {name: " + kFlag + ", enabledValue: \"true\", disabledValue: \"false\"}\n" +
         "  strategy:\n    steps:\n      - setWeight: 100\n      - pause: {duration: 1h}\n" +
         "  analysis:\n    prometheus: {address: \"http://127.0.0.1:" +
         std::to_string(prometheusPort) + "\"}\n    interval: " + interval + "\n" +
         "    alerts:\n      - {name: HighErrorRate, matchLabels: {namespace: " + ns + "}}\n" +
         "    failureLimit: 0\n";
}

double seconds(base::Duration d) { return std::chrono::duration<double>(d).count(); }

// A fresh namespace per case and repetition, so that no alert or object of an earlier case counts.
std::string namespaceFor(Method method, int n, int repetition) {
  const std::string suffix = std::to_string(n) + "-" + std::to_string(repetition);
  switch (method) {
    case Method::Operator:
      return "op-" + suffix;
    case Method::OperatorPush:
      return kPushPrefix + suffix;
    case Method::KubectlLoop:
      return "loop-" + suffix;
    case Method::KubectlSelector:
      return "sel-" + suffix;
    case Method::PlainClient:
      return "plain-" + suffix;
  }
  return "unknown-" + suffix;
}

// Every target of the rollout is Enabled and the rollout waits in its pause step.
bool rolloutHolding(kube::ApiClient& client, const std::string& ns, int n, std::string& why) {
  auto tro = client.get(kube::resources::telemetryRollouts(), ns, kRolloutName);
  if (!tro.ok()) {
    why = tro.error().toString();
    return false;
  }
  const auto status = tro->value("status", kube::Json::object());
  const auto targets = status.value("targets", kube::Json::array());
  const auto enabled = std::count_if(targets.begin(), targets.end(), [](const kube::Json& t) {
    return t.value("state", "") == "Enabled";
  });
  why = "rollout status: " + status.dump();
  return status.value("phase", "") == "Progressing" && status.value("currentStep", 0) >= 1 &&
         enabled == n;
}

// What the runbook's script runs: one command per Deployment, or one for the whole set.
std::vector<std::vector<std::string>> kubectlCommands(Method method, const std::string& ns, int n) {
  const std::string assignment = std::string(kFlag) + "=false";
  if (method != Method::KubectlLoop) {
    return {{"-n", ns, "set", "env", "deployment", "-l", std::string(kSetLabel) + "=" + ns,
             assignment}};
  }
  std::vector<std::vector<std::string>> commands;
  for (const std::string& name : deploymentNames(n)) {
    commands.push_back({"-n", ns, "set", "env", "deployment/" + name, assignment});
  }
  return commands;
}

// One GET per Deployment from the plain client's threads before the clock starts, so that its
// PATCHes find kept-alive connections in the transport's pool, as the issue's reference client
// did (cpprestsdk keeps an idle connection for 30 s at least; the alert fires within seconds).
std::string warmConnections(kube::ApiClient& client, const std::string& ns,
                            const std::vector<std::string>& names) {
  const std::string error =
      forEachParallel(names, kPlainClientThreads, [&](const std::string& name) {
        auto got = client.get(kube::resources::deployments(), ns, name);
        return got.ok() ? std::string() : got.error().toString();
      });
  return error.empty() ? error : "warm-up GET " + error;
}

}  // namespace

const char* toString(Method method) {
  switch (method) {
    case Method::Operator:
      return "operator";
    case Method::OperatorPush:
      return "operator-push";
    case Method::KubectlLoop:
      return "kubectl-loop";
    case Method::KubectlSelector:
      return "kubectl-selector";
    case Method::PlainClient:
      return "plain-client";
  }
  return "unknown";
}

std::optional<Method> parseMethod(const std::string& name) {
  for (Method m : {Method::Operator, Method::OperatorPush, Method::KubectlLoop,
                   Method::KubectlSelector, Method::PlainClient}) {
    if (name == toString(m)) return m;
  }
  return std::nullopt;
}

std::unique_ptr<RollbackBench> RollbackBench::start(const BenchOptions& options,
                                                    std::string& error) {
  auto b = std::make_unique<RollbackBench>();
  b->options_ = options;
  b->kubesim_ = testing::Kubesim::start({"--pod-ready-delay", options.podReadyDelay}, error);
  if (!b->kubesim_ || !applyCrd(*b->kubesim_, error)) return nullptr;
  if (b->pushSelected() && !b->startAlertmanager(error)) return nullptr;
  // The runbooks' HighErrorRate with `for: 0s`, so that the evaluation that makes the alert
  // active also makes it firing (activeAt is the firing time).
  testing::PrometheusOptions prometheus{{b->kubesim_->metricsPort()},
                                        testing::highErrorRateRules("0s")};
  if (b->alertmanager_) prometheus.alertmanagerPort = b->alertmanager_->port();
  b->prometheus_ = testing::Prometheus::start(prometheus, error);
  if (!b->prometheus_) return nullptr;
  b->operator_ =
      testing::OperatorProcess::start(b->kubesim_->kubeconfig(), b->operatorFlags(), error);
  if (!b->operator_) return nullptr;
  auto api = ApiSession::open(b->kubesim_->kubeconfig());
  if (!api.ok()) {
    error = "client: " + api.error().toString();
    return nullptr;
  }
  b->api_ = std::move(api).value();
  // Created after the CRD is served, so the warm discovery cache knows TelemetryRollouts.
  b->kubectl_.emplace(b->kubesim_->kubeconfig(), b->kubesim_->dir());
  return b;
}

bool RollbackBench::pushSelected() const {
  return std::find(options_.methods.begin(), options_.methods.end(), Method::OperatorPush) !=
         options_.methods.end();
}

bool RollbackBench::startAlertmanager(std::string& error) {
  receiverPort_ = testing::freeLoopbackPort();
  if (receiverPort_ == 0) {
    error = "no free loopback port for the operator's alert receiver";
    return false;
  }
  receiverTokenFile_ =
      kubesim_->writeFile("alert-receiver-token", std::string(kReceiverToken) + "\n");
  // Only the push case's alerts: the operator and kubectl cases must stay pure polling, and one
  // operator serves them all.
  alertmanager_ = testing::Alertmanager::start(
      {"http://127.0.0.1:" + std::to_string(receiverPort_) + "/alertmanager", receiverTokenFile_,
       std::string(kPushPrefix) + ".*"},
      error);
  return alertmanager_ != nullptr;
}

std::vector<std::string> RollbackBench::operatorFlags() const {
  std::vector<std::string> flags;
  const auto add = [&flags](const std::string& name, const std::string& value) {
    flags.insert(flags.end(), {name, value});
  };
  add("--kube-api-qps", options_.kubeApiQps);
  add("--kube-api-burst", options_.kubeApiBurst);
  // For the "rollback write trace" line. The fixture's own `--log-format text` comes first, and
  // the last one wins.
  add("--log-format", "json");
  if (receiverPort_ != 0) {
    add("--alert-receiver-bind-address", "127.0.0.1:" + std::to_string(receiverPort_));
    add("--alert-receiver-token-file", receiverTokenFile_);
  }
  // The alert poll period stays at its default: the polled case measures the product as shipped.
  return flags;
}

std::vector<std::pair<std::string, std::string>> RollbackBench::settings() const {
  std::string pushRoute = "not started (operator-push not among the methods)";
  if (alertmanager_) {
    pushRoute = std::string(testing::Alertmanager::binary()) +
                ": group_wait 0s; only namespace=~\"" + kPushPrefix +
                ".*\" to the operator's receiver (bearer token)";
  }
  return {{"operator --kube-api-qps", options_.kubeApiQps},
          {"operator --kube-api-burst", options_.kubeApiBurst},
          {"operator --workers", "4 (default)"},
          {"operator --log-format", "json (for its \"rollback write trace\" line)"},
          {"operator alert poll period", "its default (1s)"},
          {"kubesim --pod-ready-delay", options_.podReadyDelay},
          {"kubesim --pod-start-delay", "50ms (default)"},
          {"Prometheus scrape/evaluation interval", "1s"},
          {"HighErrorRate", "error ratio > 0.02 over rate[5s], for: 0s"},
          {"rollout analysis interval", "1s (alert gate, failureLimit 0)"},
          {"push rollout analysis interval", "1h (only a push or the shared alert poll wakes it)"},
          {"Alertmanager", pushRoute},
          {"plain client", std::to_string(kPlainClientThreads) +
                               " threads, one strategic-merge PATCH per Deployment (kubectl set "
                               "env's body), no rate limit, connections " +
                               (options_.warmPlainClient ? "opened before the alert (warm)"
                                                         : "opened by the PATCHes (cold)")},
          {"kubectl", std::string(Kubectl::binary()) + " (warm discovery cache)"}};
}

CaseResult RollbackBench::run(Method method, int deployments, int repetition) {
  const std::string ns = namespaceFor(method, deployments, repetition);
  CaseResult result = runCase(method, ns, deployments);
  result.method = method;
  result.deployments = deployments;
  result.repetition = repetition;
  cleanup(ns, deployments);
  return result;
}

CaseResult RollbackBench::runCase(Method method, const std::string& ns, int n) {
  switch (method) {
    case Method::Operator:
    case Method::OperatorPush:
      return runOperator(method, ns, n);
    case Method::KubectlLoop:
    case Method::KubectlSelector:
      return runKubectl(method, ns, n);
    case Method::PlainClient:
      return runPlainClient(ns, n);
  }
  CaseResult unknown;
  unknown.error = "unknown method";
  return unknown;
}

bool RollbackBench::createSet(const std::string& ns, int n, const std::string& flagValue,
                              std::string& error) {
  const std::string file =
      kubesim_->writeFile(ns + ".yaml", deploymentSetYaml({ns, n, 2, flagValue, 20}));
  testing::RunResult r = kubectl_->run({"apply", "-f", file});
  if (r.exitCode != 0) {
    error = "kubectl apply " + ns + ": " + r.err;
    return false;
  }
  std::string why;
  if (!pollUntil([&] { return setRolledOut(api_->client(), ns, n, kFlag, flagValue, &why); },
                 kSetupTimeout)) {
    error = ns + " never rolled out with " + kFlag + "=" + flagValue + ": " + why;
    return false;
  }
  return true;
}

std::unique_ptr<FlagWatch> RollbackBench::watchFlags(const std::string& ns, CaseResult& result) {
  auto watch = FlagWatch::start(api_->client(), clock_, {ns, kFlag, "false"});
  if (!watch.ok()) {
    result.error = "watch: " + watch.error().toString();
    return nullptr;
  }
  return std::move(watch).value();
}

std::optional<FiringAlert> RollbackBench::fireAlert(const std::string& ns, CaseResult& result) {
  if (!injectFault(ns, result.error)) return std::nullopt;
  return waitAlert(ns, result);
}

bool RollbackBench::injectFault(const std::string& ns, std::string& error) {
  // Metadata only: no new rollout; kubesim's apps pick the knob up at their next tick.
  testing::RunResult r =
      kubectl_->run({"-n", ns, "annotate", "deployment", "--all", kFaultAnnotation, "--overwrite"});
  if (r.exitCode != 0) error = "kubectl annotate " + ns + ": " + r.err;
  return r.exitCode == 0;
}

std::optional<FiringAlert> RollbackBench::waitAlert(const std::string& ns, CaseResult& result) {
  auto alert =
      waitFiring(*prometheus_, clock_, "HighErrorRate", {{"namespace", ns}}, kMeasureTimeout);
  if (!alert) {
    result.error = "HighErrorRate never fired for " + ns;
  } else if (!alert->activeAt) {
    result.error = "HighErrorRate fired without a parsable activeAt";
    alert.reset();
  } else {
    result.firingAlerts = alert->matching;
  }
  return alert;
}

std::optional<base::TimePoint> RollbackBench::finish(FlagWatch& watch, int n,
                                                     const FiringAlert& alert, CaseResult& result) {
  if (!watch.waitAll(deploymentNames(n), kMeasureTimeout)) {
    result.error = std::to_string(watch.reached().size()) + " of " + std::to_string(n) +
                   " flags off after " + std::to_string(kMeasureTimeout.count()) + "s" +
                   (watch.error().empty() ? "" : "; watch: " + watch.error());
    return std::nullopt;
  }
  const auto reached = watch.reached();
  auto [first, last] =
      std::minmax_element(reached.begin(), reached.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; });
  result.fromActiveAt = seconds(last->second - *alert.activeAt);
  result.fromFiringSeen = seconds(last->second - alert.firstSeen);
  result.firstToLastOff = seconds(last->second - first->second);
  return last->second;
}

bool RollbackBench::startRollout(Method method, const std::string& ns, int n, std::string& error) {
  if (!createSet(ns, n, "false", error)) return false;
  const std::string yaml =
      rolloutYaml(ns, prometheus_->port(), method == Method::OperatorPush ? "1h" : "1s");
  const std::string file = kubesim_->writeFile(ns + "-rollout.yaml", yaml);
  if (testing::RunResult r = kubectl_->run({"apply", "-f", file}); r.exitCode != 0) {
    error = "kubectl apply rollout: " + r.err;
    return false;
  }
  std::string why;
  if (!pollUntil(
          [&] {
            return rolloutHolding(api_->client(), ns, n, why) &&
                   setRolledOut(api_->client(), ns, n, kFlag, "true", &why);
          },
          kSetupTimeout)) {
    error = "the rollout never enabled all " + std::to_string(n) + ": " + why;
    return false;
  }
  return true;
}

CaseResult RollbackBench::runOperator(Method method, const std::string& ns, int n) {
  CaseResult result;
  if (method == Method::OperatorPush && !alertmanager_) {
    result.error = "operator-push needs Alertmanager, which start() did not run";
    return result;
  }
  if (!startRollout(method, ns, n, result.error)) return result;
  const auto metricBefore = rollbackMetric();
  auto watch = watchFlags(ns, result);
  if (!watch) return result;
  const auto requestsBefore = operatorRequestCounts();
  auto alert = fireAlert(ns, result);
  if (!alert) return result;
  const auto lastOff = finish(*watch, n, *alert, result);
  if (!lastOff) return result;
  if (auto decided = rollbackDecision(ns)) result.fromDecision = seconds(*lastOff - *decided);
  result.operatorMetric = rollbackMetricSince(metricBefore);
  for (const auto& [series, value] : operatorRequestCounts()) {
    auto before = requestsBefore.find(series);
    const double delta = value - (before == requestsBefore.end() ? 0.0 : before->second);
    if (delta > 0) result.operatorRequests[series] = delta;
  }
  recordTrace(ns, *alert, *lastOff, result);
  return result;
}

std::optional<base::TimePoint> RollbackBench::rollbackDecision(const std::string& ns) {
  // The status (with the rollback record) is written after the Deployments.
  std::optional<base::TimePoint> decided;
  pollUntil(
      [&] {
        auto tro = api_->client().get(kube::resources::telemetryRollouts(), ns, kRolloutName);
        if (!tro.ok()) return false;
        const auto status = tro->value("status", kube::Json::object());
        if (status.value("phase", "") != "RolledBack") return false;
        decided =
            base::parseRfc3339(status.value("rollback", kube::Json::object()).value("at", ""));
        return decided.has_value();
      },
      30s);
  return decided;
}

std::map<std::string, double> RollbackBench::operatorRequestCounts() const {
  // Lines like: rest_client_requests_total{method="PATCH",code="200"} 103
  std::map<std::string, double> out;
  const std::string page = operator_->metrics();
  const std::string prefix = "rest_client_requests_total{method=\"";
  for (std::size_t at = page.find(prefix); at != std::string::npos;
       at = page.find(prefix, at + 1)) {
    const std::size_t methodEnd = page.find('"', at + prefix.size());
    const std::size_t codeAt = page.find("code=\"", methodEnd);
    const std::size_t codeEnd = codeAt == std::string::npos ? codeAt : page.find('"', codeAt + 6);
    const std::size_t valueAt = page.find("} ", methodEnd);
    if (methodEnd == std::string::npos || codeEnd == std::string::npos ||
        valueAt == std::string::npos) {
      break;
    }
    out[page.substr(at + prefix.size(), methodEnd - at - prefix.size()) + " " +
        page.substr(codeAt + 6, codeEnd - codeAt - 6)] = std::atof(page.c_str() + valueAt + 2);
  }
  return out;
}

std::optional<double> RollbackBench::rollbackMetricSince(
    const std::optional<std::pair<double, double>>& before) const {
  // The operator observes the histogram after its writes and before its status update.
  std::optional<std::pair<double, double>> after;
  pollUntil(
      [&] {
        after = rollbackMetric();
        return after && (!before || after->second > before->second);
      },
      10s);
  if (!after) return std::nullopt;
  return after->first - (before ? before->first : 0.0);
}

void RollbackBench::recordTrace(const std::string& ns, const FiringAlert& alert,
                                base::TimePoint lastOff, CaseResult& result) {
  const std::string rollout = ns + "/" + kRolloutName;
  std::optional<WriteTrace> trace;
  pollUntil(
      [&] {
        trace = findWriteTrace(operator_->logs(), rollout);
        return trace.has_value();
      },
      kTraceTimeout, 250ms);
  if (!trace) {
    std::cerr << "note: the operator logged no \"rollback write trace\" line for " << rollout
              << "; its verdict figures stay empty\n";
    return;
  }
  result.writeTrace = trace;
  result.activeAtToVerdict = seconds(trace->verdict - *alert.activeAt);
  result.verdictToLastOff = seconds(lastOff - trace->verdict);
}

CaseResult RollbackBench::runKubectl(Method method, const std::string& ns, int n) {
  CaseResult result;
  if (!createSet(ns, n, "true", result.error)) return result;
  auto watch = watchFlags(ns, result);
  if (!watch) return result;
  auto alert = fireAlert(ns, result);
  if (!alert) return result;

  // As a script would: at once, sequentially, stopping at the first failure.
  const base::TimePoint started = clock_.now();
  for (const auto& command : kubectlCommands(method, ns, n)) {
    if (testing::RunResult r = kubectl_->run(command); r.exitCode != 0) {
      result.error = "kubectl set env: " + r.err;
      return result;
    }
  }
  result.commandSeconds = seconds(clock_.now() - started);
  if (auto lastOff = finish(*watch, n, *alert, result)) {
    result.commandToLastOff = seconds(*lastOff - started);
  }
  return result;
}

CaseResult RollbackBench::runPlainClient(const std::string& ns, int n) {
  CaseResult result;
  if (!createSet(ns, n, "true", result.error)) return result;
  auto watch = watchFlags(ns, result);
  if (!watch) return result;
  kube::ApiClient& client = api_->client();
  const std::vector<std::string> names = deploymentNames(n);
  if (options_.warmPlainClient) result.error = warmConnections(client, ns, names);
  if (!result.ok()) return result;
  auto alert = fireAlert(ns, result);
  if (!alert) return result;

  const std::string body = setEnvPatch(kContainer, kFlag, "false");
  const base::TimePoint started = clock_.now();
  result.error = forEachParallel(names, kPlainClientThreads, [&](const std::string& name) {
    return patchDeployment(client, ns, name, body);
  });
  result.commandSeconds = seconds(clock_.now() - started);
  if (!result.ok()) {
    result.error = "PATCH " + result.error;
    return result;
  }
  if (auto lastOff = finish(*watch, n, *alert, result)) {
    result.commandToLastOff = seconds(*lastOff - started);
  }
  return result;
}

std::optional<std::pair<double, double>> RollbackBench::rollbackMetric() const {
  auto sum = operator_->metric("telemetry_rollout_rollback_latency_seconds_sum");
  auto count = operator_->metric("telemetry_rollout_rollback_latency_seconds_count");
  if (!sum || !count) return std::nullopt;
  return std::make_pair(*sum, *count);
}

bool RollbackBench::gone(const kube::ResourceType& type, const std::string& ns, std::string& why) {
  return pollUntil(
      [&] {
        auto left = api_->client().list(type, ns, {});
        if (!left.ok()) why = left.error().toString();
        return left.ok() && (*left)["items"].empty();
      },
      kCleanupTimeout);
}

void RollbackBench::cleanup(const std::string& ns, int n) {
  // Keeps the next case's servers as quiet as the first one's: the rollout is deleted (its
  // finalizer restores the Deployments) and the Deployments are scaled to zero, so no simulated
  // pod is left serving traffic or being scraped. Scaling is used rather than deletion because
  // kubesim deletes 100 Deployments slowly (docs/benchmarks.md). A failure here cannot change
  // figures already taken, so it is reported and the run goes on.
  const kube::ResourceType pods{"", "v1", "pods", "Pod", true};
  std::string why;
  testing::RunResult r = kubectl_->run(
      {"-n", ns, "delete", "telemetryrollouts", "--all", "--wait=false"}, kCleanupTimeout);
  if (r.exitCode != 0 || !gone(kube::resources::telemetryRollouts(), ns, why)) {
    std::cerr << "warning: cleanup of the rollout in " << ns << ": exit " << r.exitCode << " "
              << r.err << why << "\n";
  }
  // A merge patch of spec.replicas: kubesim serves no scale subresource for `kubectl scale`.
  why.clear();
  for (const std::string& name : deploymentNames(n)) {
    auto scaled =
        api_->client().patch(kube::resources::deployments(), ns, name, kube::PatchType::Merge,
                             R"({"spec":{"replicas":0}})", {"tro-bench", false, "", false});
    if (!scaled.ok()) why = scaled.error().toString();
  }
  if (!why.empty() || !gone(pods, ns, why)) {
    std::cerr << "warning: scaling down " << ns << ": "
              << (why.empty() ? "pods still present after the cleanup timeout" : why) << "\n";
  }
}

}  // namespace tro::bench
