// The shared alert poll's pure part: which rollouts read alerts, from which source, and which of
// them an answer concerns (controllers/rollout/alert_sources.h).

#include <gtest/gtest.h>

#include "controllers/rollout/alert_sources.h"
#include "tests/unit/controllers/gated_rollout_fixture.h"

namespace tro::controllers {
namespace {

using kube::Json;
using namespace std::chrono_literals;

Json rollout(const std::string& ns, const std::string& name, const std::string& phase,
             Json prometheus, Json alerts = Json::array({{{"name", "HighErrorRate"}}})) {
  return testing::gatedRolloutJson(ns, name, phase, std::move(prometheus), std::move(alerts));
}

const Json& kPlain = testing::kPlainPrometheus;

std::vector<TypedRolloutPtr> typed(const std::vector<Json>& rollouts) {
  std::vector<TypedRolloutPtr> out;
  for (const auto& r : rollouts) out.push_back(typeRollout(std::make_shared<const Json>(r)));
  return out;
}

TEST(AlertSourceKey, SharesAnswersOnlyBetweenRolloutsAskingTheSameWay) {
  AnalysisSpec plain;
  plain.prometheusAddress = "http://prometheus.monitoring:9090";
  AnalysisSpec provider;
  provider.provider = "default";
  AnalysisSpec bearer = plain;
  bearer.authorization = PrometheusAuthorization{AuthType::Bearer, "prom-token"};
  AnalysisSpec basic = plain;
  basic.authorization = PrometheusAuthorization{AuthType::Basic, "prom-token"};
  AnalysisSpec ca = plain;
  ca.caSecret = SecretKeySelector{"prom-ca", "ca.crt"};

  EXPECT_EQ(alertSourceKey("shop", plain), alertSourceKey("web", plain))
      << "no credentials: anyone may ask the same way";
  EXPECT_EQ(alertSourceKey("shop", provider), alertSourceKey("web", provider))
      << "an admin-defined provider is one source";
  EXPECT_NE(alertSourceKey("shop", provider), alertSourceKey("shop", plain));
  EXPECT_NE(alertSourceKey("shop", bearer), alertSourceKey("web", bearer))
      << "one namespace's credentials never serve another";
  EXPECT_NE(alertSourceKey("shop", bearer), alertSourceKey("shop", plain));
  EXPECT_NE(alertSourceKey("shop", bearer), alertSourceKey("shop", basic));
  EXPECT_NE(alertSourceKey("shop", ca), alertSourceKey("web", ca));
  EXPECT_EQ(alertSourceKey("shop", bearer), alertSourceKey("shop", bearer));
}

TEST(AlertSources, GroupsTheRolloutsAnalysingNowBySource) {
  Json paused = rollout("shop", "spec-paused", "Progressing", kPlain);
  paused["spec"]["paused"] = true;
  Json pausedOddly = rollout("shop", "paused-not-bool", "Progressing", kPlain);
  pausedOddly["spec"]["paused"] = "yes";  // hostile: an invalid spec, never a crash
  const std::vector<Json> rollouts = {
      rollout("shop", "a", "Progressing", kPlain),
      rollout("web", "b", "Paused", kPlain),
      rollout("shop", "c", "Progressing", {{"provider", "default"}}),
      rollout("shop", "d", "Progressing",
              {{"address", "http://prometheus.monitoring:9090"},
               {"authorization", {{"type", "Bearer"}, {"secretRef", {{"name", "t"}}}}}}),
      rollout("shop", "done", "Succeeded", kPlain),
      rollout("shop", "rolled-back", "RolledBack", kPlain),
      rollout("shop", "new", "", kPlain),
      rollout("shop", "no-alerts", "Progressing", kPlain, Json::array()),
      paused,
      pausedOddly,
      {{"metadata", {{"namespace", "shop"}, {"name", "invalid"}}},
       {"spec", "oops"},
       {"status", {{"phase", "Progressing"}}}},
  };
  auto sources = alertSources(typed(rollouts));
  ASSERT_EQ(sources.size(), 3u);
  std::map<std::string, std::vector<std::string>> keys;
  for (const auto& [key, source] : sources) {
    EXPECT_EQ(source.key, key);
    for (const auto& r : source.rollouts) keys[key].push_back(r.key);
  }
  AnalysisSpec plain;
  plain.prometheusAddress = "http://prometheus.monitoring:9090";
  AnalysisSpec provider;
  provider.provider = "default";
  EXPECT_EQ(keys[alertSourceKey("shop", plain)], (std::vector<std::string>{"shop/a", "web/b"}));
  EXPECT_EQ(keys[alertSourceKey("shop", provider)], (std::vector<std::string>{"shop/c"}));
}

analysis::Alert alert(const std::string& name, analysis::Labels labels, const std::string& state,
                      std::optional<base::TimePoint> activeAt = std::nullopt) {
  labels["alertname"] = name;
  return {name, labels, state, activeAt, std::nullopt};
}

TEST(AlertSources, BreachesAreFiringAlertsTheGatesSelectForLongEnough) {
  const base::TimePoint now{std::chrono::hours(1000)};
  const std::vector<Json> rollouts = {
      rollout("shop", "any", "Progressing", kPlain),
      rollout("shop", "slow", "Progressing", kPlain,
              Json::array({{{"name", "HighErrorRate"}, {"firingFor", "5m"}}})),
      rollout("web", "web-only", "Progressing", kPlain,
              Json::array({{{"name", "HighErrorRate"}, {"matchLabels", {{"namespace", "web"}}}}})),
  };
  auto sources = alertSources(typed(rollouts));
  ASSERT_EQ(sources.size(), 1u);
  const AlertSource& source = sources.begin()->second;

  struct Case {
    const char* name;
    std::vector<analysis::Alert> alerts;
    std::vector<std::string> woken;
  };
  const std::vector<Case> cases = {
      {"nothing firing", {}, {}},
      {"pending is not a breach",
       {alert("HighErrorRate", {{"namespace", "shop"}}, "pending", now - 10min)},
       {}},
      {"another alert", {alert("TelemetryPipelineStall", {}, "firing", now - 10min)}, {}},
      {"firing for a minute",
       {alert("HighErrorRate", {{"namespace", "shop"}}, "firing", now - 1min)},
       {"shop/any"}},
      {"firing for ten minutes",
       {alert("HighErrorRate", {{"namespace", "shop"}}, "firing", now - 10min)},
       {"shop/any", "shop/slow"}},
      {"in web",
       {alert("HighErrorRate", {{"namespace", "web"}}, "firing", now - 1min)},
       {"shop/any", "web/web-only"}},
      {"no activeAt counts as long enough",
       {alert("HighErrorRate", {{"namespace", "shop"}}, "firing")},
       {"shop/any", "shop/slow"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(rolloutsOf(breaches(source, c.alerts, now)), c.woken) << c.name;
  }
  // One entry per (rollout, alert): a second alert is a new breach of the same rollout.
  EXPECT_EQ(breaches(source,
                     {alert("HighErrorRate", {{"namespace", "shop"}}, "firing", now - 1min),
                      alert("HighErrorRate", {{"namespace", "shop"}, {"pod", "x"}}, "firing",
                            now - 1min)},
                     now)
                .size(),
            2u);
}

}  // namespace
}  // namespace tro::controllers
