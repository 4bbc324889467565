// Over 450 lines: the observe -> decide -> act pass of one rollout and its steps, in one place.
#include "controllers/rollout/reconciler.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "controllers/analysis/analysis_runner.h"
#include "controllers/analysis/criteria.h"
#include "controllers/rollout/analysis_groups.h"
#include "controllers/rollout/annotations.h"
#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/inject_field_managers.h"
#include "controllers/rollout/json_patch_diff.h"
#include "controllers/rollout/notification_document.h"
#include "controllers/rollout/observe.h"
#include "controllers/rollout/plan_config.h"
#include "controllers/rollout/plan_settle.h"
#include "controllers/rollout/planner.h"
#include "controllers/rollout/targets.h"
#include "controllers/rollout/workload_kind.h"

namespace tro::controllers {

namespace {

using kube::Json;

InjectionForm formOf(TargetForm form) {
  switch (form) {
    case TargetForm::Enabled:
      return InjectionForm::Enabled;
    case TargetForm::Disabled:
      return InjectionForm::Disabled;
    case TargetForm::Restored:
      return InjectionForm::Restored;
  }
  return InjectionForm::Restored;
}

// No client (a refused Secret, an unknown provider): one Inconclusive check that says why, so
// status.analysis.checks and the held window's message name the cause.
analysis::Verdict inconclusive(const std::string& message) {
  analysis::Verdict v;
  v.outcome = analysis::Outcome::Inconclusive;
  v.reason = {"prometheus", std::nullopt, "", message};
  v.checks.push_back({analysis::Outcome::Inconclusive, v.reason, {}});
  return v;
}

// A server's answer kept beside the cache, in the cache's form: without managedFields, which
// are a third or more of a rollout and are never read from it (the fleet benchmark's peak held
// one such copy per rollout while the wave's status writes outran the watch).
runtime::ObjectPtr asCached(Json object) {
  return std::make_shared<const Json>(runtime::stripManagedFields(std::move(object)));
}

double seconds(base::Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

RolloutReconciler::RolloutReconciler(kube::ApiClient& api, const base::Clock& clock,
                                     RolloutMetrics& metrics, RolloutReconcilerDeps deps,
                                     base::Logger log)
    : api_(api),
      clock_(clock),
      metrics_(metrics),
      deps_(std::move(deps)),
      log_(std::move(log)),
      executor_(api_, clock_, deps_.executor, deps_.urgentApi) {}

void RolloutReconciler::cacheHolds(const Json& rollout) {
  ownWrites_.cacheHolds(runtime::objectKey(rollout), runtime::resourceVersionOf(rollout));
}

runtime::ObjectPtr RolloutReconciler::findRollout(const std::string& key) const {
  for (const runtime::Store* s : deps_.rollouts) {
    if (auto o = s->get(key)) return o;
  }
  return nullptr;
}

void RolloutReconciler::detectRevertingManagers(
    const std::map<std::string, runtime::ObjectPtr>& deployments, PlanInput& in) const {
  if (!in.spec.spec) return;
  const std::string key = in.rollout.key();
  const int step = in.status ? in.status->currentStep : 0;
  const InjectionConfig config = configAt(in.spec.spec, key, step);
  for (const TargetObservation& t : in.targets) {
    // Only a Deployment the operator already brought to this configuration can drift; the
    // planner sees it as done, so without this check a revert would go unnoticed.
    if (t.claimedBy != key || t.state != TargetObservation::State::Enabled || !t.upToDate ||
        in.injectConflicts.count(t.name) > 0) {
      continue;
    }
    auto cached = deployments.find(t.name);
    if (cached == deployments.end()) continue;
    auto desired = desiredDeployment(*cached->second, config, InjectionForm::Enabled);
    if (!desired.ok() || isNoOpPatch(makeJsonPatch(*cached->second, *desired))) continue;
    // Someone changed the operator's fields. The cache strips managedFields: read them.
    const TargetRef ref = targetRef(t.name);
    auto live = api_.get(workloadResource(ref.kind),
                         ref.namespace_.empty() ? in.rollout.namespace_ : ref.namespace_, ref.name);
    if (!live.ok()) {
      log_.warn("cannot read managedFields",
                {{"deployment", t.name}, {"error", live.error().toString()}});
      continue;
    }
    const auto reverters = revertingManagers(*live, config);
    if (reverters.empty()) continue;
    std::string names;
    for (const auto& r : reverters) names += (names.empty() ? "" : ", ") + r.manager;
    in.injectConflicts[t.name] =
        "field manager " + names + " reverts " + reverters.front().field + "; not fighting it";
  }
}

void RolloutReconciler::traceRollbackWrites(const std::string& key, base::TimePoint verdictAt,
                                            base::MonoTime verdictAtMono,
                                            base::Duration analysisTook,
                                            const std::vector<TargetOutcome>& outcomes) const {
  using std::chrono::microseconds;
  auto micros = [](base::Duration d) {
    return static_cast<int64_t>(std::chrono::duration_cast<microseconds>(d).count());
  };
  std::optional<base::MonoTime> firstSent, lastAnswered;
  base::Duration slowest{0};
  int64_t sent = 0;
  for (const TargetOutcome& o : outcomes) {
    if (!o.sentAt || !o.answeredAt) continue;
    ++sent;
    if (!firstSent || *o.sentAt < *firstSent) firstSent = o.sentAt;
    if (!lastAnswered || *o.answeredAt > *lastAnswered) lastAnswered = o.answeredAt;
    slowest = std::max(slowest, *o.answeredAt - *o.sentAt);
  }
  log_.info(
      "rollback write trace",
      {{"rollout", key},
       {"writes", sent},
       {"verdictUnixMicros", micros(verdictAt.time_since_epoch())},
       {"analysisMicros", micros(analysisTook)},
       {"firstSentMicros", firstSent ? micros(*firstSent - verdictAtMono) : int64_t{-1}},
       {"lastAnsweredMicros", lastAnswered ? micros(*lastAnswered - verdictAtMono) : int64_t{-1}},
       {"slowestRequestMicros", micros(slowest)},
       {"inFlightLimit",
        static_cast<int64_t>(deps_.urgentInFlightLimit ? deps_.urgentInFlightLimit()
                                                       : executor_.maxUrgentInFlight())}});
}

void RolloutReconciler::notifyTransition(const TypedRollout& rollout, const PlanInput& in,
                                         const RolloutStatus& status) {
  if (deps_.notifier == nullptr) return;
  const std::optional<Phase> before =
      in.status ? std::optional<Phase>(in.status->phase) : std::nullopt;
  if (!isNotifiedTransition(before, status.phase)) return;
  std::optional<WebhookSpec> own =
      in.spec.spec ? in.spec.spec->webhook : rollout.notifications.webhook;
  if (own && !webhookProblems(*own, deps_.outbound).empty()) return;  // never to a refused host
  std::optional<notify::WebhookTarget> target = deps_.defaultWebhook;
  if (own) {
    target =
        notify::WebhookTarget{own->url, std::chrono::duration_cast<base::Duration>(own->timeout)};
  }
  if (!target) return;
  const std::string key = in.rollout.key();
  if (!notified_.firstTime(key, notificationKey(in.rollout, status))) {
    log_.debug("transition already notified", {{"rollout", key}});
    return;
  }
  deps_.notifier->notify({*target, key, toString(status.phase),
                          notificationDocument(in.rollout, status, clock_.now())});
}

// One reconcile, from the look at the caches to the last write. Each phase below reads what the
// earlier ones left here.
struct RolloutReconciler::Pass {
  std::string key;
  std::string ns;
  std::string name;
  runtime::ObjectPtr cached;  // the rollout planned from: the cache's, or our newer write
  TypedRolloutPtr typed;      // the same, parsed
  std::string startedFrom;    // its resourceVersion
  base::TimePoint started;    // wall time: the planner's `now`
  base::MonoTime startedAt;   // for the pass' duration
  std::vector<std::shared_ptr<const runtime::Store>> held;  // a release() may drop them meanwhile
  Observed observed;
  Plan plan;
  base::Duration analysisTook{0};
  base::TimePoint verdictAt;     // wall time, for the trace's timestamp
  base::MonoTime verdictAtMono;  // what the trace measures its writes from
  Json rollout;  // the rollout as last stored: after the finalizer, then the status write
  std::vector<std::string> errors;
  bool urgentWrites = false;
  std::map<std::string, Json> liveAfter;  // Deployments as written, for their Events
  std::vector<PlannedEvent> events;       // to record once the status holds their transitions
  bool statusStored = true;
  bool lostToAnotherWriter = false;
};

runtime::ReconcileResult RolloutReconciler::reconcile(const std::string& key,
                                                      std::stop_token /*stop*/) {
  Pass pass;
  if (auto early = observe(key, pass)) return *early;
  decide(pass);
  if (auto failed = ensureFinalizer(pass)) return *failed;
  writeTargets(pass);
  writeStatus(pass);
  recordEvents(pass);
  return finish(pass);
}

std::optional<runtime::ReconcileResult> RolloutReconciler::observe(const std::string& key,
                                                                   Pass& pass) {
  runtime::ObjectPtr cached = findRollout(key);
  if (!cached) {
    // Gone, or not listed yet (its informer's add event will queue it again): nothing to undo.
    notified_.forget(key);
    ownWrites_.forget(key);
    deps_.typed->forget(key);
    return runtime::ReconcileResult::waitForChange();
  }
  const TypedRolloutPtr typedCached = deps_.typed->of(cached);
  std::optional<RolloutNamespaces> reach =
      deps_.namespacesOf ? deps_.namespacesOf(*typedCached) : rolloutNamespaces(*typedCached, {});
  if (!reach) return runtime::ReconcileResult::waitForChange();  // queued once they are listed
  for (const std::string& ns : reach->read) {
    if (!deps_.cachesSynced || deps_.cachesSynced(ns)) continue;
    const std::string problem = deps_.cachesProblem ? deps_.cachesProblem(ns) : "";
    if (problem.empty()) return runtime::ReconcileResult::waitForChange();  // queued once listed
    // A list keeps failing: say why where the rollout's owner looks, and look again later.
    PlannedEvent e{PlannedEvent::Type::Warning, "CachesNotListed",
                   "waiting for the workloads of namespace " + ns + " to be listed: " + problem,
                   ""};
    if (auto r = executor_.recordEvent(*cached, e); !r.ok()) {
      log_.warn("cannot record event", {{"rollout", key}, {"error", r.error().toString()}});
    }
    return runtime::ReconcileResult::requeueAfter(std::chrono::seconds(30));
  }
  pass.key = key;
  pass.cached = ownWrites_.freshest(key, std::move(cached));  // our last write, if newer
  // The shared cache holds the informer's trees only: our own newer write is typed for this pass
  // alone, else the cache would keep it beside the store's copy of the same version (the JSON
  // of every rollout twice, 3 MiB at 500 rollouts).
  pass.typed = pass.cached == typedCached->object ? typedCached : typeRollout(pass.cached);
  pass.startedFrom = pass.typed->resourceVersion;
  pass.started = clock_.now();
  pass.startedAt = clock_.monotonicNow();
  pass.ns = pass.typed->identity.namespace_;
  pass.name = pass.typed->identity.name;
  std::vector<runtime::ObjectPtr> found;
  for (const std::string& ns : reach->read) {
    std::vector<std::shared_ptr<const runtime::Store>> held = deps_.workloads(ns);
    std::vector<const runtime::Store*> stores;
    for (const auto& s : held) stores.push_back(s.get());
    for (auto& w : candidates(stores, ns, pass.typed->selector, key)) found.push_back(std::move(w));
    pass.held.insert(pass.held.end(), held.begin(), held.end());
  }
  pass.observed =
      observeAll(*pass.typed, found, pass.started, deps_.outbound, log_, reach->selected);
  PlanInput& in = pass.observed.input;
  detectRevertingManagers(pass.observed.deployments, in);
  in.analysisRequested = deps_.analysisRequests != nullptr && deps_.analysisRequests->take(key);
  return std::nullopt;
}

void RolloutReconciler::decide(Pass& pass) {
  PlanInput& in = pass.observed.input;
  pass.plan = plan(in);
  if (pass.plan.analysisDue && in.spec.spec && in.spec.spec->analysis && pass.observed.criteria) {
    in.verdict = analyze(pass);
    pass.plan = plan(in);  // the first plan only asked for the verdict
  }
  pass.verdictAt = clock_.now();
  pass.verdictAtMono = clock_.monotonicNow();
}

analysis::Verdict RolloutReconciler::analyze(Pass& pass) {
  const PlanInput& in = pass.observed.input;
  const Cohorts c = cohorts(in.targets, pass.key, in.injectConflicts);
  auto prometheus = deps_.prometheus
                        ? deps_.prometheus(pass.ns, *in.spec.spec->analysis)
                        : analysis::PromResult<analysis::PrometheusApiPtr>(base::fail(
                              analysis::PrometheusError{analysis::PrometheusError::Kind::Config, 0,
                                                        "", "no Prometheus client configured"}));
  if (!prometheus.ok() || !*prometheus) {
    return inconclusive(prometheus.ok() ? "no Prometheus client"
                                        : "prometheus: " + prometheus.error().message);
  }
  // One analysis for a namespaced rollout; one per namespace for a cluster rollout.
  std::vector<std::pair<std::string, analysis::Verdict>> verdicts;
  std::chrono::nanoseconds took{0};
  for (const analysis::AnalysisTargets& group : analysisGroups(c, pass.ns)) {
    analysis::AnalysisRun run =
        analysis::runAnalysis(*pass.observed.criteria, group, **prometheus, clock_);
    took += run.latency;
    verdicts.emplace_back(group.namespaceName, std::move(run.verdict));
  }
  metrics_.analysisDuration(seconds(took));
  pass.analysisTook = std::chrono::duration_cast<base::Duration>(took);
  return combineVerdicts(std::move(verdicts), /*nameNamespaces=*/pass.ns.empty());
}

std::optional<runtime::ReconcileResult> RolloutReconciler::ensureFinalizer(Pass& pass) {
  pass.rollout = *pass.cached;
  if (!pass.plan.addFinalizer || pass.observed.input.rollout.hasFinalizer) return std::nullopt;
  auto added = executor_.addFinalizer(pass.ns, pass.name);
  if (!added.ok()) {
    metrics_.reconcileError();
    // No Deployment may be written before the finalizer guarantees their restore.
    return runtime::ReconcileResult::retryableError(added.error().toString());
  }
  pass.rollout = std::move(added).value();
  return std::nullopt;
}

void RolloutReconciler::writeTargets(Pass& pass) {
  const Plan& p = pass.plan;
  // Per restored Deployment: variables left to the field manager that owns them now.
  std::map<std::string, std::shared_ptr<std::vector<std::string>>> leftToOthers;
  std::vector<TargetWrite> writes;
  for (const TargetAction& a : p.actions) {
    writes.push_back(targetWrite(pass, a, leftToOthers));
  }
  pass.urgentWrites = std::any_of(p.actions.begin(), p.actions.end(),
                                  [](const TargetAction& a) { return a.urgent; });
  std::vector<TargetOutcome> outcomes = executor_.writeTargets(pass.ns, std::move(writes));
  if (pass.urgentWrites) {
    traceRollbackWrites(pass.key, pass.verdictAt, pass.verdictAtMono, pass.analysisTook, outcomes);
  }
  std::map<std::string, WriteFailure> failedWrites;
  std::vector<PlannedEvent> conflictEvents;
  for (TargetOutcome& o : outcomes) {
    if (!o.live.is_null()) pass.liveAfter[o.deployment] = std::move(o.live);
    if (o.kind == TargetOutcome::Kind::Conflict || o.kind == TargetOutcome::Kind::Error) {
      failedWrites[o.deployment] = {o.kind == TargetOutcome::Kind::Conflict
                                        ? WriteFailure::Kind::Conflict
                                        : WriteFailure::Kind::Error,
                                    o.message};
    }
    takeOutcome(pass, o, conflictEvents);
  }
  const PlanInput& in = pass.observed.input;
  settleUnacknowledged(pass.plan, in.status, failedWrites, in.targets.size());
  pass.events = pass.plan.events;
  std::map<std::string, std::vector<std::string>> left;
  for (const auto& [deployment, fields] : leftToOthers) left[deployment] = *fields;
  announceLeftToOthers(pass.events, left, failedWrites);
  pass.events.insert(pass.events.end(), conflictEvents.begin(), conflictEvents.end());
  const bool enteredRollback = pass.plan.status.phase == Phase::RolledBack &&
                               (!in.status || in.status->phase != Phase::RolledBack);
  if (enteredRollback && pass.urgentWrites) {
    const auto& rollback = pass.plan.status.rollback;
    metrics_.rollback(rollback ? rollback->reason : "Unknown",
                      seconds(clock_.monotonicNow() - pass.startedAt));
  }
}

TargetWrite RolloutReconciler::targetWrite(
    const Pass& pass, const TargetAction& a,
    std::map<std::string, std::shared_ptr<std::vector<std::string>>>& leftToOthers) const {
  InjectionConfig config = configAt(pass.observed.input.spec.spec, pass.key, a.configStep);
  InjectionForm form = formOf(a.form);
  auto cachedDeployment = pass.observed.deployments.find(a.deployment);
  std::shared_ptr<const Json> cachedCopy =
      cachedDeployment == pass.observed.deployments.end() ? nullptr : cachedDeployment->second;
  std::shared_ptr<std::vector<std::string>> left;
  if (form == InjectionForm::Restored) {
    // A restore must see managedFields, which informer copies do not keep: read it live.
    cachedCopy = nullptr;
    left = std::make_shared<std::vector<std::string>>();
    leftToOthers[a.deployment] = left;
  }
  return {a.deployment, a.urgent,
          [config = std::move(config), form, left](const Json& live) {
            if (left) left->clear();  // one computation per attempt
            return desiredDeployment(live, config, form, left.get());
          },
          std::move(cachedCopy)};
}

void RolloutReconciler::takeOutcome(Pass& pass, const TargetOutcome& o,
                                    std::vector<PlannedEvent>& conflictEvents) {
  switch (o.kind) {
    case TargetOutcome::Kind::Unchanged:
    case TargetOutcome::Kind::Written:
      log_.debug(
          "deployment",
          {{"rollout", pass.key}, {"deployment", o.deployment}, {"outcome", toString(o.kind)}});
      return;
    case TargetOutcome::Kind::Conflict:
      metrics_.conflict();
      conflictEvents.push_back({PlannedEvent::Type::Warning, "Conflict",
                                describeTarget(o.deployment) + " left alone: " + o.message,
                                o.deployment});
      return;
    case TargetOutcome::Kind::Error:
      pass.errors.push_back(o.message);
      return;
  }
}

void RolloutReconciler::writeStatus(Pass& pass) {
  const PlanInput& in = pass.observed.input;
  const RolloutStatus& status = pass.plan.status;
  if (!in.status || *in.status != status) {
    std::string sentVersion;
    Json fresh;
    auto written = executor_.writeStatus(pass.rollout, toJson(status), &sentVersion, &fresh);
    if (written.ok()) {
      pass.rollout = std::move(written).value();
      ownWrites_.record(pass.key, {pass.startedFrom, sentVersion}, asCached(pass.rollout));
      notifyTransition(*pass.typed, in, status);
    } else if (kube::isConflict(written.error()) && fresh.is_object()) {
      // Somebody else wrote the rollout since it was read (own writes are never stale: OwnWrites
      // starts each pass from the last one). Plan again at once from what they stored.
      pass.statusStored = false;
      pass.lostToAnotherWriter = true;
      log_.debug("status write lost to another writer; planning again",
                 {{"rollout", pass.key}, {"error", written.error().toString()}});
      ownWrites_.record(pass.key, {pass.startedFrom, sentVersion}, asCached(std::move(fresh)));
    } else {
      pass.statusStored = false;
      pass.errors.push_back(written.error().toString());
    }
  }
  if (!in.status || in.status->phase != status.phase) metrics_.transition(status.phase);
  metrics_.setPhase(pass.ns, pass.name, status.phase);
  metrics_.setTargetsEnabled(
      pass.ns, pass.name,
      static_cast<int>(
          std::count_if(status.targets.begin(), status.targets.end(),
                        [](const TargetStatus& t) { return t.state == TargetState::Enabled; })));
}

void RolloutReconciler::recordEvents(Pass& pass) {
  // Events announce stored transitions only: when the status write failed, the retry plans from
  // the old status again and announces the same transitions then, once (as notifications do).
  if (!pass.statusStored) return;
  for (const PlannedEvent& e : pass.events) {
    if (auto r = executor_.recordEvent(pass.rollout, e); !r.ok()) {
      log_.warn("cannot record event", {{"rollout", pass.key}, {"error", r.error().toString()}});
    }
    if (e.deployment.empty()) continue;
    const Json* involved = nullptr;
    if (auto it = pass.liveAfter.find(e.deployment); it != pass.liveAfter.end()) {
      involved = &it->second;
    } else if (auto c = pass.observed.deployments.find(e.deployment);
               c != pass.observed.deployments.end()) {
      involved = c->second.get();
    }
    if (involved == nullptr) continue;
    if (auto r = executor_.recordEvent(*involved, e); !r.ok()) {
      log_.warn("cannot record event",
                {{"deployment", e.deployment}, {"error", r.error().toString()}});
    }
  }
}

runtime::ReconcileResult RolloutReconciler::finish(Pass& pass) {
  const Plan& p = pass.plan;
  if (p.removeFinalizer && pass.observed.input.rollout.hasFinalizer && pass.errors.empty() &&
      !pass.lostToAnotherWriter) {
    if (auto removed = executor_.removeFinalizer(pass.ns, pass.name); !removed.ok()) {
      pass.errors.push_back(removed.error().toString());
    }
  }
  if (!pass.errors.empty()) {
    metrics_.reconcileError();
    std::string message = "reconcile " + pass.key + ": " + pass.errors.front();
    if (pass.errors.size() > 1) {
      message += " (and " + std::to_string(pass.errors.size() - 1) + " more)";
    }
    return runtime::ReconcileResult::retryableError(message);
  }
  if (pass.lostToAnotherWriter) {
    return runtime::ReconcileResult::requeueAfter(base::Duration::zero());
  }
  if (p.requeueAfter) return runtime::ReconcileResult::requeueAfter(*p.requeueAfter);
  return runtime::ReconcileResult::waitForChange();
}

}  // namespace tro::controllers
