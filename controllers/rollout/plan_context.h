#pragma once
// Internal to the planner (planner.cpp, plan_progress.cpp, plan_finish.cpp): the state of one
// plan() call. Pure: it reads the PlanInput and builds a Plan, nothing else.

#include <map>
#include <string>
#include <vector>

#include "controllers/rollout/plan.h"

namespace tro::controllers::detail {

class PlanContext {
 public:
  explicit PlanContext(const PlanInput& input);
  PlanContext(const PlanContext&) = delete;  // st_ refers into out_
  PlanContext& operator=(const PlanContext&) = delete;
  Plan run();

 private:
  // planner.cpp: the top-level flow and the terminal paths.
  void deletion();
  void invalidSpec();
  void restart(const std::string& reason, const std::string& message);
  void classifyTargets();
  void manualControls();
  bool checkHealthBreach();
  // While a wave step runs: when its StatefulSets and DaemonSets must have rolled out by
  // (spec.strategy.progressDeadlineSeconds from the step's start); nullopt in other steps.
  std::optional<base::TimePoint> waveDeadline() const;
  // An enabled StatefulSet or DaemonSet of this wave still rolling out; null when none.
  const TargetObservation* workloadStillRollingOut() const;
  void startRollback(RollbackRecord record);
  void rolledBack();
  void restoreDeparted();
  void noTargets();

  // plan_progress.cpp: steps, waves and analysis.
  void start();
  void enterStep(int index);
  void progress();
  bool waveActions(int step);
  bool stepComplete(int step);
  bool pauseComplete(const Step& step);
  bool consumeVerdict();
  bool analysisActive() const;
  bool analysisDueNow() const;
  bool analysisHolds() const;
  bool holdForAnalysis();
  std::optional<base::TimePoint> windowEnd() const;

  // plan_finish.cpp: status fields derived from the decisions, conditions, events, requeue.
  void finish();
  void targetStatuses();
  void conditions();
  void phaseEvent();
  void requeue();

  // helpers
  bool ours(const TargetObservation& t) const { return t.claimedBy == key_; }
  bool oursEnabled(const TargetObservation& t) const {
    return ours(t) && t.state == TargetObservation::State::Enabled;
  }
  bool anyOursEnabled() const;
  const TargetAction* actionFor(const std::string& name) const;
  void addAction(TargetAction action);
  void event(PlannedEvent::Type type, std::string reason, std::string message,
             std::string deployment = "");
  std::string stepLabel(int step) const;  // "step 2/6"
  std::string configHash(int step) const;

  const PlanInput& in_;
  const RolloutSpec* spec_ = nullptr;  // null when the spec is invalid
  RolloutStatus prev_;
  Plan out_;
  RolloutStatus& st_;
  base::TimePoint now_;
  std::string key_;
  std::vector<const TargetObservation*> eligible_;  // selected, not in conflict, name order
  std::map<std::string, std::string> conflicts_;    // selected Deployment -> why
  std::string subReason_;                           // condition reason for the current state
  std::string phaseReason_;  // event reason for a phase transition (default: by phase)
  bool phaseEventDone_ = false;
  bool deleting_ = false;
  bool promote_ = false;  // an unhandled promote annotation, usable by the current pause
};

}  // namespace tro::controllers::detail
