// What follows from the decisions: per-target status and its events, progress strings,
// conditions, the phase transition's event, the order of actions and when to come back.

#include <algorithm>

#include "controllers/rollout/conditions.h"
#include "controllers/rollout/plan_context.h"
#include "controllers/rollout/workload_kind.h"

namespace tro::controllers::detail {

void PlanContext::finish() {
  targetStatuses();
  if (spec_ != nullptr) {
    int steps = static_cast<int>(spec_->steps.size());
    st_.stepProgress =
        std::to_string(std::min(st_.currentStep + 1, steps)) + "/" + std::to_string(steps);
  }
  int enabled = 0;
  for (const auto& t : st_.targets) {
    if (t.state == TargetState::Enabled) ++enabled;
  }
  st_.targetProgress = std::to_string(enabled) + "/" + std::to_string(in_.targets.size());
  conditions();
  phaseEvent();
  std::stable_sort(out_.actions.begin(), out_.actions.end(), [](const auto& a, const auto& b) {
    return a.urgent != b.urgent ? a.urgent : a.deployment < b.deployment;
  });
  requeue();
}

namespace {

constexpr const char* kRollingOut = "rolling out";

TargetStatus statusOf(const TargetObservation& t, const TargetAction* action,
                      const std::string* conflict, bool owned, bool rolledBack) {
  TargetStatus s{t.name, TargetState::Pending, "", ""};
  if (conflict != nullptr) {
    s.state = TargetState::Conflict;
    s.message = *conflict;
  } else if (action != nullptr && action->form == TargetForm::Enabled) {
    s.state = TargetState::Enabled;
    s.configHash = action->configHash;
  } else if (action != nullptr && action->form == TargetForm::Disabled) {
    s.state = TargetState::RolledBack;
  } else if (owned && t.state == TargetObservation::State::Enabled) {
    s.state = TargetState::Enabled;
    s.configHash = t.configHash;
    // A failure's message is stable and says what went wrong. A rollout in progress gets a
    // fixed message: kubectl's wording carries replica counts, and copying it would rewrite the
    // status at every count while the step's message already names who is being waited for.
    if (t.health.state == RolloutHealth::State::Failed) s.message = t.health.message;
    if (t.health.state == RolloutHealth::State::Progressing) s.message = kRollingOut;
  } else if (owned && rolledBack && t.state == TargetObservation::State::Disabled) {
    s.state = TargetState::RolledBack;
  }
  return s;
}

}  // namespace

void PlanContext::targetStatuses() {
  std::vector<TargetStatus> targets;
  auto wasRestored = [&](const std::string& name) {
    const TargetStatus* p = prev_.target(name);
    return p != nullptr && p->state == TargetState::Restored;
  };
  for (const auto& t : in_.targets) {
    auto conflict = conflicts_.find(t.name);
    TargetStatus s =
        statusOf(t, actionFor(t.name), conflict == conflicts_.end() ? nullptr : &conflict->second,
                 ours(t), st_.phase == Phase::RolledBack);
    if (deleting_ && s.state != TargetState::Conflict && (ours(t) || wasRestored(t.name)))
      s = {t.name, TargetState::Restored, "", ""};
    targets.push_back(std::move(s));
  }
  for (const auto& t : in_.departed) {
    if (ours(t)) targets.push_back({t.name, TargetState::Restored, "", "no longer selected"});
  }
  for (const auto& s : targets) {
    const TargetStatus* p = prev_.target(s.name);
    bool changed = p == nullptr || p->state != s.state;
    switch (s.state) {
      case TargetState::Enabled:
        if (changed) {
          event(PlannedEvent::Type::Normal, "TargetEnabled",
                "telemetry enabled on " + describeTarget(s.name), s.name);
        } else if (p->configHash != s.configHash) {
          event(PlannedEvent::Type::Normal, "TargetUpdated",
                "telemetry configuration updated on " + describeTarget(s.name), s.name);
        }
        break;
      case TargetState::Conflict:
        if (changed || p->message != s.message)
          event(PlannedEvent::Type::Warning, "Conflict",
                describeTarget(s.name) + " left alone: " + s.message, s.name);
        break;
      case TargetState::RolledBack:
        if (changed)
          event(PlannedEvent::Type::Warning, "TelemetryDisabled",
                "telemetry flag switched off on " + describeTarget(s.name) + " (rollback)", s.name);
        break;
      case TargetState::Restored:
        if (changed)
          event(PlannedEvent::Type::Normal, "Restored",
                describeTarget(s.name) + " restored to its state before the rollout", s.name);
        break;
      case TargetState::Pending:
        break;
    }
  }
  std::sort(targets.begin(), targets.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  st_.targets = std::move(targets);
}

void PlanContext::conditions() {
  std::string reason = subReason_.empty() ? toString(st_.phase) : subReason_;
  ConditionValue ready{false, reason, st_.message};
  ConditionValue progressing{false, reason, st_.message};
  ConditionValue stalled{false, reason, st_.message};
  if (deleting_) {
    progressing.status = true;
  } else if (reason == "NoTargets") {
    stalled.status = true;
  } else {
    switch (st_.phase) {
      case Phase::Succeeded:
        ready.status = true;
        break;
      case Phase::Progressing:
        progressing.status = true;
        break;
      case Phase::RolledBack:
      case Phase::Failed:
        stalled.status = true;
        break;
      case Phase::Pending:
      case Phase::Paused:
        break;
    }
  }
  int64_t generation = in_.rollout.generation;
  setCondition(st_.conditions, kConditionReady, ready, generation, now_);
  setCondition(st_.conditions, kConditionProgressing, progressing, generation, now_);
  setCondition(st_.conditions, kConditionStalled, stalled, generation, now_);
}

void PlanContext::phaseEvent() {
  if (phaseEventDone_ || deleting_ || st_.phase == prev_.phase) return;
  std::string reason = phaseReason_;
  if (reason.empty()) {
    switch (st_.phase) {
      case Phase::Progressing:
        reason = prev_.phase == Phase::Paused ? "Resumed" : "RolloutStarted";
        break;
      case Phase::Paused:
        reason = subReason_;
        break;
      default:
        reason = toString(st_.phase);
    }
  }
  bool warning = st_.phase == Phase::RolledBack || st_.phase == Phase::Failed ||
                 subReason_ == "AnalysisInconclusive";
  event(warning ? PlannedEvent::Type::Warning : PlannedEvent::Type::Normal, reason, st_.message);
}

void PlanContext::requeue() {
  if (deleting_ || spec_ == nullptr || spec_->paused) return;
  out_.analysisDue = analysisDueNow();
  std::optional<base::TimePoint> next;
  if (st_.phase == Phase::Progressing || st_.phase == Phase::Paused) {
    auto end = windowEnd();
    if (end && now_ < *end) next = end;
  }
  if (auto deadline = waveDeadline(); deadline && *deadline > now_ &&
                                      workloadStillRollingOut() != nullptr &&
                                      (!next || *deadline < *next)) {
    next = deadline;  // a StatefulSet or DaemonSet that never rolls out is noticed in time
  }
  if (analysisActive() && st_.analysis.lastRunAt) {
    auto at = *st_.analysis.lastRunAt +
              std::chrono::duration_cast<base::Duration>(spec_->analysis->interval);
    if (at > now_ && (!next || at < *next)) next = at;
  }
  if (next) out_.requeueAfter = *next - in_.now;
}

}  // namespace tro::controllers::detail
