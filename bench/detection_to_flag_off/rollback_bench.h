#pragma once
// The rollback benchmark (issue 6): how long after HighErrorRate fires the LAST of N Deployments
// carries FEATURE_OTEL=false, when (i) the operator rolls back, (ii) a script runs one
// `kubectl set env deployment/<name>` per Deployment, (iii) one `kubectl set env deployment -l`.
// All three run on the same kubesim, Prometheus and operator, each in a fresh namespace.
//
// Start conditions: the alert's activeAt (Prometheus' rule evaluation; the rule has `for: 0s`) and
// the moment this program first saw it firing (polling /api/v1/alerts every 10 ms). End condition:
// the watch event in which the last Deployment's template carries the disabled value (FlagWatch).
// Not included: a human's reaction time (paging, reading, typing) in (ii) and (iii).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/common/alert_watch.h"
#include "bench/common/api_session.h"
#include "bench/common/flag_watch.h"
#include "bench/common/kubectl.h"
#include "operator/base/clock.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"
#include "tests/support/prometheus_process.h"

namespace tro::bench {

enum class Method { Operator, KubectlLoop, KubectlSelector };
const char* toString(Method method);

struct BenchOptions {
  std::vector<int> sizes{1, 10, 100};
  std::vector<Method> methods{Method::Operator, Method::KubectlLoop, Method::KubectlSelector};
  std::string kubeApiQps = "500";  // the operator's --kube-api-qps / --kube-api-burst
  std::string kubeApiBurst = "500";
  std::string podReadyDelay = "100ms";  // kubesim --pod-ready-delay
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
  std::optional<double> commandSeconds;  // kubectl: from the first command start to the last exit
  bool ok() const { return error.empty(); }
};

class RollbackBench {
 public:
  // Starts kubesim, applies the CRD, starts Prometheus with the HighErrorRate rule and the
  // operator. Error: nullptr with the reason in `error`.
  static std::unique_ptr<RollbackBench> start(const BenchOptions& options, std::string& error);
  RollbackBench() = default;  // use start()

  // One case in namespace <method>-<deployments>-<repetition>; afterwards its rollout is deleted
  // and its Deployments are scaled to zero.
  CaseResult run(Method method, int deployments, int repetition);
  // Flags and versions the figures depend on, for the report.
  std::vector<std::pair<std::string, std::string>> settings() const;

 private:
  CaseResult runOperator(const std::string& ns, int n);
  CaseResult runKubectl(Method method, const std::string& ns, int n);
  bool createSet(const std::string& ns, int n, const std::string& flagValue, std::string& error);
  bool injectFault(const std::string& ns, std::string& error);
  // Waits for HighErrorRate to fire in `ns`; records it in `result` (error when it never does).
  std::optional<FiringAlert> waitAlert(const std::string& ns, CaseResult& result);
  // Waits for the last flag off and fills the figures measured from `alert`.
  void finish(FlagWatch& watch, int n, const FiringAlert& alert, CaseResult& result);
  // telemetry_rollout_rollback_latency_seconds {sum, count} from the operator's /metrics.
  std::optional<std::pair<double, double>> rollbackMetric() const;
  // Whether `ns` holds no object of `type` within the cleanup timeout (`why` says otherwise).
  bool gone(const kube::ResourceType& type, const std::string& ns, std::string& why);
  void cleanup(const std::string& ns, int n);

  BenchOptions options_;
  base::SystemClock clock_;
  std::unique_ptr<testing::Kubesim> kubesim_;
  std::unique_ptr<testing::Prometheus> prometheus_;
  std::unique_ptr<testing::OperatorProcess> operator_;
  std::unique_ptr<ApiSession> api_;
  std::optional<Kubectl> kubectl_;
};

}  // namespace tro::bench
