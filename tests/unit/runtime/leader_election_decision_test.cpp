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

const base::MonoTime kM0 = base::MonoTime{} + std::chrono::hours(100);

// What a candidate saw of `l` for the last `seenFor`.
std::optional<LeaseObservation> seen(const Json& l, base::MonoTime now, base::Duration seenFor) {
  return LeaseObservation{leaseRecord(l), now - seenFor};
}

TEST(DecideLease, Table) {
  const LeaseNow now{kT0 + seconds(30), kM0 + seconds(30)};
  struct Case {
    std::string name;
    std::optional<Json> current;
    std::optional<base::MonoTime> lastRenewed;
    std::optional<base::Duration> seenFor;  // the same record observed for this long
    LeaseAction action;
    int transitions;  // of the lease to write; -1 when nothing is written
    bool acquireTimeIsNow;
  } cases[] = {
      {"absent: create", std::nullopt, std::nullopt, std::nullopt, LeaseAction::Create, 0, true},
      {"absent while leading: recreate", std::nullopt, now.mono - seconds(2), std::nullopt,
       LeaseAction::Create, 0, true},
      {"ours while leading: renew", lease("op-1", now.wall - seconds(2)), now.mono - seconds(2),
       seconds(2), LeaseAction::Renew, 2, false},
      {"ours after restart: renew", lease("op-1", now.wall - seconds(5)), std::nullopt,
       std::nullopt, LeaseAction::Renew, 2, false},
      {"other, seen 5s: wait", lease("op-2", now.wall - seconds(5)), std::nullopt, seconds(5),
       LeaseAction::Wait, -1, false},
      {"other, first seen, renewTime long past: wait", lease("op-2", now.wall - seconds(3600)),
       std::nullopt, std::nullopt, LeaseAction::Wait, -1, false},
      {"other, seen 14s: wait", lease("op-2", now.wall - seconds(14)), std::nullopt, seconds(14),
       LeaseAction::Wait, -1, false},
      {"other, seen unchanged for its 15s: acquire", lease("op-2", now.wall - seconds(15)),
       std::nullopt, seconds(15), LeaseAction::Acquire, 3, true},
      {"other, renewTime ahead of our clock but seen 16s: acquire",
       lease("op-2", now.wall + seconds(3600)), std::nullopt, seconds(16), LeaseAction::Acquire, 3,
       true},
      {"released: acquire", lease("", now.wall - seconds(1)), std::nullopt, std::nullopt,
       LeaseAction::Acquire, 3, true},
      {"other, bad renewTime: acquire", lease("op-2", now.wall), std::nullopt, std::nullopt,
       LeaseAction::Acquire, 3, true},
      {"leading but other recorded: lost", lease("op-2", now.wall - seconds(1)),
       now.mono - seconds(2), std::nullopt, LeaseAction::Lost, -1, false},
      {"leading, renew deadline passed: lost", lease("op-1", now.wall - seconds(10)),
       now.mono - seconds(10), seconds(10), LeaseAction::Lost, -1, false},
      {"leading, just before renew deadline: renew", lease("op-1", now.wall - seconds(9)),
       now.mono - seconds(9), seconds(9), LeaseAction::Renew, 2, false},
  };
  for (auto& c : cases) {
    if (c.name == "other, bad renewTime: acquire") {
      c.current = lease("op-2", now.wall);
      (*c.current)["spec"]["renewTime"] = "bad";
    }
    SCOPED_TRACE(c.name);
    std::optional<LeaseObservation> observed;
    if (c.seenFor) observed = seen(*c.current, now.mono, *c.seenFor);
    LeaseDecision d = decideLease(c.current, config(), now, c.lastRenewed, observed);
    EXPECT_EQ(d.action, c.action);
    if (c.current) {
      EXPECT_EQ(d.holder, (*c.current)["spec"]["holderIdentity"]);
      ASSERT_TRUE(d.observed.has_value());
      EXPECT_EQ(d.observed->record, leaseRecord(*c.current));
      EXPECT_EQ(d.observed->since, observed ? observed->since : now.mono);
    } else {
      EXPECT_FALSE(d.observed.has_value());
    }
    if (c.transitions < 0) {
      EXPECT_TRUE(d.lease.is_null());
      continue;
    }
    const Json& spec = d.lease.at("spec");
    EXPECT_EQ(spec.at("holderIdentity"), "op-1");
    EXPECT_EQ(spec.at("leaseDurationSeconds"), 15);
    EXPECT_EQ(spec.at("renewTime"), base::formatRfc3339Micro(now.wall));
    EXPECT_EQ(spec.at("leaseTransitions"), c.transitions);
    EXPECT_EQ(spec.at("acquireTime") == base::formatRfc3339Micro(now.wall), c.acquireTimeIsNow);
    EXPECT_EQ(d.lease.at("metadata").at("name"), "op-leader");
    EXPECT_EQ(d.lease.at("metadata").at("namespace"), "default");
    if (c.current) {
      EXPECT_EQ(d.lease.at("metadata").at("resourceVersion"), "72");
    }
  }
}

// A renewal changes the record: the wait starts again from when it was seen.
TEST(DecideLease, ARenewalSeenRestartsTheExpiry) {
  const LeaseNow now{kT0 + seconds(30), kM0 + seconds(30)};
  const Json before = lease("op-2", kT0);
  const Json renewed = lease("op-2", kT0 + seconds(2));
  auto d = decideLease(renewed, config(), now, std::nullopt, seen(before, now.mono, seconds(60)));
  ASSERT_EQ(d.action, LeaseAction::Wait);
  EXPECT_EQ(d.observed->since, now.mono);
  EXPECT_EQ(d.expiresAt, now.mono + seconds(15));
}

// A slow read that brings a fresh renewal: the wait counts from the answer, not from before the
// request (else the GET's own duration would count as time the renewal sat unchanged).
TEST(DecideLease, ANewRecordCountsFromWhenTheReadWasAnswered) {
  const LeaseNow now{kT0 + seconds(30), kM0 + seconds(30), kM0 + seconds(37)};
  const Json fresh = lease("op-2", kT0 + seconds(36));
  auto d = decideLease(fresh, config(), now, std::nullopt, std::nullopt);
  ASSERT_EQ(d.action, LeaseAction::Wait);
  EXPECT_EQ(d.observed->since, kM0 + seconds(37));
  EXPECT_EQ(d.expiresAt, kM0 + seconds(52));
}

TEST(DecideLease, WaitReportsExpiry) {
  const LeaseNow now{kT0 + seconds(3), kM0 + seconds(3)};
  const Json l = lease("op-2", kT0);
  auto d = decideLease(l, config(), now, std::nullopt, seen(l, now.mono, seconds(3)));
  ASSERT_EQ(d.action, LeaseAction::Wait);
  EXPECT_EQ(d.expiresAt, kM0 + seconds(15));
}

// Another holder's Lease is outside input: a duration at the edge of the clock must not overflow
// the expiry (it saturates: such a lease is never taken over before its holder releases it, as
// with any very long lease).
TEST(DecideLease, ExtremeLeasesDoNotOverflowTheExpiry) {
  for (const auto& [renewTime, duration] :
       std::vector<std::pair<std::string, Json>>{{"2261-12-31T23:59:59.000000Z", 2147483647},
                                                 {"2026-11-21T05:00:00.000000Z", INT64_MAX},
                                                 {"1677-09-22T00:00:00.000000Z", INT64_MIN}}) {
    Json l = lease("op-2", kT0);
    l["spec"]["renewTime"] = renewTime;
    l["spec"]["leaseDurationSeconds"] = duration;
    SCOPED_TRACE(renewTime);
    const LeaseNow now{kT0, base::MonoTime::max() - seconds(5)};
    LeaseDecision d = decideLease(l, config(), now, std::nullopt, std::nullopt);
    if (duration.get<int64_t>() < 0) {
      EXPECT_EQ(d.action, LeaseAction::Acquire);  // a negative duration counts as 0: expired
    } else {
      EXPECT_EQ(d.action, LeaseAction::Wait);
      EXPECT_GT(d.expiresAt, now.mono);
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
