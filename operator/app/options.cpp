#include "operator/app/options.h"

#include <charconv>
#include <functional>
#include <optional>
#include <sstream>

#include "operator/base/duration.h"

namespace tro::app {
namespace {

using Setter = std::function<std::optional<std::string>(Options&, const std::string&)>;

struct Flag {
  std::string name;
  std::string valueName;  // empty: boolean flag
  std::string help;
  Setter set;
};

std::optional<std::string> setString(std::string& field, const std::string& v) {
  field = v;
  return std::nullopt;
}

std::optional<std::string> setOneOf(std::string& field, const std::string& v,
                                    std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) {
      field = v;
      return std::nullopt;
    }
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return "must be one of " + list;
}

std::optional<std::string> setBool(bool& field, const std::string& v) {
  if (v == "true" || v.empty())
    field = true;
  else if (v == "false")
    field = false;
  else
    return "must be true or false";
  return std::nullopt;
}

std::optional<std::string> setDuration(std::chrono::nanoseconds& field, const std::string& v) {
  auto d = base::parseDuration(v);
  if (!d.ok()) return d.error().message;
  if (d->count() <= 0) return "must be positive";
  field = *d;
  return std::nullopt;
}

// The alert poll period: 0 (off), or at least 100ms so that no flag turns it into a flood.
std::optional<std::string> setPollPeriod(std::chrono::nanoseconds& field, const std::string& v) {
  auto d = base::parseDuration(v);
  if (!d.ok()) return d.error().message;
  if (d->count() != 0 && *d < std::chrono::milliseconds(100)) return "must be 0 or at least 100ms";
  field = *d;
  return std::nullopt;
}

std::optional<std::string> setPositiveInt(int& field, const std::string& v) {
  int parsed = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
  if (ec != std::errc() || end != v.data() + v.size() || parsed <= 0) {
    return "must be a positive integer";
  }
  field = parsed;
  return std::nullopt;
}

// "a,b" or repeated flags; empty items are refused.
std::optional<std::string> addList(std::vector<std::string>& field, const std::string& v) {
  size_t start = 0;
  while (start <= v.size()) {
    const size_t comma = v.find(',', start);
    const std::string item = v.substr(start, comma == std::string::npos ? comma : comma - start);
    if (item.empty()) return "must be a comma-separated list without empty items";
    field.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return std::nullopt;
}

std::optional<std::string> setPositiveDouble(double& field, const std::string& v) {
  std::istringstream in(v);
  double parsed = 0;
  if (!(in >> parsed) || !in.eof() || parsed <= 0) return "must be a positive number";
  field = parsed;
  return std::nullopt;
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"kubeconfig", "PATH",
       "kubeconfig file; default $KUBECONFIG, then in-cluster config, then ~/.kube/config",
       [](Options& o, const std::string& v) { return setString(o.kubeconfig, v); }},
      {"context", "NAME", "kubeconfig context to use; default the current context",
       [](Options& o, const std::string& v) { return setString(o.context, v); }},
      {"namespace", "NS", "namespace to watch; repeat for several; default all namespaces",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         if (v.empty()) return "must not be empty";
         o.namespaces.push_back(v);
         return std::nullopt;
       }},
      {"watch-all-deployments", "",
       "watch Deployments in every watched namespace, not only in those with rollouts",
       [](Options& o, const std::string& v) { return setBool(o.watchAllDeployments, v); }},
      {"cluster-rollouts", "",
       "serve ClusterTelemetryRollouts (default true; only when every namespace is watched)",
       [](Options& o, const std::string& v) { return setBool(o.clusterRollouts, v); }},
      {"cluster-resource-namespace", "NS",
       "where ClusterTelemetryRollouts' Secrets are read; default $POD_NAMESPACE, else default",
       [](Options& o, const std::string& v) { return setString(o.clusterResourceNamespace, v); }},
      {"leader-elect", "", "elect a leader with a coordination.k8s.io Lease (run 2+ replicas)",
       [](Options& o, const std::string& v) { return setBool(o.leaderElect, v); }},
      {"leader-election-namespace", "NS",
       "namespace of the Lease; default $POD_NAMESPACE, else default",
       [](Options& o, const std::string& v) { return setString(o.leaderElectionNamespace, v); }},
      {"leader-election-id", "NAME", "name of the Lease (default telemetry-rollout-operator)",
       [](Options& o, const std::string& v) { return setString(o.leaderElectionId, v); }},
      {"leader-elect-lease-duration", "DURATION", "lease duration (default 15s)",
       [](Options& o, const std::string& v) { return setDuration(o.leaseDuration, v); }},
      {"leader-elect-renew-deadline", "DURATION", "renew deadline (default 10s)",
       [](Options& o, const std::string& v) { return setDuration(o.renewDeadline, v); }},
      {"leader-elect-retry-period", "DURATION", "retry period (default 2s)",
       [](Options& o, const std::string& v) { return setDuration(o.retryPeriod, v); }},
      {"metrics-bind-address", "ADDR", "address of /metrics (default :8080; 0 disables)",
       [](Options& o, const std::string& v) { return setString(o.metricsBindAddress, v); }},
      {"health-probe-bind-address", "ADDR",
       "address of /healthz and /readyz (default :8081; 0 disables)",
       [](Options& o, const std::string& v) { return setString(o.healthProbeBindAddress, v); }},
      {"log-level", "LEVEL", "debug, info, warn or error (default info)",
       [](Options& o, const std::string& v) {
         return setOneOf(o.logLevel, v, {"debug", "info", "warn", "error"});
       }},
      {"log-format", "FORMAT", "json or text (default json)",
       [](Options& o, const std::string& v) {
         return setOneOf(o.logFormat, v, {"json", "text"});
       }},
      {"kube-api-qps", "QPS", "client-side rate limit of API requests per second (default 20)",
       [](Options& o, const std::string& v) { return setPositiveDouble(o.kubeApiQps, v); }},
      {"kube-api-burst", "N", "burst above the QPS limit (default 30)",
       [](Options& o, const std::string& v) { return setPositiveInt(o.kubeApiBurst, v); }},
      {"workers", "N", "concurrent reconciles (default 4)",
       [](Options& o, const std::string& v) { return setPositiveInt(o.workers, v); }},
      {"notification-webhook-url", "URL",
       "webhook (http:// or https://) told of rollbacks and terminal phases of rollouts without "
       "spec.notifications.webhook; default none",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           return "must be an http:// or https:// URL";
         }
         o.notificationWebhookUrl = v;
         return std::nullopt;
       }},
      {"allowed-prometheus-hosts", "PATTERNS",
       "hosts a rollout's spec.analysis.prometheus.address may name: host, host:port or "
       "*.domain, comma-separated or repeated; default any host but loopback and link-local",
       [](Options& o, const std::string& v) { return addList(o.allowedPrometheusHosts, v); }},
      {"allowed-webhook-hosts", "PATTERNS",
       "hosts a rollout's spec.notifications.webhook.url may name, as above; the "
       "--notification-webhook-url host is always allowed",
       [](Options& o, const std::string& v) { return addList(o.allowedWebhookHosts, v); }},
      {"prometheus-providers", "PATH",
       "YAML file of named Prometheus providers (address, bearerTokenFile, caFile) that "
       "rollouts select with spec.analysis.prometheus.provider; default none",
       [](Options& o, const std::string& v) { return setString(o.prometheusProviders, v); }},
      {"alert-receiver-bind-address", "ADDR",
       "address of the Alertmanager webhook receiver (POST /alertmanager): a firing alert that a "
       "rollout's alert gate selects analyses it at once; default 0 (off)",
       [](Options& o, const std::string& v) { return setString(o.alertReceiverBindAddress, v); }},
      {"alert-receiver-token-file", "PATH",
       "file holding the bearer token the Alertmanager receiver requires; needed when the "
       "receiver is on",
       [](Options& o, const std::string& v) { return setString(o.alertReceiverTokenFile, v); }},
      {"alert-poll-period", "DURATION",
       "how often one shared /api/v1/alerts request per Prometheus serves every rollout that "
       "gates on its alerts and wakes those whose gate it finds newly breached (default 1s; "
       "0 disables: each analysis asks at its interval)",
       [](Options& o, const std::string& v) { return setPollPeriod(o.alertPollPeriod, v); }},
      {"help", "", "print this help and exit",
       [](Options& o, const std::string& v) { return setBool(o.help, v); }},
      {"version", "", "print the version and exit",
       [](Options& o, const std::string& v) { return setBool(o.version, v); }},
  };
  return table;
}

const Flag* findFlag(const std::string& name) {
  for (const auto& f : flags()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

base::Result<Options, OptionsError> parseOptions(const std::vector<std::string>& args) {
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      return base::fail(OptionsError{"unexpected argument \"" + arg + "\" (see --help)"});
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Flag* flag = findFlag(name);
    if (flag == nullptr) {
      return base::fail(OptionsError{"unknown flag --" + name + " (see --help)"});
    }
    if (!value) {
      if (flag->valueName.empty()) {
        value = "";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return base::fail(OptionsError{"flag --" + name + " needs a value"});
      }
    }
    if (auto problem = flag->set(options, *value)) {
      return base::fail(OptionsError{"invalid --" + name + " \"" + *value + "\": " + *problem});
    }
  }
  // The Lease records its duration in whole seconds (leaseDurationSeconds), and the other
  // replicas count expiry from that: the margin is what remains after rounding down.
  if (options.renewDeadline >=
      std::chrono::duration_cast<std::chrono::seconds>(options.leaseDuration)) {
    return base::fail(OptionsError{
        "--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration in "
        "whole seconds (the Lease records whole seconds)"});
  }
  if (options.retryPeriod >= options.renewDeadline) {
    return base::fail(OptionsError{
        "--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline"});
  }
  return options;
}

std::string usage() {
  std::ostringstream out;
  out << "Usage: telemetry-rollout-operator [flags]\n\n"
         "Rolls OpenTelemetry out to Deployments in waves, guarded by Prometheus, as declared by\n"
         "TelemetryRollout resources (rollout.telemetry.io/v1alpha1).\n\nFlags:\n";
  for (const auto& f : flags()) {
    std::string left = "  --" + f.name + (f.valueName.empty() ? "" : " " + f.valueName);
    out << left;
    out << std::string(left.size() < 40 ? 40 - left.size() : 1, ' ') << f.help << "\n";
  }
  return out.str();
}

}  // namespace tro::app
