#include <gtest/gtest.h>

#include "controllers/rollout/status.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace {

using namespace std::chrono_literals;
using kube::Json;

base::TimePoint at(const char* text) { return *base::parseRfc3339(text); }

RolloutStatus fullStatus() {
  RolloutStatus s;
  s.observedGeneration = 3;
  s.phase = Phase::RolledBack;
  s.currentStep = 2;
  s.stepStartedAt = at("2026-11-21T06:00:00Z");
  s.stepProgress = "3/6";
  s.targetProgress = "1/4";
  s.message = "rolled back";
  s.targets = {{"api", TargetState::RolledBack, "", ""},
               {"cart", TargetState::Enabled, "abc123", "rolling"},
               {"web", TargetState::Conflict, "", "claimed by TelemetryRollout shop/other"}};
  s.analysis.lastRunAt = at("2026-11-21T06:10:00Z");
  s.analysis.lastOutcome = "Failed";
  s.analysis.consecutiveFailures = 2;
  s.analysis.totalFailures = 3;
  s.analysis.consecutiveInconclusive = 1;
  s.analysis.checks = {
      {"query/error-rate", "Failed", 0.05, "max 0.02", "query/error-rate: 0.05 > max 0.02"},
      {"alert/HighErrorRate", "Successful", std::nullopt, "", ""}};
  s.rollback =
      RollbackRecord{"AnalysisFailed", "query/error-rate",         0.05,
                     "max 0.02",       at("2026-11-21T06:10:00Z"), "error-rate 0.05 > max 0.02"};
  s.handledControls = {"p1", "a1", ""};
  s.conditions = {{"Ready", "False", "RolledBack", "m", 3, at("2026-11-21T06:10:00Z")},
                  {"Stalled", "True", "RolledBack", "m", 3, at("2026-11-21T06:10:00Z")}};
  return s;
}

TEST(PlannerStatusJson, RoundTripsEveryField) {
  RolloutStatus s = fullStatus();
  auto back = statusFromJson(toJson(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(PlannerStatusJson, UsesTheDocumentedNames) {
  Json j = toJson(fullStatus());
  EXPECT_EQ(j["phase"], "RolledBack");
  EXPECT_EQ(j["currentStep"], 2);
  EXPECT_EQ(j["stepStartedAt"], "2026-11-21T06:00:00Z");
  EXPECT_EQ(j["stepProgress"], "3/6");
  EXPECT_EQ(j["targetProgress"], "1/4");
  EXPECT_EQ(j["targets"][1]["state"], "Enabled");
  EXPECT_EQ(j["targets"][1]["configHash"], "abc123");
  EXPECT_EQ(j["analysis"]["totalFailures"], 3);
  EXPECT_EQ(j["analysis"]["checks"][0]["value"], 0.05);
  EXPECT_EQ(j["rollback"]["check"], "query/error-rate");
  EXPECT_EQ(j["rollback"]["threshold"], "max 0.02");
  EXPECT_EQ(j["handledControls"]["abort"], "a1");
  EXPECT_FALSE(j["handledControls"].contains("retry"));
  EXPECT_EQ(j["conditions"][1]["type"], "Stalled");
  EXPECT_EQ(j["conditions"][1]["observedGeneration"], 3);
  EXPECT_EQ(j["conditions"][1]["lastTransitionTime"], "2026-11-21T06:10:00Z");
}

TEST(PlannerStatusJson, EmptyStatusIsTheDefault) {
  for (const Json& j : {Json(), Json::object()}) {
    auto s = statusFromJson(j);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, RolloutStatus{});
    EXPECT_EQ(s->phase, Phase::Pending);
  }
}

TEST(PlannerStatusJson, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"phase": "Sideways"})", "status.phase: unknown value \"Sideways\""},
           {R"({"currentStep": "two"})", "status.currentStep: must be an integer"},
           {R"({"currentStep": -1})", "status.currentStep: must not be negative"},
           {R"({"stepStartedAt": "yesterday"})", "status.stepStartedAt: not an RFC3339 time"},
           {R"({"targets": [{"name": "a", "state": "Bogus"}]})",
            "status.targets[0].state: unknown value \"Bogus\""},
           {R"({"targets": [{"state": "Enabled"}]})", "status.targets[0].name: Required value"},
           {R"({"targets": {}})", "status.targets: must be an array"},
           {R"({"analysis": {"checks": [{"value": "x"}]}})",
            "status.analysis.checks[0].value: must be a number"},
           {R"({"conditions": [{"lastTransitionTime": 5}]})",
            "status.conditions[0].lastTransitionTime: must be a string"},
           {R"([1, 2])", "status: must be an object"},
       }) {
    auto s = statusFromJson(Json::parse(c.json));
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_NE(s.error().message.find(c.want), std::string::npos)
        << c.json << " -> " << s.error().message;
  }
}

TEST(PlannerStatusNames, PhasesAndTargetStates) {
  EXPECT_STREQ(toString(Phase::Pending), "Pending");
  EXPECT_STREQ(toString(Phase::Progressing), "Progressing");
  EXPECT_STREQ(toString(Phase::Paused), "Paused");
  EXPECT_STREQ(toString(Phase::Succeeded), "Succeeded");
  EXPECT_STREQ(toString(Phase::RolledBack), "RolledBack");
  EXPECT_STREQ(toString(Phase::Failed), "Failed");
  EXPECT_STREQ(toString(TargetState::Restored), "Restored");
  EXPECT_STREQ(toString(TargetState::Conflict), "Conflict");
}

}  // namespace
}  // namespace tro::controllers
