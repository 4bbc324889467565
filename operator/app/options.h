#pragma once
// The operator's command-line flags, named like other operators' (controller-runtime's
// conventions): parsed purely from argv into a value, so tests assert on it and --help and the
// reference docs are generated from one table.

#include <chrono>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::app {

struct Options {
  std::string kubeconfig;               // empty: $KUBECONFIG, in-cluster, then ~/.kube/config
  std::string context;                  // kubeconfig context; empty: current-context
  std::vector<std::string> namespaces;  // watched namespaces; empty: all
  // Deployments are watched only in namespaces that hold a TelemetryRollout; true: in every
  // watched namespace (one watch instead of one per namespace with rollouts).
  bool watchAllDeployments = false;
  // ClusterTelemetryRollouts are served when every namespace is watched; false: not even then
  // (a cluster without their CRD, or one that wants none).
  bool clusterRollouts = true;
  std::string clusterResourceNamespace;  // their Secrets; empty: POD_NAMESPACE or "default"
  bool leaderElect = false;
  std::string leaderElectionNamespace;  // empty: the pod's namespace (POD_NAMESPACE) or "default"
  std::string leaderElectionId = "telemetry-rollout-operator";
  std::chrono::nanoseconds leaseDuration = std::chrono::seconds(15);
  std::chrono::nanoseconds renewDeadline = std::chrono::seconds(10);
  std::chrono::nanoseconds retryPeriod = std::chrono::seconds(2);
  std::string metricsBindAddress = ":8080";      // "0" disables
  std::string healthProbeBindAddress = ":8081";  // "0" disables
  std::string logLevel = "info";                 // debug | info | warn | error
  std::string logFormat = "json";                // json | text
  double kubeApiQps = 20;
  int kubeApiBurst = 30;
  int workers = 4;
  // Default webhook for rollouts without spec.notifications.webhook; empty: none. Checked here
  // for its scheme only; run() applies notify::webhookUrlProblem() (tro_app does not link the
  // controllers).
  std::string notificationWebhookUrl;
  // Where rollouts may point the operator (docs/security.md): host patterns ("host",
  // "host:port", "*.domain"); empty: any host but loopback, link-local and unspecified ones.
  std::vector<std::string> allowedPrometheusHosts;
  std::vector<std::string> allowedWebhookHosts;
  // YAML file of admin-defined Prometheus providers (controllers/analysis/prometheus_http.h).
  std::string prometheusProviders;
  // Alertmanager's webhook receiver (docs/guides/analysis.md, "Pushed alerts"): "0" disables;
  // the token file holds the bearer token Alertmanager must send.
  std::string alertReceiverBindAddress = "0";
  std::string alertReceiverTokenFile;
  // The shared /api/v1/alerts poll per Prometheus (controllers/rollout/alert_poller.h); zero
  // disables it (each analysis then asks for alerts itself, at its interval).
  std::chrono::nanoseconds alertPollPeriod = std::chrono::seconds(1);
  bool help = false;
  bool version = false;
};

struct OptionsError {
  std::string message;
};

// Accepts "--flag=value" and "--flag value"; boolean flags also alone or "=true|false".
base::Result<Options, OptionsError> parseOptions(const std::vector<std::string>& args);

// The --help text: one line per flag with its default.
std::string usage();

}  // namespace tro::app
