#pragma once
// The TelemetryRollout spec as value types: what rollout/spec.h's parseSpec() produces and every
// other part of the controller reads (analysis/ and notify/ included, which is why they sit here,
// below all of them). Types and bounds only; no behaviour.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "operator/kube/label_selector.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

using Json = nlohmann::json;
using std::chrono::nanoseconds;

// spec.flag; name is empty when the spec has no flag (spec.instrumentation alone).
struct FlagSpec {
  std::string name;
  std::string enabledValue = "true";
  std::string disabledValue = "false";
  bool operator==(const FlagSpec&) const = default;
};

struct EnvVar {
  std::string name;
  std::string value;
  bool operator==(const EnvVar&) const = default;
};

struct CollectorSpec {
  std::string name = "otel-collector";
  std::string image;
  std::string configMap;
  std::string configKey = "otel-collector-config.yaml";
  Json resources = Json::object();  // corev1.ResourceRequirements, passed through
  bool operator==(const CollectorSpec&) const = default;
};

struct Step {
  enum class Kind { SetWeight, Pause, SetEnv };
  Kind kind = Kind::Pause;
  int weight = 0;                    // SetWeight: 1..100
  std::optional<nanoseconds> pause;  // Pause: nullopt = hold until promoted
  std::vector<EnvVar> setEnv;        // SetEnv: overrides of variables declared in spec.env
  bool operator==(const Step&) const = default;
};

enum class NoDataPolicy { Pass, Inconclusive, Fail };
enum class InconclusivePolicy { Pause, Rollback, Continue };
enum class DeletePolicy { Restore, KeepIfSucceeded };

struct AlertCheck {
  std::string name;
  std::map<std::string, std::string> matchLabels;
  std::optional<nanoseconds> firingFor;
  bool operator==(const AlertCheck&) const = default;
};

struct QueryCheck {
  std::string name;
  std::string query;
  std::optional<double> min;
  std::optional<double> max;
  NoDataPolicy onNoData = NoDataPolicy::Inconclusive;
  bool operator==(const QueryCheck&) const = default;
};

// Credentials for Prometheus come from a Secret in the rollout's own namespace, read through
// the API (never a file of the operator's), and only from a Secret that opts in with the
// annotation rollout.telemetry.io/analysis-credentials: "true" (docs/security.md).
enum class AuthType { Bearer, Basic };
struct SecretKeySelector {
  std::string name;
  std::string key;
  bool operator==(const SecretKeySelector&) const = default;
};
struct PrometheusAuthorization {
  AuthType type = AuthType::Bearer;  // Bearer: key "token"; Basic: "username" and "password"
  std::string secretName;
  bool operator==(const PrometheusAuthorization&) const = default;
};

// Bounds every duration that drives a loop or a deadline, stated in the CRD schema too.
inline constexpr nanoseconds kMaxPause = std::chrono::hours(8760);
inline constexpr nanoseconds kMinInterval = std::chrono::seconds(1);
inline constexpr nanoseconds kMaxInterval = std::chrono::hours(24);
inline constexpr nanoseconds kMaxPrometheusTimeout = std::chrono::minutes(5);
// The collector's volume is "<name>-config", and a volume name is a DNS-1123 label (<= 63).
inline constexpr size_t kMaxCollectorNameLength = 63 - 7;

struct AnalysisSpec {
  std::string prometheusAddress;  // set unless provider is
  std::string provider;           // a Prometheus the admin named (--prometheus-providers)
  std::optional<PrometheusAuthorization> authorization;
  std::optional<SecretKeySelector> caSecret;  // spec.analysis.prometheus.tls.caSecretRef
  nanoseconds timeout = std::chrono::seconds(10);
  nanoseconds interval = std::chrono::minutes(1);
  std::vector<AlertCheck> alerts;
  std::vector<QueryCheck> queries;
  int failureLimit = 0;
  InconclusivePolicy onInconclusive = InconclusivePolicy::Pause;
  bool operator==(const AnalysisSpec&) const = default;
};

// spec.notifications.webhook: where the rollout's outcome is POSTed (controllers/notify/).
struct WebhookSpec {
  std::string url;                                // http:// or https:// (notify::webhookUrlProblem)
  nanoseconds timeout = std::chrono::seconds(5);  // per attempt
  bool operator==(const WebhookSpec&) const = default;
};

// spec.instrumentation: pod-template annotations of the OpenTelemetry Operator, set in waves and
// given back on rollback (otel_annotations.h says which names and values are valid).
struct InstrumentationSpec {
  std::map<std::string, std::string> annotations;
  bool operator==(const InstrumentationSpec&) const = default;
};

// The kinds of workload a rollout can target (spec.targetKinds; rollout/workload_kind.h).
enum class WorkloadKind { Deployment, StatefulSet, DaemonSet };

// Which kind of rollout a spec belongs to: a TelemetryRollout reaches workloads of its own
// namespace only; a ClusterTelemetryRollout those of the namespaces its namespaceSelector selects.
enum class RolloutScope { Namespaced, Cluster };

struct RolloutSpec {
  kube::LabelSelector selector;
  // ClusterTelemetryRollout only (required there, refused on a TelemetryRollout).
  std::optional<kube::LabelSelector> namespaceSelector;
  std::vector<WorkloadKind> targetKinds{WorkloadKind::Deployment};  // distinct, in spec order
  std::vector<std::string> containers;  // empty: every container but the sidecar
  FlagSpec flag;                        // required unless instrumentation is set
  std::vector<EnvVar> env;
  std::optional<CollectorSpec> collector;
  std::optional<InstrumentationSpec> instrumentation;
  std::vector<Step> steps;
  // spec.strategy.progressDeadlineSeconds: how long a StatefulSet or DaemonSet of a wave may take
  // to roll out (a Deployment has its own spec.progressDeadlineSeconds). 600, as a Deployment's,
  // when absent (the controller's default: the schema sets none, so spec hashes stay).
  std::chrono::seconds progressDeadline{600};
  std::optional<AnalysisSpec> analysis;
  bool removeCollectorOnRollback = false;
  bool paused = false;
  DeletePolicy onDelete = DeletePolicy::Restore;
  std::optional<WebhookSpec> webhook;  // spec.notifications.webhook
};

struct SpecProblem {
  std::string field;    // "spec.strategy.steps[2].setWeight"
  std::string message;  // "must not decrease (previous weight 50)"
  bool operator==(const SpecProblem&) const = default;
};

}  // namespace tro::controllers
