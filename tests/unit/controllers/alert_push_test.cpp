// Alerts pushed by Alertmanager: the payload read as hostile input, the rollouts whose alert
// gates select a firing alert, and the planner analysing those at once.

#include <gtest/gtest.h>

#include "controllers/analysis/alertmanager_webhook.h"
#include "controllers/rollout/alert_push.h"
#include "controllers/rollout/analysis_requests.h"
#include "tests/unit/controllers/gated_rollout_fixture.h"

namespace tro::controllers {
namespace {

using kube::Json;

std::string payload(const Json& alerts) {
  return Json{{"version", "4"},
              {"groupKey", "{}:{alertname=\"HighErrorRate\"}"},
              {"status", "firing"},
              {"receiver", "telemetry-rollout-operator"},
              {"alerts", alerts}}
      .dump();
}

Json alert(const std::string& status, Json labels) {
  return {{"status", status},
          {"labels", std::move(labels)},
          {"annotations", Json::object()},
          {"startsAt", "2026-12-02T10:00:00.123456789Z"},
          {"endsAt", "0001-01-01T00:00:00Z"},
          {"fingerprint", "abc"}};
}

TEST(AlertmanagerWebhook, ReadsVersion4Payloads) {
  auto alerts = analysis::parseAlertmanagerWebhook(
      payload(Json::array({alert("firing", {{"alertname", "HighErrorRate"}, {"namespace", "shop"}}),
                           alert("resolved", {{"alertname", "TelemetryPipelineStall"}})})));
  ASSERT_TRUE(alerts.ok()) << alerts.error();
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].name, "HighErrorRate");
  EXPECT_EQ((*alerts)[0].state, "firing");
  EXPECT_EQ((*alerts)[0].labels.at("namespace"), "shop");
  EXPECT_TRUE((*alerts)[0].activeAt.has_value());
  EXPECT_EQ((*alerts)[1].state, "resolved");
}

TEST(AlertmanagerWebhook, RefusesWhatIsNotOneSayingWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "JSON"},
      {"[]", "not a JSON object"},
      {R"({"version":"3","alerts":[]})", "version must be \"4\""},
      {R"({"version":"4","alerts":{}})", "alerts must be an array"},
      {payload(Json::array({alert("firing", {{"severity", "page"}})})),
       "alerts[0] has no alertname label"},
      {payload(Json::array({alert("firing", {{"alertname", 1}})})),
       "alerts[0].labels.alertname is not a string"},
      {payload(Json::array({alert("pending", {{"alertname", "A"}})})), "alerts[0].status must be"},
      {payload(Json::array({Json::array()})), "alerts[0] is not an object"},
      {std::string(1 << 20, ' ') + "{}", "over the limit"},
      {std::string(100000, '[') + std::string(100000, ']'), "deep"},
  };
  for (const auto& [body, want] : cases) {
    auto parsed = analysis::parseAlertmanagerWebhook(body);
    ASSERT_FALSE(parsed.ok()) << want;
    EXPECT_NE(parsed.error().find(want), std::string::npos) << parsed.error();
    EXPECT_LT(parsed.error().size(), 400u);
  }
}

Json rollout(const std::string& ns, const std::string& name, Json alerts) {
  return testing::gatedRolloutJson(ns, name, "", testing::kPlainPrometheus, std::move(alerts));
}

TEST(AlertPush, SelectsTheRolloutsWhoseGatesSelectAFiringAlert) {
  const std::vector<Json> rollouts = {
      rollout("shop", "by-name", Json::array({{{"name", "HighErrorRate"}}})),
      rollout("shop", "by-namespace",
              Json::array({{{"name", "HighErrorRate"}, {"matchLabels", {{"namespace", "shop"}}}}})),
      rollout("web", "other-namespace",
              Json::array({{{"name", "HighErrorRate"}, {"matchLabels", {{"namespace", "web"}}}}})),
      rollout(
          "shop", "regex",
          Json::array({{{"name", "HighErrorRate"}, {"matchLabels", {{"severity", "=~pa.*"}}}}})),
      rollout("shop", "other-alert", Json::array({{{"name", "TelemetryPipelineStall"}}})),
      rollout("shop", "no-analysis", nullptr),
      {{"metadata", {{"namespace", "shop"}, {"name", "invalid"}}}, {"spec", "oops"}},
  };
  std::vector<TypedRolloutPtr> pointers;
  for (const auto& r : rollouts) pointers.push_back(typeRollout(std::make_shared<const Json>(r)));
  auto alerts = analysis::parseAlertmanagerWebhook(payload(Json::array(
      {alert("firing",
             {{"alertname", "HighErrorRate"}, {"namespace", "shop"}, {"severity", "page"}}),
       alert("resolved", {{"alertname", "TelemetryPipelineStall"}})})));
  ASSERT_TRUE(alerts.ok());
  EXPECT_EQ(rolloutsGatedBy(*alerts, pointers),
            (std::vector<std::string>{"shop/by-name", "shop/by-namespace", "shop/regex"}));
  auto resolvedOnly = analysis::parseAlertmanagerWebhook(
      payload(Json::array({alert("resolved", {{"alertname", "HighErrorRate"}})})));
  EXPECT_TRUE(rolloutsGatedBy(*resolvedOnly, pointers).empty()) << "a resolved alert asks nothing";
}

TEST(AnalysisRequests, AreTakenOnceAndBounded) {
  AnalysisRequests requests;
  EXPECT_FALSE(requests.take("shop/a"));
  EXPECT_TRUE(requests.request("shop/a"));
  EXPECT_TRUE(requests.request("shop/a"));
  EXPECT_TRUE(requests.take("shop/a"));
  EXPECT_FALSE(requests.take("shop/a")) << "a burst of pushes is one analysis";
}

}  // namespace
}  // namespace tro::controllers
