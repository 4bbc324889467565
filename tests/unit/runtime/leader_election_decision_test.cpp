#include "operator/runtime/leader_election_decision.h"

#include <gtest/gtest.h>

namespace tro::runtime {
namespace {

using kube::Json;
using std::chrono::seconds;

const base::TimePoint kT0 = *parseMicroTime("2026-11-21T05:00:00.000000Z");

LeaderElectionConfig config() {
  LeaderElectionConfig c;
  c.ns = "default";
  c.name = "op-leader";
  c.identity = "op-1";
  return c;
}

Json lease(const std::string& holder, base::TimePoint renew, int transitions = 2) {
  return {
      {"apiVersion", "coordination.k8s.io/v1"},
      {"kind", "Lease"},
      {"metadata", {{"name", "op-leader"}, {"namespace", "default"}, {"resourceVersion", "72"}}},
      {"spec",
       {{"holderIdentity", holder},
        {"leaseDurationSeconds", 15},
        {"acquireTime", formatMicroTime(kT0 - seconds(100))},
        {"renewTime", formatMicroTime(renew)},
        {"leaseTransitions", transitions}}}};
}

TEST(MicroTime, FormatsLikeTheApiServer) {
  EXPECT_EQ(formatMicroTime(kT0), "2026-11-21T05:00:00.000000Z");
  EXPECT_EQ(formatMicroTime(kT0 + std::chrono::microseconds(123456) + seconds(180)),
            "2026-11-21T05:03:00.123456Z");
  EXPECT_EQ(formatMicroTime(kT0 + std::chrono::nanoseconds(999)), "2026-11-21T05:00:00.000000Z");
}

TEST(MicroTime, Parses) {
  struct Case {
    std::string text;
    std::optional<base::Duration> sinceT0;
  } cases[] = {
      {"2026-11-21T05:00:00.000000Z", seconds(0)},
      {"2026-11-21T05:03:00.123456Z", seconds(180) + std::chrono::microseconds(123456)},
      {"2026-11-21T05:03:00Z", seconds(180)},
      {"2026-11-21T05:03:00.5Z", seconds(180) + std::chrono::milliseconds(500)},
      {"2026-11-22T00:00:00.000001Z", std::chrono::hours(19) + std::chrono::microseconds(1)},
      {"2026-11-21T05:03:00.123456", std::nullopt},
      {"2026-11-21T05:03:00.Z", std::nullopt},
      {"2026-13-21T05:03:00Z", std::nullopt},
      {"2026-11-21 05:03:00Z", std::nullopt},
      {"", std::nullopt},
      {"garbage", std::nullopt},
  };
  for (const auto& c : cases) {
    auto parsed = parseMicroTime(c.text);
    ASSERT_EQ(parsed.has_value(), c.sinceT0.has_value()) << c.text;
    if (parsed) {
      EXPECT_EQ(*parsed - kT0, *c.sinceT0) << c.text;
    }
  }
}

TEST(DecideLease, Table) {
  const auto now = kT0 + seconds(30);
  struct Case {
    std::string name;
    std::optional<Json> current;
    std::optional<base::TimePoint> lastRenewed;
    LeaseAction action;
    int transitions;  // of the lease to write; -1 when nothing is written
    bool acquireTimeIsNow;
  } cases[] = {
      {"absent: create", std::nullopt, std::nullopt, LeaseAction::Create, 0, true},
      {"absent while leading: recreate", std::nullopt, now - seconds(2), LeaseAction::Create, 0,
       true},
      {"ours while leading: renew", lease("op-1", now - seconds(2)), now - seconds(2),
       LeaseAction::Renew, 2, false},
      {"ours after restart: renew", lease("op-1", now - seconds(5)), std::nullopt,
       LeaseAction::Renew, 2, false},
      {"other, fresh: wait", lease("op-2", now - seconds(5)), std::nullopt, LeaseAction::Wait, -1,
       false},
      {"other, exactly at expiry: wait", lease("op-2", now - seconds(15)), std::nullopt,
       LeaseAction::Wait, -1, false},
      {"other, expired: acquire", lease("op-2", now - seconds(16)), std::nullopt,
       LeaseAction::Acquire, 3, true},
      {"released: acquire", lease("", now - seconds(1)), std::nullopt, LeaseAction::Acquire, 3,
       true},
      {"other, bad renewTime: acquire", lease("op-2", now), std::nullopt, LeaseAction::Acquire, 3,
       true},
      {"leading but other recorded: lost", lease("op-2", now - seconds(1)), now - seconds(2),
       LeaseAction::Lost, -1, false},
      {"leading, renew deadline passed: lost", lease("op-1", now - seconds(10)), now - seconds(10),
       LeaseAction::Lost, -1, false},
      {"leading, just before renew deadline: renew", lease("op-1", now - seconds(9)),
       now - seconds(9), LeaseAction::Renew, 2, false},
  };
  for (auto& c : cases) {
    if (c.name == "other, bad renewTime: acquire") {
      c.current = lease("op-2", now);
      (*c.current)["spec"]["renewTime"] = "bad";
    }
    SCOPED_TRACE(c.name);
    LeaseDecision d = decideLease(c.current, config(), now, c.lastRenewed);
    EXPECT_EQ(d.action, c.action);
    if (c.current) {
      EXPECT_EQ(d.holder, (*c.current)["spec"]["holderIdentity"]);
    }
    if (c.transitions < 0) {
      EXPECT_TRUE(d.lease.is_null());
      continue;
    }
    const Json& spec = d.lease.at("spec");
    EXPECT_EQ(spec.at("holderIdentity"), "op-1");
    EXPECT_EQ(spec.at("leaseDurationSeconds"), 15);
    EXPECT_EQ(spec.at("renewTime"), formatMicroTime(now));
    EXPECT_EQ(spec.at("leaseTransitions"), c.transitions);
    EXPECT_EQ(spec.at("acquireTime") == formatMicroTime(now), c.acquireTimeIsNow);
    EXPECT_EQ(d.lease.at("metadata").at("name"), "op-leader");
    EXPECT_EQ(d.lease.at("metadata").at("namespace"), "default");
    if (c.current) {
      EXPECT_EQ(d.lease.at("metadata").at("resourceVersion"), "72");
    }
  }
}

TEST(DecideLease, WaitReportsExpiry) {
  auto d = decideLease(lease("op-2", kT0), config(), kT0 + seconds(3), std::nullopt);
  ASSERT_EQ(d.action, LeaseAction::Wait);
  EXPECT_EQ(d.expiresAt, kT0 + seconds(15));
}

TEST(ReleasedLease, ClearsHolderAndShortensDuration) {
  Json released = releasedLease(lease("op-1", kT0), kT0 + seconds(4));
  EXPECT_EQ(released["spec"]["holderIdentity"], "");
  EXPECT_EQ(released["spec"]["leaseDurationSeconds"], 1);
  EXPECT_EQ(released["spec"]["leaseTransitions"], 2);
  EXPECT_EQ(released["spec"]["renewTime"], formatMicroTime(kT0 + seconds(4)));
  EXPECT_EQ(released["metadata"]["resourceVersion"], "72");
}

}  // namespace
}  // namespace tro::runtime
