#include "kubesim/world/rollout_math.h"

#include <gtest/gtest.h>

#include "kubesim/world/json_util.h"
#include "kubesim/world/template_hash.h"

namespace kubesim::world {
namespace {

struct IntOrPercentCase {
  Json value;
  int total;
  bool roundUp;
  int want;
};

TEST(RolloutMathTest, ResolveIntOrPercent) {
  const IntOrPercentCase cases[] = {
      {Json(2), 10, true, 2},      {Json("25%"), 3, true, 1},   {Json("25%"), 3, false, 0},
      {Json("25%"), 10, true, 3},  {Json("25%"), 10, false, 2}, {Json("100%"), 4, false, 4},
      {Json("0%"), 5, true, 0},    {Json("abc"), 5, true, 7},   {Json("-5%"), 5, true, 7},
      {Json(nullptr), 5, true, 7}, {Json("%"), 5, true, 7},     {Json("50%"), 5, true, 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(resolveIntOrPercent(c.value, c.total, c.roundUp, 7), c.want) << c.value.dump();
  }
}

TEST(RolloutMathTest, Fenceposts) {
  struct Case {
    const char* spec;
    Fenceposts want;
  };
  const Case cases[] = {
      {R"({"replicas": 3})", {1, 0}},
      {R"({"replicas": 10})", {3, 2}},
      {R"({"replicas": 4, "strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}})",
       {0, 1}},
      {R"({"replicas": 4, "strategy": {"rollingUpdate": {"maxSurge": "50%", "maxUnavailable": 1}}})",
       {2, 1}},
      {R"({"replicas": 5, "strategy": {"type": "Recreate"}})", {0, 5}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(resolveFenceposts(Json::parse(c.spec)), c.want) << c.spec;
  }
}

TEST(RolloutMathTest, NewReplicaSetSize) {
  struct Case {
    int desired, surge, specTotal, newSpec, want;
  };
  const Case cases[] = {
      {3, 1, 3, 0, 1},  // the reference trace: new ReplicaSet created at 1
      {3, 1, 4, 1, 1},  // surge used up
      {3, 1, 3, 1, 2},  // one old replica gone
      {3, 3, 0, 0, 3},  // first rollout: everything at once
      {3, 0, 2, 0, 1},  // maxSurge 0: only what was scaled down
      {3, 1, 2, 2, 3},  // never above desired
  };
  for (const auto& c : cases) {
    EXPECT_EQ(newReplicaSetSize(c.desired, c.surge, c.specTotal, c.newSpec), c.want)
        << c.desired << "/" << c.surge << "/" << c.specTotal << "/" << c.newSpec;
  }
}

TEST(RolloutMathTest, ScaleDownBudgets) {
  // desired 3, maxUnavailable 0, old 3 + new 1 not yet available: nothing may go.
  EXPECT_EQ(maxScaledDown(3, 0, 4, 1, 0), 0);
  // the new replica became available: one old replica may go.
  EXPECT_EQ(maxScaledDown(3, 0, 4, 1, 1), 1);
  EXPECT_EQ(availableScaleDown(3, 0, 4), 1);
  EXPECT_EQ(availableScaleDown(3, 0, 2), 0);
  EXPECT_EQ(availableScaleDown(4, 1, 4), 1);
}

TEST(TemplateHashTest, SafeEncodeUsesTheKubernetesAlphabet) {
  EXPECT_EQ(safeEncode("0123456789"), "456789bcdf");  // '0' is 48: 48 % 27 = 21 -> '4'
  EXPECT_EQ(fnv32a(""), 2166136261u);
  EXPECT_EQ(fnv32a("a"), 0xe40c292cu);
}

TEST(TemplateHashTest, StableAndIgnoresItsOwnLabel) {
  Json t = Json::parse(
      R"({"metadata": {"labels": {"app": "shop"}}, "spec": {"containers": [{"name": "app", "image": "shop:1"}]}})");
  const std::string h = podTemplateHash(t);
  EXPECT_FALSE(h.empty());
  EXPECT_EQ(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"), std::string::npos);
  Json labelled = t;
  labelled["metadata"]["labels"]["pod-template-hash"] = h;
  EXPECT_EQ(podTemplateHash(labelled), h);
  Json changed = t;
  changed["spec"]["containers"][0]["env"] =
      Json::parse(R"([{"name": "FEATURE_OTEL", "value": "true"}])");
  EXPECT_NE(podTemplateHash(changed), h);
}

class StatusTest : public ::testing::Test {
 protected:
  tro::base::TimePoint t0 = parseRfc3339("2026-11-21T05:48:31Z");
  Json deployment(int generation, const Json& status) {
    return Json{{"metadata", {{"name", "shop"}, {"generation", generation}}},
                {"spec", {{"replicas", 3}, {"progressDeadlineSeconds", 8}}},
                {"status", status}};
  }
};

TEST_F(StatusTest, CompleteRolloutIsNewReplicaSetAvailable) {
  Json old = Json::parse(
      R"({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "readyReplicas": 4, "availableReplicas": 4, "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": "x", "lastUpdateTime": "2026-11-21T05:48:30Z", "lastTransitionTime": "2026-11-21T05:48:00Z"}]})");
  StatusInput in{deployment(2, old), "shop-abc", {3, 3, 3, 3, 3}, {1, 0}, t0};
  Json s = computeDeploymentStatus(in);
  EXPECT_EQ(s["replicas"], 3);
  EXPECT_FALSE(s.contains("unavailableReplicas"));
  ASSERT_EQ(s["conditions"].size(), 2u);
  EXPECT_EQ(s["conditions"][0]["type"], "Available");
  EXPECT_EQ(s["conditions"][0]["message"], "Deployment has minimum availability.");
  const Json& p = s["conditions"][1];
  EXPECT_EQ(p["reason"], "NewReplicaSetAvailable");
  EXPECT_EQ(p["message"], "ReplicaSet \"shop-abc\" has successfully progressed.");
  EXPECT_EQ(p["lastTransitionTime"], "2026-11-21T05:48:00Z");  // status stayed True
  EXPECT_EQ(p["lastUpdateTime"], "2026-11-21T05:48:31Z");
  EXPECT_TRUE(deploymentComplete(in.deployment, s));
}

TEST_F(StatusTest, ProgressRefreshesUpdateTimeAndKeepsTransitionTime) {
  Json old = Json::parse(
      R"({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 1, "readyReplicas": 3, "availableReplicas": 3, "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetCreated", "message": "x", "lastUpdateTime": "2026-11-21T05:48:00Z", "lastTransitionTime": "2026-11-21T05:48:00Z"}]})");
  StatusInput in{deployment(2, old), "shop-abc", {4, 4, 1, 4, 4}, {1, 0}, t0};
  Json s = computeDeploymentStatus(in);
  const Json& p = s["conditions"].back();
  EXPECT_EQ(p["reason"], "ReplicaSetUpdated");
  EXPECT_EQ(p["message"], "ReplicaSet \"shop-abc\" is progressing.");
  EXPECT_EQ(p["lastUpdateTime"], "2026-11-21T05:48:31Z");
  EXPECT_EQ(p["lastTransitionTime"], "2026-11-21T05:48:00Z");
}

TEST_F(StatusTest, NoProgressPastTheDeadlineTimesOut) {
  Json old = Json::parse(
      R"({"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "unavailableReplicas": 2, "conditions": [{"type": "Progressing", "status": "True", "reason": "NewReplicaSetCreated", "message": "x", "lastUpdateTime": "2026-11-21T05:48:20Z", "lastTransitionTime": "2026-11-21T05:48:20Z"}]})");
  Json d = deployment(1, old);
  d["spec"]["replicas"] = 2;
  // 8 s deadline from 05:48:20: not yet at :28, exceeded at :31.
  StatusInput early{d, "stuck-x", {2, 2, 2, 0, 0}, {1, 0}, parseRfc3339("2026-11-21T05:48:28Z")};
  Json e = computeDeploymentStatus(early);
  ASSERT_EQ(e["conditions"].size(), 2u);
  EXPECT_EQ(e["conditions"][0]["reason"], "NewReplicaSetCreated");  // untouched, stays first
  EXPECT_EQ(e["conditions"][1]["reason"], "MinimumReplicasUnavailable");
  StatusInput late{d, "stuck-x", {2, 2, 2, 0, 0}, {1, 0}, t0};
  Json s = computeDeploymentStatus(late);
  EXPECT_EQ(s["unavailableReplicas"], 2);
  EXPECT_FALSE(s.contains("readyReplicas"));
  const Json& a = s["conditions"][0];
  EXPECT_EQ(a["status"], "False");
  EXPECT_EQ(a["reason"], "MinimumReplicasUnavailable");
  EXPECT_EQ(a["message"], "Deployment does not have minimum availability.");
  const Json& p = s["conditions"][1];
  EXPECT_EQ(p["status"], "False");
  EXPECT_EQ(p["reason"], "ProgressDeadlineExceeded");
  EXPECT_EQ(p["message"], "ReplicaSet \"stuck-x\" has timed out progressing.");
  EXPECT_EQ(p["lastTransitionTime"], "2026-11-21T05:48:31Z");
}

TEST(JsonUtilTest, ReplicaCountsAreClamped) {
  struct Case {
    const char* json;
    int want;
  };
  const Case cases[] = {
      {R"({"r": 3})", 3},
      {R"({"r": 0})", 0},
      {R"({"r": -5})", 0},
      {R"({"r": 2147483647})", kMaxSimulatedReplicas},
      {R"({"r": 18446744073709551615})", kMaxSimulatedReplicas},
      {R"({"r": 1e300})", kMaxSimulatedReplicas},
      {R"({"r": -1e300})", 0},
      {R"({"r": 2.7})", 2},
      {R"({"r": "3"})", 1},  // not a number: the fallback
      {R"({})", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(replicasAt(Json::parse(c.json), Json::json_pointer("/r"), 1), c.want) << c.json;
  }
  EXPECT_EQ(intAt(Json::parse(R"({"r": 1e300})"), Json::json_pointer("/r")), INT64_MAX);
  EXPECT_EQ(resolveIntOrPercent(Json(-3), 10, true, 7), 0);
  EXPECT_EQ(resolveIntOrPercent(Json(1000000000), 10, true, 7), kMaxSimulatedReplicas);
  EXPECT_EQ(resolveIntOrPercent(Json("99999999999%"), 1000, true, 7), kMaxSimulatedReplicas);
  EXPECT_EQ(resolveFenceposts(Json::parse(R"({"replicas": -5})")), (Fenceposts{0, 1}));
}

TEST(JsonUtilTest, Rfc3339RoundTrip) {
  const auto t = parseRfc3339("2026-11-21T05:48:31Z");
  EXPECT_EQ(tro::base::formatRfc3339(t), "2026-11-21T05:48:31Z");
  EXPECT_EQ(tro::base::formatRfc3339(t + std::chrono::milliseconds(999)), "2026-11-21T05:48:31Z");
  EXPECT_EQ(parseRfc3339("garbage"), tro::base::TimePoint{});
}

}  // namespace
}  // namespace kubesim::world
