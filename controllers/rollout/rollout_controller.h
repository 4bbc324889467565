#pragma once
// RolloutController: the TelemetryRollout controller with the informers it reads, wired. Informer
// handlers enqueue keys (enqueue.h), the workers reconcile them (reconciler.h):
//  - one TelemetryRollout informer per watched namespace ("" = all);
//  - when every namespace is watched, a ClusterTelemetryRollout informer and a Namespace informer
//    (namespaceSelector reads the Namespaces' labels): a cluster rollout counts among the
//    rollouts of each namespace it reaches (rollout_namespaces.h), for the workload watches and
//    for the workload events that queue it; a Namespace's change queues every cluster rollout;
//  - Deployment informers (an InformerSet) per namespace that holds a rollout, started by the
//    rollout handler before the rollout is queued and released with the namespace's last rollout;
//    or, with watchAllDeployments, one per watched namespace from the start;
//  - StatefulSet and DaemonSet informers only in the namespaces where some rollout targets the
//    kind or still lists targets of it (watchedKinds, workload_kind.h), released when none does;
//  - a failed Deployment sends its rollouts to the urgent lane (laneForDeploymentEvent);
//  - every completed list queues the rollouts it concerns, so a reconcile that found its caches
//    unlisted (and waited) runs again then;
//  - the shared alert poll and pushed alerts ask for analysis ahead of the interval, through the
//    urgent lane.
// start() once; stop() stops the alert poll and the informers (no new keys), then drains the
// workers (each part also stops itself when destroyed).

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/analysis/prometheus_http.h"
#include "controllers/analysis/shared_alerts.h"
#include "controllers/notify/webhook_notifier.h"
#include "controllers/rollout/alert_poller.h"
#include "controllers/rollout/analysis_requests.h"
#include "controllers/rollout/outbound.h"
#include "controllers/rollout/reconciler.h"
#include "controllers/rollout/rollout_metrics.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/informer_set.h"
#include "operator/runtime/metrics_standard.h"

namespace tro::controllers {

struct RolloutControllerOptions {
  std::vector<std::string> namespaces;  // watched; empty: all
  bool watchAllDeployments = false;     // else only the namespaces that hold rollouts
  int workers = 4;
  base::Duration alertPollPeriod{0};  // the shared alert poll (alert_poller.h); zero: none
  std::optional<notify::WebhookTarget> defaultWebhook;  // for rollouts without their own
  OutboundRules outbound;
  analysis::PrometheusProviders providers;
  int maxUrgentInFlight = 64;  // the rollback lane's ceiling (ExecutorOptions)
  // ClusterTelemetryRollouts: served when every namespace is watched (namespaces empty); their
  // Prometheus credential Secrets are read from clusterResourceNamespace (the operator's own).
  bool clusterRollouts = true;
  std::string clusterResourceNamespace = "default";
};

// The answer to an Alertmanager notification (HTTP status code and text body).
struct AlertPushAnswer {
  int code = 200;
  std::string message;
};

class RolloutController {
 public:
  // Reads and writes go through `api`, rollback writes through `urgentApi` (no client-side QPS
  // limit; executor.h); `urgentInFlightLimit` reads that lane's adaptive bound (empty: the
  // options' ceiling). Everything referenced must outlive the controller.
  RolloutController(RolloutControllerOptions options, kube::ApiClient& api,
                    kube::ApiClient& urgentApi, std::function<int()> urgentInFlightLimit,
                    notify::WebhookSenderPtr webhookSender, const base::Clock& clock,
                    const base::Logger& log, runtime::Registry& registry,
                    runtime::StandardMetrics& metrics);
  RolloutController(const RolloutController&) = delete;
  RolloutController& operator=(const RolloutController&) = delete;

  void start();
  void stop();

  // Every informer listed: the rollouts', and the workloads' of every namespace that holds a
  // rollout, for the kinds its rollouts watch (the rollout handlers start those watches just
  // after the rollouts' own list is in, so "every watched namespace listed" alone would be true
  // for a moment before they exist).
  bool synced() const;
  size_t informers() const;
  // Whether some rollout could roll back now: it is Progressing or Paused.
  bool rollbackPossible() const;
  // An Alertmanager notification: the rollouts whose alert gates select one of its firing
  // alerts are analysed at once, through the urgent lane. Never waits for I/O.
  AlertPushAnswer onAlertPush(std::string_view body, const base::Logger& log);

 private:
  void wireHandlers();
  void wireRolloutHandlers();    // each stored version typed, its watches synced, its key queued
  void wireNamespaceHandlers();  // a Namespace's change queues every cluster rollout
  void wireWorkloadHandlers();   // a workload's change queues the rollouts it concerns
  RolloutReconcilerDeps dependencies(kube::ApiClient& urgentApi,
                                     std::function<int()> urgentInFlightLimit);
  // The rollouts the informers hold, each parsed once per version (typed_).
  std::vector<TypedRolloutPtr> allRollouts() const;
  std::vector<TypedRolloutPtr> clusterRollouts() const;
  // The TelemetryRollouts of `ns` and the ClusterTelemetryRollouts that reach it.
  std::vector<TypedRolloutPtr> rolloutsIn(const std::string& ns) const;
  // The namespaces a rollout reaches; nullopt while the Namespaces are not listed.
  std::optional<RolloutNamespaces> namespacesOf(const TypedRollout& rollout) const;
  // Every namespace whose workloads some rollout reads.
  std::set<std::string> namespacesRead() const;
  // Where the Prometheus credential Secrets of a rollout of namespace `rolloutNs` are read.
  std::string secretsNamespace(const std::string& rolloutNs) const;
  bool rolloutsSynced() const;  // the TelemetryRollouts'
  // The ClusterTelemetryRollouts' and the Namespaces' (readiness); true when not served.
  bool clusterRolloutsSynced() const;
  template <typename Self>  // RolloutController, const or not
  static auto& informersOf(Self& self, WorkloadKind kind) {
    switch (kind) {
      case WorkloadKind::StatefulSet:
        return self.statefulSets_;
      case WorkloadKind::DaemonSet:
        return self.daemonSets_;
      case WorkloadKind::Deployment:
        break;
    }
    return self.deployments_;
  }
  // The three workload InformerSets (Deployments, StatefulSets, DaemonSets).
  std::array<runtime::InformerSet*, 3> workloadSets() {
    return {&deployments_, &statefulSets_, &daemonSets_};
  }
  std::array<const runtime::InformerSet*, 3> workloadSets() const {
    return {&deployments_, &statefulSets_, &daemonSets_};
  }
  runtime::InformerSet& workloadInformers(WorkloadKind kind);
  const runtime::InformerSet& workloadInformers(WorkloadKind kind) const;
  // The kinds the rollouts of `ns` watch (Deployment first).
  std::vector<WorkloadKind> kindsWatchedIn(const std::string& ns) const;
  // Starts the workload watches the rollouts of `ns` need and stops the ones they no longer do.
  void syncWorkloadWatches(const std::string& ns);
  // Whether `ns`'s workloads of every kind its rollouts watch are listed.
  bool workloadsSynced(const std::string& ns) const;
  // Analysis ahead of the interval (a pushed or polled alert), through the urgent lane.
  void analyseNow(const std::vector<std::string>& keys);

  const RolloutControllerOptions options_;
  // Shared with the reconciler (its dependencies): one parse per rollout version for both.
  const std::shared_ptr<TypedRollouts> typed_ = std::make_shared<TypedRollouts>();
  std::vector<std::unique_ptr<runtime::Informer>> rolloutInformers_;
  std::unique_ptr<runtime::Informer> clusterRolloutInformer_;  // null: cluster rollouts not served
  std::unique_ptr<runtime::Informer> namespaceInformer_;       // with it
  std::mutex watchesMu_;                                       // serializes syncWorkloadWatches
  runtime::InformerSet deployments_;
  runtime::InformerSet statefulSets_;
  runtime::InformerSet daemonSets_;
  RolloutMetrics rolloutMetrics_;
  AnalysisRequests analysisRequests_;
  analysis::PrometheusConnector prometheus_;
  analysis::SharedAlerts sharedAlerts_;
  // Outlives the reconciler that feeds it; pending notifications are dropped on shutdown.
  notify::WebhookNotifier notifier_;
  RolloutReconciler reconciler_;
  runtime::Controller controller_;
  std::unique_ptr<AlertPoller> alertPoller_;  // null: no alert poll
};

}  // namespace tro::controllers
