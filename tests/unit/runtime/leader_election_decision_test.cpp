#include "operator/runtime/leader_election_decision.h"

#include <gtest/gtest.h>

#include "operator/base/rfc3339.h"

namespace tro::runtime {
namespace {

using kube::Json;
using std::chrono::seconds;

const base::TimePoint kT0 = *base::parseRfc3339("2026-11-21T05:00:00.000000Z");

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
        {"acquireTime", base::formatRfc3339Micro(kT0 - seconds(100))},
        {"renewTime", base::formatRfc3339Micro(renew)},
        {"leaseTransitions", transitions}}}};
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
    EXPECT_EQ(spec.at("renewTime"), base::formatRfc3339Micro(now));
    EXPECT_EQ(spec.at("leaseTransitions"), c.transitions);
    EXPECT_EQ(spec.at("acquireTime") == base::formatRfc3339Micro(now), c.acquireTimeIsNow);
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

// Another holder's Lease is outside input: a duration or renewTime at the edge of the clock must
// not overflow the expiry (it saturates: such a lease is never taken over before its holder
// releases it, as with any very long lease).
TEST(DecideLease, ExtremeLeasesDoNotOverflowTheExpiry) {
  for (const auto& [renewTime, duration] :
       std::vector<std::pair<std::string, Json>>{{"2261-12-31T23:59:59.000000Z", 2147483647},
                                                 {"2026-11-21T05:00:00.000000Z", INT64_MAX},
                                                 {"1677-09-22T00:00:00.000000Z", INT64_MIN}}) {
    Json l = lease("op-2", kT0);
    l["spec"]["renewTime"] = renewTime;
    l["spec"]["leaseDurationSeconds"] = duration;
    SCOPED_TRACE(renewTime);
    LeaseDecision d = decideLease(l, config(), kT0, std::nullopt);
    if (duration.get<int64_t>() < 0) {
      EXPECT_EQ(d.action, LeaseAction::Acquire);  // a negative duration counts as 0: expired
    } else {
      EXPECT_EQ(d.action, LeaseAction::Wait);
      EXPECT_GT(d.expiresAt, kT0);
    }
  }
}

TEST(ReleasedLease, ClearsHolderAndShortensDuration) {
  Json released = releasedLease(lease("op-1", kT0), kT0 + seconds(4));
  EXPECT_EQ(released["spec"]["holderIdentity"], "");
  EXPECT_EQ(released["spec"]["leaseDurationSeconds"], 1);
  EXPECT_EQ(released["spec"]["leaseTransitions"], 2);
  EXPECT_EQ(released["spec"]["renewTime"], base::formatRfc3339Micro(kT0 + seconds(4)));
  EXPECT_EQ(released["metadata"]["resourceVersion"], "72");
}

}  // namespace
}  // namespace tro::runtime
