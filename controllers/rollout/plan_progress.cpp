// Steps, waves and analysis verdicts (see planner.h for the rules).

#include "controllers/analysis/policy.h"
#include "controllers/rollout/annotations.h"
#include "controllers/rollout/plan_context.h"
#include "controllers/rollout/targets.h"
#include "operator/base/duration.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers::detail {
namespace {

const char* outcomeName(analysis::Outcome outcome) {
  switch (outcome) {
    case analysis::Outcome::Successful:
      return "Successful";
    case analysis::Outcome::Failed:
      return "Failed";
    case analysis::Outcome::Inconclusive:
      return "Inconclusive";
  }
  return "Unknown";
}

std::vector<CheckSummary> summarize(const std::vector<analysis::CheckResult>& checks) {
  std::vector<CheckSummary> out;
  for (const auto& c : checks) {
    const bool passed = c.outcome == analysis::Outcome::Successful;
    out.push_back({c.reason.check, outcomeName(c.outcome), c.reason.value, c.reason.threshold,
                   passed ? std::string() : c.reason.message});
  }
  return out;
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

void PlanContext::start() {
  st_.phase = Phase::Progressing;
  phaseReason_ = "RolloutStarted";
  enterStep(0);
}

void PlanContext::enterStep(int index) {
  st_.currentStep = index;
  st_.stepStartedAt = now_;
  if (index >= static_cast<int>(spec_->steps.size())) return;
  const Step& step = spec_->steps[index];
  if (step.kind == Step::Kind::SetWeight) {
    int wave = waveSize(step.weight, static_cast<int>(eligible_.size()));
    event(PlannedEvent::Type::Normal, "WaveStarted",
          stepLabel(index) + ": enabling " + std::to_string(step.weight) + "% (" +
              std::to_string(wave) + " of " + std::to_string(eligible_.size()) + " Deployments)");
  } else if (step.kind == Step::Kind::SetEnv) {
    event(PlannedEvent::Type::Normal, "ConfigChanged",
          stepLabel(index) + ": rolling the new configuration to every enabled Deployment");
  } else if (step.pause) {
    event(PlannedEvent::Type::Normal, "WindowStarted",
          stepLabel(index) + ": canary window of " + base::formatDuration(*step.pause) +
              " started, ends " + base::formatRfc3339(now_ + *step.pause));
  }
}

void PlanContext::progress() {
  const int steps = static_cast<int>(spec_->steps.size());
  if (promote_ &&
      (st_.currentStep >= steps || spec_->steps[st_.currentStep].kind != Step::Kind::Pause)) {
    promote_ = false;
    event(PlannedEvent::Type::Normal, "PromoteIgnored",
          "promote ignored: the rollout is not in a pause step");
  }
  for (int guard = 0; guard <= steps; ++guard) {
    if (st_.currentStep >= steps) {
      st_.phase = Phase::Succeeded;
      subReason_ = "Succeeded";
      st_.message = "all " + std::to_string(steps) + " steps done";
      waveActions(steps - 1);  // Deployments that start matching later join at the last weight
      return;
    }
    int step = st_.currentStep;
    if (waveActions(step)) {
      subReason_ = "WaveRollingOut";
      st_.message = stepLabel(step) + ": enabling telemetry on " +
                    std::to_string(out_.actions.size()) + " Deployment(s)";
      return;
    }
    if (!stepComplete(step)) return;
    enterStep(step + 1);
  }
}

// Adds an Enabled action for each Deployment that should carry this step's configuration and
// does not yet; true when it added any.
bool PlanContext::waveActions(int step) {
  const auto& steps = spec_->steps;
  int wave = waveSize(weightAt(steps, step), static_cast<int>(eligible_.size()));
  bool setEnv =
      step >= 0 && step < static_cast<int>(steps.size()) && steps[step].kind == Step::Kind::SetEnv;
  std::string hash = configHash(step);
  // A Deployment carrying a later step's configuration got it from a process that was killed
  // between its writes and its status write (status comes last): it is ahead, not wrong, and
  // writing it back would undo what that later step writes again (found by the crash trials).
  auto ahead = [&](const std::string& carried) {
    if (carried == hash) return false;
    for (int k = step + 1; k < static_cast<int>(steps.size()); ++k) {
      if (configHash(k) == carried) return true;
    }
    return false;
  };
  bool added = false;
  for (int i = 0; i < static_cast<int>(eligible_.size()); ++i) {
    const TargetObservation& t = *eligible_[i];
    bool wanted = i < wave || (setEnv && oursEnabled(t));
    if (!wanted || (oursEnabled(t) && (t.configHash == hash || ahead(t.configHash)))) continue;
    addAction({t.name, TargetForm::Enabled, false, step, hash});
    added = true;
  }
  return added;
}

bool PlanContext::stepComplete(int step) {
  const Step& s = spec_->steps[step];
  if (s.kind == Step::Kind::Pause) return pauseComplete(s);
  if (holdForAnalysis()) return false;
  std::vector<std::string> waiting;
  for (const auto* t : eligible_) {
    if (oursEnabled(*t) && t->health.state != RolloutHealth::State::Healthy)
      waiting.push_back(t->name);
  }
  if (!waiting.empty()) {
    subReason_ = "WaveRollingOut";
    st_.message = stepLabel(step) + ": waiting for " + joinNames(waiting) + " to roll out";
    return false;
  }
  event(PlannedEvent::Type::Normal, "StepCompleted",
        stepLabel(step) + ": every enabled Deployment is healthy");
  return true;
}

bool PlanContext::pauseComplete(const Step& step) {
  std::string label = stepLabel(st_.currentStep);
  if (promote_) {
    promote_ = false;
    event(PlannedEvent::Type::Normal, "Promoted", label + ": promoted by annotation");
    return true;
  }
  if (!step.pause) {
    st_.phase = Phase::Paused;
    subReason_ = "AwaitingPromotion";
    st_.message = label + ": waiting for the " + annotations::kPromote + " annotation";
    return false;
  }
  if (holdForAnalysis()) return false;
  base::TimePoint end = *windowEnd();
  subReason_ = "CanaryWindow";
  if (now_ < end) {
    st_.message = label + ": canary window until " + base::formatRfc3339(end);
    return false;
  }
  const auto& lastRun = st_.analysis.lastRunAt;
  if (analysisActive() && !(lastRun && *lastRun >= end)) {
    st_.message = label + ": canary window ended; waiting for the final analysis";
    return false;
  }
  event(PlannedEvent::Type::Normal, "WindowPassed", label + ": canary window passed");
  return true;
}

// Counts the verdict (analysis::decide, policy.h) and returns true when it started a rollback.
bool PlanContext::consumeVerdict() {
  if (!in_.verdict || !analysisDueNow()) return false;
  const analysis::Verdict& v = *in_.verdict;
  AnalysisStatus& a = st_.analysis;
  const AnalysisSpec& spec = *spec_->analysis;
  analysis::Decision d =
      analysis::decide(v, {a.totalFailures, a.consecutiveInconclusive},
                       {spec.failureLimit, spec.onInconclusive, in_.inconclusiveLimit});
  std::string before = a.lastOutcome;
  a.lastRunAt = now_;
  a.lastOutcome = outcomeName(v.outcome);
  a.checks = summarize(v.checks);
  a.totalFailures = d.counters.failures;
  a.consecutiveInconclusive = d.counters.consecutiveInconclusive;
  a.consecutiveFailures = v.outcome == analysis::Outcome::Failed ? a.consecutiveFailures + 1 : 0;
  if (d.action == analysis::Action::Rollback) {
    bool failed = v.outcome == analysis::Outcome::Failed;
    startRollback({failed ? "AnalysisFailed" : "AnalysisInconclusive", v.reason.check,
                   v.reason.value, v.reason.threshold, now_, d.message});
    return true;
  }
  bool firstOfKind = before != a.lastOutcome;
  if (v.outcome == analysis::Outcome::Failed) {
    event(PlannedEvent::Type::Warning, "AnalysisFailed", d.message);
  } else if (v.outcome == analysis::Outcome::Inconclusive && firstOfKind &&
             spec.onInconclusive == InconclusivePolicy::Continue) {
    event(PlannedEvent::Type::Warning, "AnalysisInconclusive", d.message);
  } else if (v.outcome == analysis::Outcome::Successful && !before.empty() && firstOfKind) {
    event(PlannedEvent::Type::Normal, "AnalysisRecovered", "analysis successful again");
  }
  return false;
}

bool PlanContext::analysisActive() const {
  if (deleting_ || spec_ == nullptr || !spec_->analysis || spec_->paused) return false;
  if (st_.phase != Phase::Progressing && st_.phase != Phase::Paused) return false;
  return st_.currentStep < static_cast<int>(spec_->steps.size()) && anyOursEnabled();
}

bool PlanContext::analysisDueNow() const {
  if (!analysisActive()) return false;
  if (in_.analysisRequested) return true;
  const auto& lastRun = st_.analysis.lastRunAt;
  if (!lastRun || now_ >= *lastRun + spec_->analysis->interval) return true;
  auto end = windowEnd();
  return end && now_ >= *end && *lastRun < *end;  // judge every window at its end
}

// True when the latest verdict forbids promotion.
bool PlanContext::analysisHolds() const {
  if (!analysisActive()) return false;
  const AnalysisStatus& a = st_.analysis;
  bool inconclusive = a.lastOutcome == "Inconclusive" &&
                      spec_->analysis->onInconclusive == InconclusivePolicy::Pause;
  return a.lastOutcome == "Failed" || inconclusive;
}

// analysisHolds(), and says so in status: Inconclusive under Pause pauses the rollout; a Failed
// verdict within failureLimit keeps it Progressing (analysis goes on) without promoting.
bool PlanContext::holdForAnalysis() {
  if (!analysisHolds()) return false;
  const AnalysisStatus& a = st_.analysis;
  // The first check that did not pass, with why (Prometheus unreachable, a PromQL error, the
  // breach): the message on-call reads to decide whether to wait, fix the query or abort.
  std::string check;
  for (const auto& c : a.checks) {
    if (c.outcome != "Successful" && check.empty()) {
      check = " (" + (c.message.empty() ? c.check : c.message) + ")";
    }
  }
  std::string label = stepLabel(st_.currentStep);
  if (a.lastOutcome == "Inconclusive") {
    st_.phase = Phase::Paused;
    subReason_ = "AnalysisInconclusive";
    st_.message = label + ": analysis inconclusive" + check + "; holding until it recovers";
  } else {
    subReason_ = "AnalysisFailed";
    st_.message = label + ": analysis failed" + check + ", " + std::to_string(a.totalFailures) +
                  " of failureLimit " + std::to_string(spec_->analysis->failureLimit) +
                  "; holding until it passes";
  }
  return true;
}

std::optional<base::TimePoint> PlanContext::windowEnd() const {
  if (spec_ == nullptr || !st_.stepStartedAt) return std::nullopt;
  if (st_.currentStep >= static_cast<int>(spec_->steps.size())) return std::nullopt;
  const Step& step = spec_->steps[st_.currentStep];
  if (step.kind != Step::Kind::Pause || !step.pause) return std::nullopt;
  return *st_.stepStartedAt + std::chrono::duration_cast<base::Duration>(*step.pause);
}

}  // namespace tro::controllers::detail
