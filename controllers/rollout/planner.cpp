#include "controllers/rollout/planner.h"

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/conditions.h"
#include "controllers/rollout/plan_context.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace detail {
namespace {

std::string annotation(const RolloutIdentity& r, const char* key) {
  auto it = r.annotations.find(key);
  return it == r.annotations.end() ? "" : it->second;
}

}  // namespace

PlanContext::PlanContext(const PlanInput& input)
    : in_(input),
      prev_(input.status.value_or(RolloutStatus{})),
      st_(out_.status),
      now_(base::truncateToSeconds(input.now)),
      key_(input.rollout.key()) {
  if (in_.spec.problems.empty() && in_.spec.spec) spec_ = &*in_.spec.spec;
  st_ = prev_;
}

Plan PlanContext::run() {
  classifyTargets();
  if (in_.rollout.deletionTimestamp) {
    deletion();
    return std::move(out_);
  }
  out_.addFinalizer = !in_.rollout.hasFinalizer;
  if (spec_ == nullptr) {
    invalidSpec();
  } else {
    const bool pausedOnly = !prev_.specHash.empty() && prev_.specHash == in_.specHash;
    if (prev_.observedGeneration != 0 && prev_.observedGeneration != in_.rollout.generation &&
        !pausedOnly) {
      restart("SpecChanged", "generation " + std::to_string(in_.rollout.generation) +
                                 ": starting again from step 1");
    }
    st_.observedGeneration = in_.rollout.generation;
    st_.specHash = in_.specHash;
    manualControls();
    if (st_.phase == Phase::RolledBack) {
      rolledBack();
    } else if (spec_->paused) {
      st_.phase = Phase::Paused;
      subReason_ = phaseReason_ = "Paused";
      st_.message = "spec.paused is set: holding";
    } else if (eligible_.empty()) {
      noTargets();
    } else {
      if (st_.phase == Phase::Failed) restart("SpecValid", "the spec is valid now");
      if (st_.phase == Phase::Paused)  // re-derived below
        st_.phase = st_.stepStartedAt ? Phase::Progressing : Phase::Pending;
      if (st_.phase == Phase::Pending) start();
      if (!checkHealthBreach() && !consumeVerdict()) progress();
      if (st_.phase == Phase::RolledBack) rolledBack();
      restoreDeparted();
    }
  }
  finish();
  return std::move(out_);
}

void PlanContext::classifyTargets() {
  for (const auto& t : in_.targets) {
    auto conflict = in_.injectConflicts.find(t.name);
    if (t.claimedByOther) {
      conflicts_[t.name] = "claimed by TelemetryRollout " + t.claimedBy;
    } else if (conflict != in_.injectConflicts.end()) {
      conflicts_[t.name] = conflict->second;
    } else {
      eligible_.push_back(&t);
    }
  }
}

void PlanContext::deletion() {
  deleting_ = true;
  if (!in_.rollout.hasFinalizer) return;  // nothing left to guard
  bool keep = spec_ != nullptr && spec_->onDelete == DeletePolicy::KeepIfSucceeded &&
              prev_.phase == Phase::Succeeded;
  if (keep) {
    out_.removeFinalizer = true;
    event(PlannedEvent::Type::Normal, "TelemetryKept",
          "deleted after success with onDelete KeepIfSucceeded: Deployments keep telemetry");
    return;
  }
  for (const auto* list : {&in_.targets, &in_.departed}) {
    for (const auto& t : *list) {
      if (ours(t)) addAction({t.name, TargetForm::Restored, false, -1, ""});
    }
  }
  subReason_ = "Deleting";
  if (out_.actions.empty()) {
    out_.removeFinalizer = true;
    st_.message = "every Deployment restored; removing the finalizer";
  } else {
    st_.message = "restoring " + std::to_string(out_.actions.size()) + " Deployment(s)";
  }
  finish();
}

void PlanContext::invalidSpec() {
  st_.observedGeneration = in_.rollout.generation;
  st_.phase = Phase::Failed;
  subReason_ = "InvalidSpec";
  st_.message = "invalid spec: " + in_.spec.summary();
  bool changed = prev_.phase != Phase::Failed ||
                 prev_.observedGeneration != in_.rollout.generation || prev_.message != st_.message;
  if (changed) event(PlannedEvent::Type::Warning, "InvalidSpec", st_.message);
  phaseEventDone_ = true;
}

void PlanContext::restart(const std::string& reason, const std::string& message) {
  st_.phase = Phase::Pending;
  st_.currentStep = 0;
  st_.stepStartedAt.reset();
  st_.analysis = AnalysisStatus{};
  event(PlannedEvent::Type::Normal, reason, message);
}

void PlanContext::manualControls() {
  HandledControls& handled = st_.handledControls;
  std::string retry = annotation(in_.rollout, annotations::kRetry);
  if (!retry.empty() && retry != handled.retry) {
    handled.retry = retry;
    if (st_.phase == Phase::RolledBack) {
      restart("Retry", "retry requested (" + retry + "): starting again from step 1");
    } else {
      event(PlannedEvent::Type::Normal, "RetryIgnored",
            "retry ignored: the rollout is not rolled back");
    }
  }
  std::string abort = annotation(in_.rollout, annotations::kAbort);
  if (!abort.empty() && abort != handled.abort) {
    handled.abort = abort;
    if (st_.phase != Phase::RolledBack) {
      startRollback({"ManualAbort", "annotation/" + std::string(annotations::kAbort), std::nullopt,
                     "", now_, "abort requested (" + abort + ")"});
    }
  }
  std::string promote = annotation(in_.rollout, annotations::kPromote);
  if (!promote.empty() && promote != handled.promote) {
    handled.promote = promote;
    promote_ = true;
  }
}

bool PlanContext::checkHealthBreach() {
  if (st_.phase != Phase::Progressing) return false;
  for (const auto* t : eligible_) {
    if (oursEnabled(*t) && t->health.state == RolloutHealth::State::Failed) {
      // "deployment/<name>" for a namespaced rollout's Deployment; any other key names its kind.
      const std::string check =
          t->name.find('/') == std::string::npos ? "deployment/" + t->name : t->name;
      startRollback({"ProgressDeadlineExceeded", check, std::nullopt, "progress deadline", now_,
                     describeTarget(t->name) + " failed to roll out: " + t->health.message});
      return true;
    }
  }
  const auto deadline = waveDeadline();
  const TargetObservation* late =
      deadline && now_ >= *deadline ? workloadStillRollingOut() : nullptr;
  if (late != nullptr) {
    const std::string seconds = std::to_string(spec_->progressDeadline.count());
    startRollback({"ProgressDeadlineExceeded", late->name, std::nullopt,
                   "progress deadline " + seconds + "s", now_,
                   describeTarget(late->name) + " did not roll out within " + seconds +
                       "s (spec.strategy.progressDeadlineSeconds): " + late->health.message});
    return true;
  }
  return false;
}

std::optional<base::TimePoint> PlanContext::waveDeadline() const {
  if (spec_ == nullptr || st_.phase != Phase::Progressing || !st_.stepStartedAt) {
    return std::nullopt;
  }
  const int step = st_.currentStep;
  if (step < 0 || step >= static_cast<int>(spec_->steps.size()) ||
      spec_->steps[step].kind == Step::Kind::Pause) {
    return std::nullopt;
  }
  return *st_.stepStartedAt + std::chrono::duration_cast<base::Duration>(spec_->progressDeadline);
}

const TargetObservation* PlanContext::workloadStillRollingOut() const {
  for (const auto* t : eligible_) {
    // A Deployment's own controller reports its deadline (Failed above); the others have none.
    if (oursEnabled(*t) && t->health.state == RolloutHealth::State::Progressing &&
        targetRef(t->name).kind != WorkloadKind::Deployment) {
      return t;
    }
  }
  return nullptr;
}

void PlanContext::startRollback(RollbackRecord record) {
  st_.phase = Phase::RolledBack;
  st_.message = "rolled back (" + record.reason + "): " + record.message;
  st_.rollback = std::move(record);
  phaseReason_ = "RolledBack";
}

void PlanContext::rolledBack() {
  subReason_ = "RolledBack";
  for (const auto& t : in_.targets) {
    if (oursEnabled(t)) addAction({t.name, TargetForm::Disabled, true, -1, ""});
  }
  restoreDeparted();
  if (st_.message.empty()) st_.message = "rolled back; set the retry annotation to start again";
}

void PlanContext::restoreDeparted() {
  for (const auto& t : in_.departed) {
    if (ours(t)) addAction({t.name, TargetForm::Restored, false, -1, ""});
  }
}

void PlanContext::noTargets() {
  subReason_ = "NoTargets";
  st_.message = in_.targets.empty() ? "no Deployment matches spec.selector"
                                    : "all " + std::to_string(in_.targets.size()) +
                                          " selected Deployments are in conflict";
  const Condition* stalled = findCondition(prev_.conditions, kConditionStalled);
  if (stalled == nullptr || stalled->status != "True" || stalled->reason != "NoTargets")
    event(PlannedEvent::Type::Warning, "NoTargets", st_.message);
  phaseEventDone_ = true;
  restoreDeparted();
}

bool PlanContext::anyOursEnabled() const {
  for (const auto* t : eligible_) {
    if (oursEnabled(*t)) return true;
  }
  return false;
}

const TargetAction* PlanContext::actionFor(const std::string& name) const {
  for (const auto& a : out_.actions) {
    if (a.deployment == name) return &a;
  }
  return nullptr;
}

void PlanContext::addAction(TargetAction action) {
  if (actionFor(action.deployment) == nullptr) out_.actions.push_back(std::move(action));
}

void PlanContext::event(PlannedEvent::Type type, std::string reason, std::string message,
                        std::string deployment) {
  out_.events.push_back({type, std::move(reason), std::move(message), std::move(deployment)});
}

std::string PlanContext::stepLabel(int step) const {
  return "step " + std::to_string(step + 1) + "/" + std::to_string(spec_->steps.size());
}

std::string PlanContext::configHash(int step) const {
  if (in_.configHashes.empty()) return "";
  size_t i = std::min(static_cast<size_t>(std::max(step, 0)), in_.configHashes.size() - 1);
  return in_.configHashes[i];
}

}  // namespace detail

const char* toString(TargetForm form) {
  switch (form) {
    case TargetForm::Enabled:
      return "Enabled";
    case TargetForm::Disabled:
      return "Disabled";
    case TargetForm::Restored:
      return "Restored";
  }
  return "Unknown";
}

Plan plan(const PlanInput& input) { return detail::PlanContext(input).run(); }

}  // namespace tro::controllers
