#pragma once
// The rollback benchmark (issues 6 and 14): how long after HighErrorRate fires the LAST of N
// Deployments carries FEATURE_OTEL=false, when (i) the operator rolls back, polling Prometheus,
// (ii) the operator rolls back on an alert that Prometheus -> Alertmanager pushed to it, (iii) a
// script runs one `kubectl set env deployment/<name>` per Deployment, (iv) one `kubectl set env
// deployment -l`, (v) a plain client sends kubectl's PATCH for every Deployment from 16 threads
// (the physical-limit reference, plain_client.h). All run on the same kubesim, Prometheus and
// operator, each in a fresh namespace.
//
// Start conditions: the alert's activeAt (Prometheus' rule evaluation; the rule has `for: 0s`) and
// the moment this program first saw it firing (polling /api/v1/alerts every 10 ms); (iii)-(v) act
// at that moment. End condition: the watch event in which the last Deployment's template carries
// the disabled value (FlagWatch). For (i) and (ii) the operator's "rollback write trace" log line
// (write_trace.h) splits the time at its verdict.
// Not included: a human's reaction time (paging, reading, typing) in (iii) and (iv).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/common/alert_watch.h"
#include "bench/common/api_session.h"
#include "bench/common/flag_watch.h"
#include "bench/common/kubectl.h"
#include "bench/detection_to_flag_off/write_trace.h"
#include "operator/base/clock.h"
#include "tests/support/alertmanager_process.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"
#include "tests/support/prometheus_process.h"

namespace tro::bench {

enum class Method { Operator, OperatorPush, KubectlLoop, KubectlSelector, PlainClient };
// "operator", "operator-push", "kubectl-loop", "kubectl-selector", "plain-client".
const char* toString(Method method);
std::optional<Method> parseMethod(const std::string& name);
inline bool isOperator(Method m) { return m == Method::Operator || m == Method::OperatorPush; }

struct BenchOptions {
  std::vector<int> sizes{1, 10, 100};
  std::vector<Method> methods{Method::Operator, Method::OperatorPush, Method::KubectlLoop,
                              Method::KubectlSelector, Method::PlainClient};
  std::string kubeApiQps = "500";  // the operator's --kube-api-qps / --kube-api-burst
  std::string kubeApiBurst = "500";
  std::string podReadyDelay = "100ms";  // kubesim --pod-ready-delay
  bool warmPlainClient = true;          // its connections opened before the alert
  int repetitions = 1;
};

struct CaseResult {
  Method method = Method::Operator;
  int deployments = 0;
  int repetition = 0;
  std::string error;          // empty: the case completed and the figures are valid
  double fromActiveAt = 0;    // s, alert activeAt -> last flag off
  double fromFiringSeen = 0;  // s, this program first saw the alert firing -> last flag off
  double firstToLastOff = 0;  // s, first flag off -> last flag off
  int firingAlerts = 0;       // matching alerts firing when first seen
  std::optional<double> fromDecision;    // operator: status.rollback.at (whole s) -> last off
  std::optional<double> operatorMetric;  // operator: its rollback_latency_seconds observation
  // kubectl: first command start -> last exit; plain client: start -> last response.
  std::optional<double> commandSeconds;
  std::optional<double> commandToLastOff;  // kubectl, plain client: first command start -> last off
  // Operator methods, from its "rollback write trace" log line; empty when it logged none.
  std::optional<WriteTrace> writeTrace;
  std::optional<double> activeAtToVerdict;  // s, alert activeAt -> the trace's verdict
  std::optional<double> verdictToLastOff;   // s, the trace's verdict -> last flag off (FlagWatch)
  // Operator methods: its own rest_client_requests_total from just before the fault to after the
  // rollback, "PATCH 200" -> count (every request it sent in that span, not only the rollback's).
  std::map<std::string, double> operatorRequests;
  bool ok() const { return error.empty(); }
};

class RollbackBench {
 public:
  // Starts kubesim, applies the CRD, starts Prometheus with the HighErrorRate rule and the
  // operator (JSON logs); when OperatorPush is among the methods, also Alertmanager between
  // Prometheus and the operator's alert receiver. Error: nullptr with the reason in `error`.
  static std::unique_ptr<RollbackBench> start(const BenchOptions& options, std::string& error);
  RollbackBench() = default;  // use start()

  // One case in namespace <method>-<deployments>-<repetition>; afterwards its rollout is deleted
  // and its Deployments are scaled to zero.
  CaseResult run(Method method, int deployments, int repetition);
  // Flags and versions the figures depend on, for the report.
  std::vector<std::pair<std::string, std::string>> settings() const;

 private:
  bool pushSelected() const;
  // Alertmanager routing push-* alerts to the operator's receiver (port and token chosen here).
  bool startAlertmanager(std::string& error);
  std::vector<std::string> operatorFlags() const;

  CaseResult runCase(Method method, const std::string& ns, int n);
  CaseResult runOperator(Method method, const std::string& ns, int n);
  CaseResult runKubectl(Method method, const std::string& ns, int n);
  CaseResult runPlainClient(const std::string& ns, int n);
  // Applies the case's rollout and waits until it has enabled all `n` and holds in its pause.
  bool startRollout(Method method, const std::string& ns, int n, std::string& error);
  bool createSet(const std::string& ns, int n, const std::string& flagValue, std::string& error);
  // FlagWatch on `ns` for the disabled value; nullptr with result.error set on failure.
  std::unique_ptr<FlagWatch> watchFlags(const std::string& ns, CaseResult& result);
  // Injects the fault and waits for HighErrorRate to fire in `ns`.
  std::optional<FiringAlert> fireAlert(const std::string& ns, CaseResult& result);
  bool injectFault(const std::string& ns, std::string& error);
  // Waits for HighErrorRate to fire in `ns`; records it in `result` (error when it never does).
  std::optional<FiringAlert> waitAlert(const std::string& ns, CaseResult& result);
  // Waits for the last flag off and fills the figures measured from `alert`; returns the moment
  // of the last flag off, nullopt (with result.error) when not all came.
  std::optional<base::TimePoint> finish(FlagWatch& watch, int n, const FiringAlert& alert,
                                        CaseResult& result);
  // status.rollback.at of the case's rollout once it is RolledBack; nullopt after 30 s.
  std::optional<base::TimePoint> rollbackDecision(const std::string& ns);
  // The operator's write trace for the case's rollout, waited for a few seconds; fills the
  // verdict figures (left empty, with a warning, when the operator logged none).
  void recordTrace(const std::string& ns, const FiringAlert& alert, base::TimePoint lastOff,
                   CaseResult& result);
  // telemetry_rollout_rollback_latency_seconds {sum, count} from the operator's /metrics.
  std::optional<std::pair<double, double>> rollbackMetric() const;
  // The sum added since `before`, once the count has grown (waited for up to 10 s).
  // The operator's rest_client_requests_total samples, "METHOD CODE" -> value.
  std::map<std::string, double> operatorRequestCounts() const;
  std::optional<double> rollbackMetricSince(
      const std::optional<std::pair<double, double>>& before) const;
  // Whether `ns` holds no object of `type` within the cleanup timeout (`why` says otherwise).
  bool gone(const kube::ResourceType& type, const std::string& ns, std::string& why);
  void cleanup(const std::string& ns, int n);

  BenchOptions options_;
  base::SystemClock clock_;
  std::unique_ptr<testing::Kubesim> kubesim_;
  std::uint16_t receiverPort_ = 0;                       // the operator's alert receiver; 0: off
  std::string receiverTokenFile_;                        // in kubesim's directory
  std::unique_ptr<testing::Alertmanager> alertmanager_;  // before Prometheus: stopped after it
  std::unique_ptr<testing::Prometheus> prometheus_;
  std::unique_ptr<testing::OperatorProcess> operator_;
  std::unique_ptr<ApiSession> api_;
  std::optional<Kubectl> kubectl_;
};

}  // namespace tro::bench
