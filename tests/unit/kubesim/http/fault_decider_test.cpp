#include "kubesim/http/fault_decider.h"

#include <gtest/gtest.h>

#include <set>

namespace kubesim::http {
namespace {

RequestFacts facts(std::string verb, std::string resource, std::string name = "",
                   std::string group = "") {
  RequestFacts f;
  f.verb = std::move(verb);
  f.resource = std::move(resource);
  f.name = std::move(name);
  f.group = std::move(group);
  return f;
}

// The codes of `n` decisions for the same request.
std::vector<int> codes(FaultDecider& d, const RequestFacts& f, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    auto decision = d.decide(f);
    out.push_back(decision.error ? decision.error->code : 0);
  }
  return out;
}

TEST(FaultDecider, NoFaultsByDefault) {
  FaultDecider d{FaultSettings{}};
  for (int i = 0; i < 100; ++i) {
    auto decision = d.decide(facts("patch", "deployments", "web", "apps"));
    EXPECT_FALSE(decision.error);
    EXPECT_EQ(decision.latency.count(), 0);
    EXPECT_FALSE(decision.cutWatchAfter);
  }
}

TEST(FaultDecider, SameSeedSameSequenceOtherSeedOtherSequence) {
  FaultSettings s;
  s.errorShare = 0.5;
  FaultDecider a{s}, b{s};
  s.seed = 2;
  FaultDecider c{s};
  const auto f = facts("get", "pods", "p");
  auto seqA = codes(a, f, 64);
  EXPECT_EQ(seqA, codes(b, f, 64));
  EXPECT_NE(seqA, codes(c, f, 64));
}

TEST(FaultDecider, ShareIsRoughlyHonoured) {
  FaultSettings s;
  s.errorShare = 0.3;
  s.seed = 77;
  FaultDecider d{s};
  int faulted = 0;
  for (int code : codes(d, facts("list", "pods"), 2000)) faulted += code == 503 ? 1 : 0;
  EXPECT_GT(faulted, 500);
  EXPECT_LT(faulted, 700);
}

TEST(FaultDecider, VerbAndResourceFiltersScopeFaults) {
  FaultSettings s;
  s.errorShare = 1;
  s.verbs = {"list"};
  s.resources = {"deployments.apps", "pods"};
  FaultDecider d{s};
  EXPECT_TRUE(d.decide(facts("list", "deployments", "", "apps")).error);
  EXPECT_TRUE(d.decide(facts("list", "pods")).error);
  EXPECT_FALSE(d.decide(facts("get", "pods", "p")).error);                 // verb not listed
  EXPECT_FALSE(d.decide(facts("list", "configmaps")).error);               // resource not listed
  EXPECT_FALSE(d.decide(facts("list", "deployments", "", "x.io")).error);  // other group
  EXPECT_FALSE(d.decide(facts("get", "")).error);                          // discovery
}

TEST(FaultDecider, ErrorsAreWordedAsTheApiServerDoes) {
  const ApiError tooMany = injectedError(429, 0);
  EXPECT_EQ(tooMany.reason, "TooManyRequests");
  EXPECT_EQ(tooMany.retryAfterSeconds, 1);  // a 429 always says when to come back
  EXPECT_EQ(tooMany.toStatus()["details"]["retryAfterSeconds"], 1);
  const ApiError unavailable = injectedError(503, 0);
  EXPECT_EQ(unavailable.reason, "ServiceUnavailable");
  EXPECT_FALSE(unavailable.retryAfterSeconds);
  EXPECT_EQ(injectedError(503, 4).retryAfterSeconds, 4);
  const ApiError internal = injectedError(500, 0);
  EXPECT_EQ(internal.reason, "InternalError");
  EXPECT_EQ(internal.message, "Internal error occurred: kubesim: injected fault");
  ASSERT_EQ(internal.causes.size(), 1u);

  const Json conflict =
      spuriousConflict(facts("update", "gadgets", "g1", "example.test")).toStatus();
  EXPECT_EQ(conflict["message"],
            "Operation cannot be fulfilled on gadgets.example.test \"g1\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  EXPECT_EQ(conflict["details"],
            (Json{{"name", "g1"}, {"group", "example.test"}, {"kind", "gadgets"}}));
  EXPECT_EQ(conflict["code"], 409);
}

TEST(FaultDecider, SpuriousConflictsOnlyOnWritesOfNamedObjects) {
  FaultSettings s;
  s.conflictShare = 1;
  FaultDecider d{s};
  for (const char* verb : {"update", "patch", "delete"}) {
    auto decision = d.decide(facts(verb, "deployments", "web", "apps"));
    ASSERT_TRUE(decision.error) << verb;
    EXPECT_EQ(decision.error->code, 409);
  }
  EXPECT_FALSE(d.decide(facts("create", "deployments", "", "apps")).error);
  EXPECT_FALSE(d.decide(facts("get", "deployments", "web", "apps")).error);
  EXPECT_FALSE(d.decide(facts("deletecollection", "pods")).error);
}

TEST(FaultDecider, WatchCutsOnlyWatchesWithinTheBound) {
  FaultSettings s;
  s.watchCutShare = 1;
  s.watchCutAfter = std::chrono::milliseconds(1000);
  FaultDecider d{s};
  EXPECT_FALSE(d.decide(facts("list", "pods")).cutWatchAfter);
  std::set<std::int64_t> distinct;
  for (int i = 0; i < 50; ++i) {
    auto cut = d.decide(facts("watch", "pods")).cutWatchAfter;
    ASSERT_TRUE(cut);
    EXPECT_GE(cut->count(), 0);
    EXPECT_LE(cut->count(), 1000);
    distinct.insert(cut->count());
  }
  EXPECT_GT(distinct.size(), 10u);  // random, not a constant
}

TEST(FaultDecider, LatencyAppliesToMatchingRequests) {
  FaultSettings s;
  s.latency = std::chrono::milliseconds(250);
  s.verbs = {"patch"};
  FaultDecider d{s};
  EXPECT_EQ(d.decide(facts("patch", "deployments", "w", "apps")).latency.count(), 250);
  EXPECT_EQ(d.decide(facts("get", "deployments", "w", "apps")).latency.count(), 0);
}

}  // namespace
}  // namespace kubesim::http
