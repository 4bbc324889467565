#include "controllers/rollout/reconciler.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "controllers/analysis/analysis_runner.h"
#include "controllers/analysis/criteria.h"
#include "controllers/rollout/annotations.h"
#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/inject_field_managers.h"
#include "controllers/rollout/json_patch_diff.h"
#include "controllers/rollout/plan_config.h"
#include "controllers/rollout/plan_settle.h"
#include "controllers/rollout/planner.h"
#include "controllers/rollout/target_observation.h"
#include "controllers/rollout/targets.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {

namespace {

using kube::Json;

std::string str(const Json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

RolloutIdentity identityOf(const Json& rollout) {
  RolloutIdentity id;
  auto m = rollout.find("metadata");
  if (m == rollout.end() || !m->is_object()) return id;
  const Json& meta = *m;
  id.namespace_ = str(meta, "namespace");
  id.name = str(meta, "name");
  id.uid = str(meta, "uid");
  if (auto g = meta.find("generation"); g != meta.end() && g->is_number_integer()) {
    id.generation = g->get<int64_t>();
  }
  if (auto d = str(meta, "deletionTimestamp"); !d.empty())
    id.deletionTimestamp = base::parseRfc3339(d);
  if (auto f = meta.find("finalizers"); f != meta.end() && f->is_array()) {
    id.hasFinalizer = std::find(f->begin(), f->end(), annotations::kFinalizer) != f->end();
  }
  if (auto a = meta.find("annotations"); a != meta.end() && a->is_object()) {
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (it->is_string()) id.annotations[it.key()] = it->get<std::string>();
    }
  }
  return id;
}

std::string nameOf(const Json& object) {
  return object.contains("metadata") ? str(object["metadata"], "name") : "";
}

int lastStep(const RolloutSpec& spec) {
  return std::max(0, static_cast<int>(spec.steps.size()) - 1);
}

InjectionConfig configAt(const std::optional<RolloutSpec>& spec, const std::string& key, int step) {
  if (!spec) {
    // An invalid spec only ever restores: the restore record on the Deployment carries what to
    // put back, so the owner is all the configuration needed.
    InjectionConfig config;
    config.owner = key;
    return config;
  }
  if (step < 0 || step > lastStep(*spec)) step = lastStep(*spec);
  return makeInjectionConfig(*spec, key, setEnvOverrides(spec->steps, step));
}

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

// Everything the planner and the executor need from one look at the caches.
struct Observed {
  PlanInput input;
  std::optional<analysis::Criteria> criteria;
  std::map<std::string, runtime::ObjectPtr> deployments;  // by name, selected and departed
};

Observed observeAll(const Json& rollout, const std::vector<runtime::ObjectPtr>& deployments,
                    base::TimePoint now, const OutboundRules& outbound, const base::Logger& log) {
  Observed out;
  PlanInput& in = out.input;
  in.now = now;
  in.rollout = identityOf(rollout);
  const std::string key = in.rollout.key();
  const Json spec = rollout.value("spec", Json());
  in.spec = parseSpec(spec);
  in.specHash = rolloutSpecHash(spec);
  if (in.spec.spec) {
    if (auto refused = outboundProblems(*in.spec.spec, outbound); !refused.empty()) {
      in.spec.problems = std::move(refused);
      in.spec.spec.reset();
    }
  }
  if (in.spec.spec && in.spec.spec->analysis) {
    // Analysis fields spec.h leaves to criteria.h are part of the spec's validity.
    auto ext = analysis::parseAnalysisExtensions(spec);
    auto compiled = analysis::makeCriteria(*in.spec.spec->analysis, ext.extensions);
    std::vector<SpecProblem> problems = ext.problems;
    problems.insert(problems.end(), compiled.problems.begin(), compiled.problems.end());
    if (problems.empty()) {
      in.inconclusiveLimit = compiled.criteria.inconclusiveLimit;
      out.criteria = std::move(compiled.criteria);
    } else {
      in.spec.problems = std::move(problems);
      in.spec.spec.reset();
    }
  }
  if (auto s = rollout.find("status"); s != rollout.end() && s->is_object() && !s->empty()) {
    auto status = statusFromJson(*s);
    if (status.ok()) {
      in.status = std::move(status).value();
    } else {
      // Unreadable memory: start over rather than stall; the planner re-derives from the
      // Deployments' annotations, so no write is repeated needlessly.
      log.warn("ignoring unreadable status", {{"rollout", key}, {"error", status.error().message}});
    }
  }
  const std::optional<RolloutSpec>& rs = in.spec.spec;
  if (rs) in.configHashes = stepConfigHashes(*rs, key);
  const int step = in.status ? in.status->currentStep : 0;
  const std::string desiredHash =
      in.configHashes.empty()
          ? ""
          : in.configHashes.at(std::min<size_t>(std::max(step, 0), in.configHashes.size() - 1));
  const InjectionConfig config = configAt(rs, key, step);

  std::vector<runtime::ObjectPtr> sorted = deployments;
  std::sort(sorted.begin(), sorted.end(),
            [](const runtime::ObjectPtr& a, const runtime::ObjectPtr& b) {
              return nameOf(*a) < nameOf(*b);
            });
  for (const auto& d : sorted) {
    const std::string name = nameOf(*d);
    const Json labels = (*d)["metadata"].value("labels", Json::object());
    const bool selected = rs && rs->selector.matches(labels);
    if (selected) {
      in.targets.push_back(observe(*d, key, desiredHash));
      out.deployments[name] = d;
      if (auto dry = desiredDeployment(*d, config, InjectionForm::Enabled); !dry.ok()) {
        in.injectConflicts[name] = dry.error().message;
      }
    } else if (ownerOf(*d) == key) {
      in.departed.push_back(observe(*d, key, desiredHash));
      out.deployments[name] = d;
    }
  }
  return out;
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

// Managers other than the operator that own what it switches: the flag's value in an
// application container, or one of its pod-template annotations. Each with what it owns.
struct Reverter {
  std::string manager;
  std::string field;  // "FEATURE_OTEL", "pod annotation instrumentation.opentelemetry.io/..."
};

std::vector<Reverter> revertingManagers(const Json& deployment, const InjectionConfig& config) {
  std::vector<Reverter> out;
  auto add = [&](std::vector<std::string> managers, const std::string& field) {
    for (auto& m : managers) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const Reverter& r) { return r.manager == m; });
      if (!seen) out.push_back({std::move(m), field});
    }
  };
  const std::string collector = config.collector ? config.collector->name : "";
  const Json& containers = deployment["spec"]["template"]["spec"]["containers"];
  if (!config.flag.name.empty() && containers.is_array()) {
    for (const auto& c : containers) {
      const std::string name = c.value("name", "");
      if (name.empty() || name == collector) continue;
      if (!config.containers.empty() &&
          std::find(config.containers.begin(), config.containers.end(), name) ==
              config.containers.end()) {
        continue;
      }
      add(envValueManagers(deployment, name, config.flag.name, annotations::kFieldManager),
          config.flag.name);
    }
  }
  for (const auto& [key, value] : config.podAnnotations) {
    add(podAnnotationManagers(deployment, key, annotations::kFieldManager),
        "pod annotation " + key);
  }
  return out;
}

// A server's answer kept beside the cache, in the cache's form: without managedFields, which
// are a third or more of a rollout and are never read from it (the fleet benchmark's peak held
// one such copy per rollout while the wave's status writes outran the watch).
runtime::ObjectPtr asCached(Json object) {
  return std::make_shared<const Json>(runtime::stripManagedFields(std::move(object)));
}

double seconds(base::Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

RolloutReconciler::RolloutReconciler(RolloutReconcilerDeps deps, base::Logger log)
    : deps_(std::move(deps)),
      log_(std::move(log)),
      executor_(*deps_.api, *deps_.clock, deps_.executor, deps_.urgentApi) {}

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
    auto live = deps_.api->get(kube::resources::deployments(), in.rollout.namespace_, t.name);
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
                                            base::Duration analysisTook,
                                            const std::vector<TargetOutcome>& outcomes) const {
  using std::chrono::microseconds;
  auto micros = [](base::Duration d) {
    return static_cast<int64_t>(std::chrono::duration_cast<microseconds>(d).count());
  };
  std::optional<base::TimePoint> firstSent, lastAnswered;
  base::Duration slowest{0};
  int64_t sent = 0;
  for (const TargetOutcome& o : outcomes) {
    if (!o.sentAt || !o.answeredAt) continue;
    ++sent;
    if (!firstSent || *o.sentAt < *firstSent) firstSent = o.sentAt;
    if (!lastAnswered || *o.answeredAt > *lastAnswered) lastAnswered = o.answeredAt;
    slowest = std::max(slowest, *o.answeredAt - *o.sentAt);
  }
  log_.info("rollback write trace",
            {{"rollout", key},
             {"writes", sent},
             {"verdictUnixMicros", micros(verdictAt.time_since_epoch())},
             {"analysisMicros", micros(analysisTook)},
             {"firstSentMicros", firstSent ? micros(*firstSent - verdictAt) : int64_t{-1}},
             {"lastAnsweredMicros", lastAnswered ? micros(*lastAnswered - verdictAt) : int64_t{-1}},
             {"slowestRequestMicros", micros(slowest)},
             {"inFlightLimit",
              static_cast<int64_t>(deps_.urgentInFlightLimit ? deps_.urgentInFlightLimit()
                                                             : executor_.maxUrgentInFlight())}});
}

void RolloutReconciler::notifyTransition(const Json& rollout, const PlanInput& in,
                                         const RolloutStatus& status) {
  if (deps_.notifier == nullptr) return;
  const std::optional<Phase> before =
      in.status ? std::optional<Phase>(in.status->phase) : std::nullopt;
  if (!notify::notifies(before, status.phase)) return;
  std::optional<WebhookSpec> own = in.spec.spec
                                       ? in.spec.spec->webhook
                                       : parseNotifications(rollout.value("spec", Json())).webhook;
  if (own && !webhookProblems(*own, deps_.outbound).empty()) return;  // never to a refused host
  std::optional<notify::WebhookTarget> target = deps_.defaultWebhook;
  if (own) {
    target =
        notify::WebhookTarget{own->url, std::chrono::duration_cast<base::Duration>(own->timeout)};
  }
  if (!target) return;
  const std::string key = in.rollout.key();
  if (!notified_.firstTime(key, notify::transitionKey(in.rollout, status))) {
    log_.debug("transition already notified", {{"rollout", key}});
    return;
  }
  deps_.notifier->notify({*target, key, toString(status.phase),
                          notify::makeDocument(in.rollout, status, deps_.clock->now())});
}

runtime::ReconcileResult RolloutReconciler::reconcile(const std::string& key,
                                                      std::stop_token /*stop*/) {
  runtime::ObjectPtr cached = findRollout(key);
  if (!cached) {
    // Gone, or not listed yet (its informer's add event will queue it again): nothing to undo.
    notified_.forget(key);
    ownWrites_.forget(key);
    return runtime::ReconcileResult::waitForChange();
  }
  if (deps_.cachesSynced && !deps_.cachesSynced(key.substr(0, key.find('/')))) {
    return runtime::ReconcileResult::requeueAfter(std::chrono::seconds(1));
  }
  cached = ownWrites_.freshest(key, std::move(cached));  // our last write, if the cache lags
  const std::string startedFrom = runtime::resourceVersionOf(*cached);
  const base::TimePoint started = deps_.clock->now();
  const std::string ns = (*cached)["metadata"].value("namespace", "");
  const std::string name = (*cached)["metadata"].value("name", "");
  const auto held = deps_.deployments(ns);  // kept for the reconcile: a release() may drop them
  std::vector<const runtime::Store*> stores;
  for (const auto& s : held) stores.push_back(s.get());
  Observed observed =
      observeAll(*cached, candidates(stores, ns, *cached, key), started, deps_.outbound, log_);
  PlanInput& in = observed.input;
  detectRevertingManagers(observed.deployments, in);
  in.analysisRequested = deps_.analysisRequests != nullptr && deps_.analysisRequests->take(key);

  Plan p = plan(in);
  base::Duration analysisTook{0};
  if (p.analysisDue && in.spec.spec && in.spec.spec->analysis && observed.criteria) {
    Cohorts c = cohorts(in.targets, key, in.injectConflicts);
    analysis::AnalysisTargets targets{ns, c.enabled, c.baseline, c.failedRollouts};
    auto prometheus =
        deps_.prometheus ? deps_.prometheus(ns, *in.spec.spec->analysis)
                         : analysis::PromResult<analysis::PrometheusApiPtr>(base::fail(
                               analysis::PrometheusError{analysis::PrometheusError::Kind::Config, 0,
                                                         "", "no Prometheus client configured"}));
    if (prometheus.ok() && *prometheus) {
      analysis::AnalysisRun run =
          analysis::runAnalysis(*observed.criteria, targets, **prometheus, *deps_.clock);
      deps_.metrics->analysisDuration(seconds(run.latency));
      analysisTook = std::chrono::duration_cast<base::Duration>(run.latency);
      in.verdict = std::move(run.verdict);
    } else {
      in.verdict = inconclusive(prometheus.ok() ? "no Prometheus client"
                                                : "prometheus: " + prometheus.error().message);
    }
    p = plan(in);  // the first plan only asked for the verdict
  }
  const base::TimePoint verdictAt = deps_.clock->now();

  std::vector<std::string> errors;
  Json rollout = *cached;
  if (p.addFinalizer && !in.rollout.hasFinalizer) {
    auto added = executor_.addFinalizer(ns, name);
    if (!added.ok()) {
      deps_.metrics->reconcileError();
      // No Deployment may be written before the finalizer guarantees their restore.
      return runtime::ReconcileResult::retryableError(added.error().toString());
    }
    rollout = std::move(added).value();
  }

  // Deployment writes.
  std::vector<TargetWrite> writes;
  // Per restored Deployment: variables left to the field manager that owns them now.
  std::map<std::string, std::shared_ptr<std::vector<std::string>>> leftToOthers;
  for (const TargetAction& a : p.actions) {
    InjectionConfig config = configAt(in.spec.spec, key, a.configStep);
    InjectionForm form = formOf(a.form);
    auto cachedDeployment = observed.deployments.find(a.deployment);
    std::shared_ptr<const Json> cachedCopy =
        cachedDeployment == observed.deployments.end() ? nullptr : cachedDeployment->second;
    std::shared_ptr<std::vector<std::string>> left;
    if (form == InjectionForm::Restored) {
      // A restore must see managedFields, which informer copies do not keep: read it live.
      cachedCopy = nullptr;
      left = std::make_shared<std::vector<std::string>>();
      leftToOthers[a.deployment] = left;
    }
    writes.push_back({a.deployment, a.urgent,
                      [config = std::move(config), form, left](const Json& live) {
                        if (left) left->clear();  // one computation per attempt
                        return desiredDeployment(live, config, form, left.get());
                      },
                      std::move(cachedCopy)});
  }
  std::vector<PlannedEvent> conflictEvents;
  std::map<std::string, Json> liveAfter;
  const bool urgentWrites = std::any_of(p.actions.begin(), p.actions.end(),
                                        [](const TargetAction& a) { return a.urgent; });
  std::map<std::string, WriteFailure> failedWrites;
  std::vector<TargetOutcome> outcomes = executor_.writeTargets(ns, std::move(writes));
  if (urgentWrites) traceRollbackWrites(key, verdictAt, analysisTook, outcomes);
  for (TargetOutcome& o : outcomes) {
    if (!o.live.is_null()) liveAfter[o.deployment] = o.live;
    if (o.kind == TargetOutcome::Kind::Conflict || o.kind == TargetOutcome::Kind::Error) {
      failedWrites[o.deployment] = {o.kind == TargetOutcome::Kind::Conflict
                                        ? WriteFailure::Kind::Conflict
                                        : WriteFailure::Kind::Error,
                                    o.message};
    }
    switch (o.kind) {
      case TargetOutcome::Kind::Unchanged:
      case TargetOutcome::Kind::Written:
        log_.debug("deployment",
                   {{"rollout", key}, {"deployment", o.deployment}, {"outcome", toString(o.kind)}});
        break;
      case TargetOutcome::Kind::Conflict:
        deps_.metrics->conflict();
        conflictEvents.push_back({PlannedEvent::Type::Warning, "Conflict",
                                  "Deployment " + o.deployment + " left alone: " + o.message,
                                  o.deployment});
        break;
      case TargetOutcome::Kind::Error:
        errors.push_back(o.message);
        break;
    }
  }
  settleUnacknowledged(p, in.status, failedWrites, in.targets.size());
  std::vector<PlannedEvent> events = p.events;
  for (const auto& entry : leftToOthers) {
    const std::string& deployment = entry.first;  // a name, not a structured binding: clang 14
    const auto& left = entry.second;              // cannot capture those in the lambda below
    if (left->empty() || failedWrites.count(deployment) > 0) continue;
    std::string except = ", except what another field manager owns now: ";
    for (size_t i = 0; i < left->size(); ++i) except += (i == 0 ? "" : "; ") + (*left)[i];
    auto restored = std::find_if(events.begin(), events.end(), [&](const PlannedEvent& e) {
      return e.reason == "Restored" && e.deployment == deployment;
    });
    if (restored != events.end()) {
      restored->message += except;
    } else {  // a target in Conflict is restored too, without a state change to announce it
      events.push_back({PlannedEvent::Type::Normal, "Restored",
                        "Deployment " + deployment + " restored" + except, deployment});
    }
  }
  events.insert(events.end(), conflictEvents.begin(), conflictEvents.end());
  const bool enteredRollback =
      p.status.phase == Phase::RolledBack && (!in.status || in.status->phase != Phase::RolledBack);
  if (enteredRollback && urgentWrites) {
    deps_.metrics->rollback(p.status.rollback ? p.status.rollback->reason : "Unknown",
                            seconds(deps_.clock->now() - started));
  }

  bool statusStored = true;  // the transitions this pass announces are in the stored status
  bool lostToAnotherWriter = false;
  if (!in.status || *in.status != p.status) {
    std::string sentVersion;
    Json fresh;
    auto written = executor_.writeStatus(rollout, toJson(p.status), &sentVersion, &fresh);
    if (written.ok()) {
      rollout = std::move(written).value();
      ownWrites_.record(key, {startedFrom, sentVersion}, asCached(rollout));
      notifyTransition(*cached, in, p.status);
    } else if (kube::isConflict(written.error()) && fresh.is_object()) {
      // Somebody else wrote the rollout since it was read (own writes are never stale: OwnWrites
      // starts each pass from the last one). Plan again at once from what they stored.
      statusStored = false;
      lostToAnotherWriter = true;
      log_.debug("status write lost to another writer; planning again",
                 {{"rollout", key}, {"error", written.error().toString()}});
      ownWrites_.record(key, {startedFrom, sentVersion}, asCached(std::move(fresh)));
    } else {
      statusStored = false;
      errors.push_back(written.error().toString());
    }
  }
  const bool phaseChanged = !in.status || in.status->phase != p.status.phase;
  if (phaseChanged) deps_.metrics->transition(p.status.phase);
  deps_.metrics->setPhase(ns, name, p.status.phase);
  deps_.metrics->setTargetsEnabled(
      ns, name,
      static_cast<int>(
          std::count_if(p.status.targets.begin(), p.status.targets.end(),
                        [](const TargetStatus& t) { return t.state == TargetState::Enabled; })));

  // Events announce stored transitions only: when the status write failed, the retry plans from
  // the old status again and announces the same transitions then, once (as notifications do).
  if (!statusStored) events.clear();
  for (const PlannedEvent& e : events) {
    if (auto r = executor_.recordEvent(rollout, e); !r.ok()) {
      log_.warn("cannot record event", {{"rollout", key}, {"error", r.error().toString()}});
    }
    if (e.deployment.empty()) continue;
    Json involved;
    if (auto it = liveAfter.find(e.deployment); it != liveAfter.end()) {
      involved = it->second;
    } else if (auto c = observed.deployments.find(e.deployment); c != observed.deployments.end()) {
      involved = *c->second;
    }
    if (involved.is_null()) continue;
    if (auto r = executor_.recordEvent(involved, e); !r.ok()) {
      log_.warn("cannot record event",
                {{"deployment", e.deployment}, {"error", r.error().toString()}});
    }
  }

  if (p.removeFinalizer && in.rollout.hasFinalizer && errors.empty() && !lostToAnotherWriter) {
    if (auto removed = executor_.removeFinalizer(ns, name); !removed.ok()) {
      errors.push_back(removed.error().toString());
    }
  }

  if (!errors.empty()) {
    deps_.metrics->reconcileError();
    std::string message = "reconcile " + key + ": " + errors.front();
    if (errors.size() > 1) message += " (and " + std::to_string(errors.size() - 1) + " more)";
    return runtime::ReconcileResult::retryableError(message);
  }
  if (lostToAnotherWriter) return runtime::ReconcileResult::requeueAfter(base::Duration::zero());
  if (p.requeueAfter) return runtime::ReconcileResult::requeueAfter(*p.requeueAfter);
  return runtime::ReconcileResult::waitForChange();
}

}  // namespace tro::controllers
