#include "controllers/rollout/rollout_controller.h"

#include <algorithm>
#include <set>

#include "controllers/analysis/alertmanager_webhook.h"
#include "controllers/rollout/alert_push.h"
#include "controllers/rollout/alert_sources.h"
#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/enqueue.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers {
namespace {

// Informers for every watched namespace ("" = all) of one resource type.
std::vector<std::unique_ptr<runtime::Informer>> informersFor(
    runtime::Counter& restarts, const kube::ResourceType& type,
    const std::vector<std::string>& watched, kube::ApiClient& api, const base::Clock& clock,
    const runtime::StoreOptions& storeOptions) {
  std::vector<std::string> namespaces = watched;
  if (namespaces.empty()) namespaces.push_back("");
  std::vector<std::unique_ptr<runtime::Informer>> out;
  for (const auto& ns : namespaces) {
    runtime::WatcherConfig config;
    config.type = type;
    config.ns = ns;
    config.onRestart = [&restarts] { restarts.inc(); };
    out.push_back(std::make_unique<runtime::Informer>(api, clock, config, storeOptions));
  }
  return out;
}

// A workload watch's settings; InformerSet sets the namespace of each.
runtime::WatcherConfig workloadWatch(WorkloadKind kind, runtime::StandardMetrics& metrics) {
  runtime::Counter& restarts = metrics.watchRestarts.labels({workloadResource(kind).resource});
  runtime::WatcherConfig config;
  config.type = workloadResource(kind);
  // Pages of 100, not 500: the namespaces of rollouts created together are listed at once, and
  // their page bodies were the peak of the heap at 5,000 Deployments (benchmarks.md section 4).
  config.pageSize = 100;
  config.onRestart = [&restarts] { restarts.inc(); };
  return config;
}

std::string namespaceOf(const kube::Json& object) {
  return kube::stringAt(object, "metadata", "namespace");
}

void enqueueAll(runtime::WorkQueue& queue, const std::vector<TypedRolloutPtr>& rollouts) {
  for (const auto& r : rollouts) queue.add(r->key);
}

// The cluster-wide informer of a cluster-scoped type; null when cluster rollouts are not served.
std::unique_ptr<runtime::Informer> clusterInformer(const RolloutControllerOptions& options,
                                                   runtime::StandardMetrics& metrics,
                                                   const kube::ResourceType& type,
                                                   kube::ApiClient& api, const base::Clock& clock) {
  if (!options.clusterRollouts || !options.namespaces.empty()) return nullptr;
  auto informers = informersFor(metrics.watchRestarts.labels({type.resource}), type, {}, api, clock,
                                runtime::treesWith(runtime::stripManagedFields));
  return std::move(informers.front());
}

}  // namespace

RolloutController::RolloutController(RolloutControllerOptions options, kube::ApiClient& api,
                                     kube::ApiClient& urgentApi,
                                     std::function<int()> urgentInFlightLimit,
                                     notify::WebhookSenderPtr webhookSender,
                                     const base::Clock& clock, const base::Logger& log,
                                     runtime::Registry& registry, runtime::StandardMetrics& metrics)
    : options_(std::move(options)),
      rolloutInformers_(informersFor(
          metrics.watchRestarts.labels({kube::resources::telemetryRollouts().resource}),
          kube::resources::telemetryRollouts(), options_.namespaces, api, clock,
          runtime::treesWith(runtime::stripManagedFields))),
      clusterRolloutInformer_(clusterInformer(
          options_, metrics, kube::resources::clusterTelemetryRollouts(), api, clock)),
      namespaceInformer_(
          clusterInformer(options_, metrics, kube::resources::namespaces(), api, clock)),
      deployments_(api, clock, workloadWatch(WorkloadKind::Deployment, metrics),
                   workloadStoreOptions(WorkloadKind::Deployment)),
      statefulSets_(api, clock, workloadWatch(WorkloadKind::StatefulSet, metrics),
                    workloadStoreOptions(WorkloadKind::StatefulSet)),
      daemonSets_(api, clock, workloadWatch(WorkloadKind::DaemonSet, metrics),
                  workloadStoreOptions(WorkloadKind::DaemonSet)),
      rolloutMetrics_(registry),
      prometheus_(api, options_.outbound.prometheus, options_.providers),
      sharedAlerts_(clock),
      notifier_(std::move(webhookSender), clock, registry, log.withName("notify")),
      reconciler_(api, clock, rolloutMetrics_,
                  dependencies(urgentApi, std::move(urgentInFlightLimit)),
                  log.withName("telemetryrollout")),
      controller_(runtime::ControllerOptions{"telemetryrollout", options_.workers, {}}, reconciler_,
                  clock, log.withName("telemetryrollout"), metrics) {
  if (options_.alertPollPeriod.count() > 0) {
    AlertPollerOptions pollOptions;
    pollOptions.period = options_.alertPollPeriod;
    alertPoller_ = std::make_unique<AlertPoller>(
        pollOptions, [this] { return allRollouts(); },
        [this](const std::string& ns, const AnalysisSpec& spec) {
          return prometheus_.connect(secretsNamespace(ns), spec);
        },
        sharedAlerts_, [this](const std::vector<std::string>& keys) { analyseNow(keys); }, clock,
        registry, log.withName("alert-poll"));
  }
  wireHandlers();
}

void RolloutController::wireHandlers() {
  wireRolloutHandlers();
  wireNamespaceHandlers();
  wireWorkloadHandlers();
}

void RolloutController::wireRolloutHandlers() {
  runtime::WorkQueue& queue = controller_.queue();
  // A rollout's namespace has its Deployments watched before the rollout is queued; the last
  // rollout of a namespace to go takes the watch with it.
  // A cluster rollout reaches many namespaces, before and after a change.
  auto syncWatchesOf = [this](const TypedRollout& r) {
    if (auto reach = namespacesOf(r)) {
      for (const auto& ns : reach->read) syncWorkloadWatches(ns);
    }
  };
  // Each stored version is parsed here, once (typed_), before anything else reads it.
  auto enqueueRollout = [this, &queue, syncWatchesOf](const runtime::ObjectPtr& old,
                                                      const runtime::ObjectPtr& o) {
    if (!o) return;
    // The old version is the memo's entry still: typed before the new one replaces it.
    const TypedRolloutPtr before = old ? typed_->of(old) : nullptr;
    const TypedRolloutPtr typed = typed_->of(o);
    if (before && before->clusterScoped()) syncWatchesOf(*before);  // what it reached
    syncWatchesOf(*typed);
    reconciler_.cacheHolds(*o);
    queue.add(typed->key);
  };
  auto rolloutGone = [this, &queue, syncWatchesOf](const runtime::ObjectPtr& o) {
    if (!o) return;
    const TypedRolloutPtr typed = typed_->of(o);
    typed_->forget(typed->key);  // the watches count from the informer's store, which lost it
    syncWatchesOf(*typed);
    queue.add(typed->key);
  };
  std::vector<runtime::Informer*> rolloutInformers;
  for (auto& i : rolloutInformers_) rolloutInformers.push_back(i.get());
  if (clusterRolloutInformer_) rolloutInformers.push_back(clusterRolloutInformer_.get());
  for (runtime::Informer* i : rolloutInformers) {
    i->setHandlers({[enqueueRollout](const runtime::ObjectPtr& o) { enqueueRollout(nullptr, o); },
                    enqueueRollout, rolloutGone});
    // A reconcile whose caches are not listed yet waits (the reconciler's cachesSynced): each
    // completed list queues the rollouts it concerns again, so nothing polls meanwhile.
    i->setSyncedHandler([this, &queue] { enqueueAll(queue, allRollouts()); });
  }
}

void RolloutController::wireWorkloadHandlers() {
  runtime::WorkQueue& queue = controller_.queue();
  auto enqueueDeployment = [this, &queue](const runtime::ObjectPtr& oldObject,
                                          const runtime::ObjectPtr& newObject) {
    const runtime::ObjectPtr& any = newObject ? newObject : oldObject;
    const bool urgent = laneForDeploymentEvent(newObject.get()) == QueueLane::Urgent;
    for (const auto& key : rolloutKeysForDeployment(oldObject.get(), newObject.get(),
                                                    rolloutsIn(namespaceOf(*any)))) {
      if (urgent) {
        queue.addUrgent(key);
      } else {
        queue.add(key);
      }
    }
  };
  for (runtime::InformerSet* set : workloadSets()) {
    set->setHandlers(
        {[enqueueDeployment](const runtime::ObjectPtr& o) { enqueueDeployment(nullptr, o); },
         enqueueDeployment,
         [enqueueDeployment](const runtime::ObjectPtr& o) { enqueueDeployment(o, nullptr); }});
    set->setSyncedHandler([this, &queue](const std::string& ns) {
      enqueueAll(queue, ns.empty() ? allRollouts() : rolloutsIn(ns));
    });
  }
}

void RolloutController::wireNamespaceHandlers() {
  if (!namespaceInformer_) return;
  runtime::WorkQueue& queue = controller_.queue();
  // A Namespace's labels decide which cluster rollouts reach it.
  auto namespaceChanged = [this, &queue](const runtime::ObjectPtr& o) {
    const std::vector<TypedRolloutPtr> cluster = clusterRollouts();
    if (!o || cluster.empty()) return;  // no cluster rollout: nothing reads Namespaces
    syncWorkloadWatches(kube::stringAt(*o, "metadata", "name"));
    enqueueAll(queue, cluster);
  };
  namespaceInformer_->setHandlers(
      {namespaceChanged,
       [namespaceChanged](const runtime::ObjectPtr&, const runtime::ObjectPtr& n) {
         namespaceChanged(n);
       },
       namespaceChanged});
  namespaceInformer_->setSyncedHandler([this, &queue] {
    for (const auto& r : clusterRollouts()) {
      if (auto reach = namespacesOf(*r)) {
        for (const auto& ns : reach->read) syncWorkloadWatches(ns);
      }
    }
    enqueueAll(queue, clusterRollouts());
  });
}

RolloutReconcilerDeps RolloutController::dependencies(kube::ApiClient& urgentApi,
                                                      std::function<int()> urgentInFlightLimit) {
  RolloutReconcilerDeps deps;
  // Rollback batches run one thread more than the adaptive bound allows in flight, at most the
  // bound's ceiling (ExecutorOptions::urgentBound).
  deps.executor.maxUrgentInFlight = options_.maxUrgentInFlight;
  if (urgentInFlightLimit) {
    deps.urgentInFlightLimit = std::move(urgentInFlightLimit);
    deps.executor.urgentBound = deps.urgentInFlightLimit;
  }
  deps.urgentApi = &urgentApi;
  deps.analysisRequests = &analysisRequests_;
  for (const auto& i : rolloutInformers_) deps.rollouts.push_back(&i->store());
  if (clusterRolloutInformer_) deps.rollouts.push_back(&clusterRolloutInformer_->store());
  deps.namespacesOf = [this](const TypedRollout& rollout) { return namespacesOf(rollout); };
  deps.typed = typed_;
  deps.workloads = [this](const std::string& ns) {
    std::vector<std::shared_ptr<const runtime::Store>> stores;
    for (const runtime::InformerSet* set : workloadSets()) {
      for (auto& s : set->stores(ns)) stores.push_back(std::move(s));
    }
    return stores;
  };
  const base::Duration pollPeriod = options_.alertPollPeriod;
  deps.prometheus = [this, pollPeriod](const std::string& rolloutNs, const AnalysisSpec& spec)
      -> analysis::PromResult<analysis::PrometheusApiPtr> {
    auto client = prometheus_.connect(secretsNamespace(rolloutNs), spec);
    if (!client.ok() || pollPeriod.count() == 0) return client;
    // Alerts from the shared poll's answer (at most one period old); queries as before.
    return analysis::PrometheusApiPtr(std::make_unique<analysis::SharedAlertsApi>(
        std::move(client).value(), sharedAlerts_, alertSourceKey(rolloutNs, spec), pollPeriod));
  };
  deps.outbound = options_.outbound;
  deps.cachesSynced = [this](const std::string& ns) {
    return rolloutsSynced() && workloadsSynced(ns);
  };
  deps.cachesProblem = [this](const std::string& ns) {
    for (WorkloadKind k : kindsWatchedIn(ns)) {
      if (std::string p = workloadInformers(k).listProblem(ns); !p.empty()) return p;
    }
    return std::string();
  };
  deps.notifier = &notifier_;
  deps.defaultWebhook = options_.defaultWebhook;
  return deps;
}

bool RolloutController::clusterRolloutsSynced() const {
  if (!clusterRolloutInformer_) return true;
  if (!namespaceInformer_->hasSynced()) return false;
  if (clusterRolloutInformer_->hasSynced()) return true;
  // A cluster whose API server does not serve ClusterTelemetryRollouts (their CRD not installed
  // yet, say while upgrading) keeps its namespaced rollouts and its readiness; the informer keeps
  // listing, with a warning in its log, and serves them once the CRD is there.
  const std::optional<kube::Error> failure = clusterRolloutInformer_->lastFailure();
  return failure && kube::isNotFound(*failure);
}

bool RolloutController::synced() const {
  if (!rolloutsSynced() || !clusterRolloutsSynced() || !deployments_.synced()) return false;
  const std::set<std::string> namespaces = namespacesRead();
  return std::all_of(namespaces.begin(), namespaces.end(),
                     [this](const std::string& ns) { return workloadsSynced(ns); });
}

std::set<std::string> RolloutController::namespacesRead() const {
  std::set<std::string> namespaces;  // each once: a namespace may hold hundreds of rollouts
  for (const auto& r : allRollouts()) {
    if (!r->clusterScoped()) {
      namespaces.insert(r->identity.namespace_);
    } else if (auto reach = namespacesOf(*r)) {
      namespaces.insert(reach->read.begin(), reach->read.end());
    }
  }
  return namespaces;
}

std::optional<RolloutNamespaces> RolloutController::namespacesOf(
    const TypedRollout& rollout) const {
  if (!rollout.clusterScoped()) return rolloutNamespaces(rollout, {});
  if (!namespaceInformer_ || !namespaceInformer_->hasSynced()) return std::nullopt;
  return rolloutNamespaces(rollout, namespaceInformer_->store().list());
}

std::string RolloutController::secretsNamespace(const std::string& rolloutNs) const {
  return rolloutNs.empty() ? options_.clusterResourceNamespace : rolloutNs;
}

runtime::InformerSet& RolloutController::workloadInformers(WorkloadKind kind) {
  return informersOf(*this, kind);
}

const runtime::InformerSet& RolloutController::workloadInformers(WorkloadKind kind) const {
  return informersOf(*this, kind);
}

std::vector<WorkloadKind> RolloutController::kindsWatchedIn(const std::string& ns) const {
  std::vector<WorkloadKind> kinds;
  for (const auto& r : rolloutsIn(ns)) {
    for (WorkloadKind k : r->watchedKinds) {
      if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    }
  }
  std::sort(kinds.begin(), kinds.end());
  return kinds;
}

void RolloutController::syncWorkloadWatches(const std::string& ns) {
  // Three informer threads call this (TelemetryRollouts, ClusterTelemetryRollouts, Namespaces):
  // the look at the rollouts and the want/release it decides must not interleave with another
  // thread's, or a stale "nothing needed" could release a watch a new rollout just asked for.
  // (release() joins a workload informer, whose handlers never come back here.)
  std::lock_guard lock(watchesMu_);
  const std::vector<WorkloadKind> kinds = kindsWatchedIn(ns);
  for (WorkloadKind k :
       {WorkloadKind::Deployment, WorkloadKind::StatefulSet, WorkloadKind::DaemonSet}) {
    if (k == WorkloadKind::Deployment && options_.watchAllDeployments) continue;
    const bool wanted = std::find(kinds.begin(), kinds.end(), k) != kinds.end();
    if (wanted) {
      workloadInformers(k).want(ns);
    } else {
      workloadInformers(k).release(ns);
    }
  }
}

bool RolloutController::workloadsSynced(const std::string& ns) const {
  const std::vector<WorkloadKind> kinds = kindsWatchedIn(ns);
  if (kinds.empty()) return deployments_.synced(ns);  // no rollout (yet): as before
  return std::all_of(kinds.begin(), kinds.end(),
                     [&](WorkloadKind k) { return workloadInformers(k).synced(ns); });
}

void RolloutController::start() {
  for (const auto& i : rolloutInformers_) i->start();
  if (namespaceInformer_) namespaceInformer_->start();
  if (clusterRolloutInformer_) clusterRolloutInformer_->start();
  if (options_.watchAllDeployments) {
    if (options_.namespaces.empty()) deployments_.want("");
    for (const auto& ns : options_.namespaces) deployments_.want(ns);
  }
  controller_.start();
  if (alertPoller_) alertPoller_->start();
}

void RolloutController::stop() {
  if (alertPoller_) alertPoller_->stop();  // no wake-ups into a stopping controller
  for (const auto& i : rolloutInformers_) i->stop();
  if (clusterRolloutInformer_) clusterRolloutInformer_->stop();
  if (namespaceInformer_) namespaceInformer_->stop();
  for (runtime::InformerSet* set : workloadSets()) set->stopAll();
  controller_.stop();
}

size_t RolloutController::informers() const {
  size_t n = rolloutInformers_.size() + (clusterRolloutInformer_ ? 2 : 0);
  for (const runtime::InformerSet* set : workloadSets()) n += set->size();
  return n;
}

bool RolloutController::rollbackPossible() const {
  const auto held = allRollouts();
  return std::any_of(held.begin(), held.end(),
                     [](const TypedRolloutPtr& r) { return inFlight(*r->object); });
}

AlertPushAnswer RolloutController::onAlertPush(std::string_view body, const base::Logger& log) {
  auto alerts = analysis::parseAlertmanagerWebhook(body);
  if (!alerts.ok()) return {400, "invalid Alertmanager payload: " + alerts.error()};
  const auto keys = rolloutsGatedBy(*alerts, allRollouts());
  // The alerts kept from the last poll may predate this one: the analyses ask again.
  if (!keys.empty()) sharedAlerts_.invalidate();
  analyseNow(keys);
  if (!keys.empty()) {
    log.info("pushed alerts concern rollouts: analysing them now",
             {{"alerts", static_cast<int64_t>(alerts->size())},
              {"rollouts", static_cast<int64_t>(keys.size())}});
  }
  return {200, "ok: " + std::to_string(keys.size()) + " rollout(s) to analyse"};
}

std::vector<TypedRolloutPtr> RolloutController::allRollouts() const {
  std::vector<TypedRolloutPtr> held = clusterRollouts();
  for (const auto& i : rolloutInformers_) {
    for (auto& r : typed_->of(i->store().list())) held.push_back(std::move(r));
  }
  return held;
}

std::vector<TypedRolloutPtr> RolloutController::clusterRollouts() const {
  if (!clusterRolloutInformer_) return {};
  return typed_->of(clusterRolloutInformer_->store().list());
}

std::vector<TypedRolloutPtr> RolloutController::rolloutsIn(const std::string& ns) const {
  std::vector<TypedRolloutPtr> rollouts;
  for (const auto& i : rolloutInformers_) {
    for (auto& r : typed_->of(i->store().listNamespace(ns))) rollouts.push_back(std::move(r));
  }
  std::vector<TypedRolloutPtr> cluster = clusterRollouts();
  if (!cluster.empty()) {
    const runtime::ObjectPtr nsObject = namespaceInformer_->store().get(ns);
    for (auto& r : cluster) {
      if (readsNamespace(*r, ns, nsObject.get())) rollouts.push_back(std::move(r));
    }
  }
  return rollouts;
}

bool RolloutController::rolloutsSynced() const {
  // Cluster rollouts need not be listed for a namespaced one to run: a cluster rollout is only
  // reconciled once its informer holds it, and namespacesOf() waits for the Namespaces.
  return std::all_of(rolloutInformers_.begin(), rolloutInformers_.end(),
                     [](const auto& i) { return i->hasSynced(); });
}

void RolloutController::analyseNow(const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    analysisRequests_.request(key);
    controller_.queue().addUrgent(key);
  }
}

}  // namespace tro::controllers
