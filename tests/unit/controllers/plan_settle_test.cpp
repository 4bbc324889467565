// A target's status tells what was done to it only once the API server acknowledged the write
// (issue: a refused PATCH left the target "Enabled" though the Deployment never changed).

#include "controllers/rollout/plan_settle.h"

#include <gtest/gtest.h>

namespace tro::controllers {
namespace {

Plan plannedEnablingOf(std::vector<std::string> names) {
  Plan p;
  for (const auto& n : names) {
    p.actions.push_back({n, TargetForm::Enabled, false, 0, "h1"});
    p.status.targets.push_back({n, TargetState::Enabled, "h1", ""});
    p.events.push_back({PlannedEvent::Type::Normal, "TargetEnabled", "enabled " + n, n});
  }
  p.events.push_back({PlannedEvent::Type::Normal, "WaveEnabled", "wave", ""});
  p.status.targetProgress = std::to_string(names.size()) + "/" + std::to_string(names.size());
  return p;
}

struct SettleCase {
  const char* name;
  std::optional<RolloutStatus> previous;
  std::map<std::string, WriteFailure> failed;
  std::vector<TargetStatus> wantTargets;
  std::vector<std::string> wantEventReasons;
  std::string wantProgress;
};

TEST(PlanSettle, OnlyAcknowledgedWritesChangeATargetsStatus) {
  RolloutStatus before;
  before.targets = {{"a", TargetState::Enabled, "h0", ""}, {"b", TargetState::Pending, "", ""}};
  const std::string refused = "Invalid (422): Deployment.apps \"a\" is invalid: cpu";
  const std::vector<SettleCase> cases = {
      {"all acknowledged",
       std::nullopt,
       {},
       {{"a", TargetState::Enabled, "h1", ""}, {"b", TargetState::Enabled, "h1", ""}},
       {"TargetEnabled", "TargetEnabled", "WaveEnabled"},
       "2/2"},
      {"first reconcile: a refused write stays Pending",
       std::nullopt,
       {{"a", {WriteFailure::Kind::Error, refused}}},
       {{"a", TargetState::Pending, "", "not acknowledged by the API server: " + refused},
        {"b", TargetState::Enabled, "h1", ""}},
       {"TargetEnabled", "WaveEnabled"},
       "1/2"},
      {"an update refused keeps the configuration last acknowledged",
       before,
       {{"a", {WriteFailure::Kind::Error, refused}}},
       {{"a", TargetState::Enabled, "h0", "not acknowledged by the API server: " + refused},
        {"b", TargetState::Enabled, "h1", ""}},
       {"TargetEnabled", "WaveEnabled"},
       "2/2"},
      {"an injection refused on the live object is a Conflict",
       before,
       {{"b", {WriteFailure::Kind::Conflict, "valueFrom"}}},
       {{"a", TargetState::Enabled, "h1", ""}, {"b", TargetState::Conflict, "", "valueFrom"}},
       {"TargetEnabled", "WaveEnabled"},
       "1/2"},
  };
  for (const auto& c : cases) {
    Plan p = plannedEnablingOf({"a", "b"});
    settleUnacknowledged(p, c.previous, c.failed, 2);
    EXPECT_EQ(p.status.targets, c.wantTargets) << c.name;
    std::vector<std::string> reasons;
    for (const auto& e : p.events) reasons.push_back(e.reason);
    EXPECT_EQ(reasons, c.wantEventReasons) << c.name;
    EXPECT_EQ(p.status.targetProgress, c.wantProgress) << c.name;
  }
}

TEST(PlanSettle, AHugeServerMessageIsCutToABoundedExcerpt) {
  Plan p = plannedEnablingOf({"a"});
  settleUnacknowledged(p, std::nullopt,
                       {{"a", {WriteFailure::Kind::Error, std::string(1 << 20, 'x')}}}, 1);
  EXPECT_LT(p.status.targets.at(0).message.size(), kTargetMessageBytes + 128);
}

}  // namespace
}  // namespace tro::controllers
