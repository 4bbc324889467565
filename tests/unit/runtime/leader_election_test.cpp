#include "operator/runtime/leader_election.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "operator/base/rfc3339.h"

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"
#include "tests/support/in_process_api.h"

namespace tro::runtime {
namespace {

using std::chrono::seconds;
using testing::apiError;
using testing::eventually;
using testing::InProcessApi;
using testing::Verb;

LeaderElectionConfig config(const std::string& identity, bool releaseOnCancel = true) {
  LeaderElectionConfig c;
  c.ns = "default";
  c.name = "op-leader";
  c.identity = identity;
  c.releaseOnCancel = releaseOnCancel;
  return c;
}

struct Counts {
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
  LeaderCallbacks callbacks() {
    return {[this] { started++; }, [this] { stopped++; }};
  }
};

std::string storedLeaseRenewTime(InProcessApi& api) {
  // Not through a subclass' get(): a test's own read must not take a slowed GET.
  auto lease = api.InProcessApi::get(kube::resources::leases(), "default", "op-leader");
  return lease.ok() ? lease->value(kube::Json::json_pointer("/spec/renewTime"), "") : "";
}

class LeaderElectionTest : public ::testing::Test {
 protected:
  kube::Json storedLease() {
    return api.get(kube::resources::leases(), "default", "op-leader").value();
  }
  LeaseAction tick(LeaderElector& e) {
    auto r = e.tick();
    EXPECT_TRUE(r.ok()) << r.error().toString();
    return r.ok() ? *r : LeaseAction::Wait;
  }
  base::SimulatedClock clock;
  InProcessApi api;
};

TEST_F(LeaderElectionTest, FirstCandidateCreatesTheLeaseAndRenews) {
  Counts counts;
  LeaderElector a(api, clock, config("op-1"), counts.callbacks());
  EXPECT_EQ(tick(a), LeaseAction::Create);
  EXPECT_TRUE(a.isLeader());
  EXPECT_EQ(counts.started.load(), 1);
  auto created = storedLease();
  EXPECT_EQ(created["spec"]["holderIdentity"], "op-1");
  EXPECT_EQ(created["spec"]["renewTime"], base::formatRfc3339Micro(clock.now()));
  clock.advance(seconds(2));
  EXPECT_EQ(tick(a), LeaseAction::Renew);
  auto renewed = storedLease();
  EXPECT_EQ(renewed["spec"]["renewTime"], base::formatRfc3339Micro(clock.now()));
  EXPECT_EQ(renewed["spec"]["acquireTime"], created["spec"]["acquireTime"]);
  EXPECT_EQ(counts.started.load(), 1);
}

TEST_F(LeaderElectionTest, OtherTakesOverOnlyAfterExpiry) {
  Counts countsA, countsB;
  LeaderElector a(api, clock, config("op-1"), countsA.callbacks());
  LeaderElector b(api, clock, config("op-2"), countsB.callbacks());
  EXPECT_EQ(tick(a), LeaseAction::Create);
  EXPECT_EQ(tick(b), LeaseAction::Wait);
  clock.advance(seconds(2));
  EXPECT_EQ(tick(a), LeaseAction::Renew);  // a's last renewal: renewTime = t2
  EXPECT_EQ(tick(b), LeaseAction::Wait);
  EXPECT_EQ(b.observedHolder(), "op-1");
  // a stops renewing. b keeps trying every retryPeriod and must not win before t2 + 15s.
  for (int t = 4; t <= 16; t += 2) {
    clock.advance(seconds(2));
    EXPECT_EQ(tick(b), LeaseAction::Wait) << "at t=" << t;
    EXPECT_FALSE(b.isLeader());
  }
  clock.advance(seconds(2));  // t18 > t2 + 15s
  EXPECT_EQ(tick(b), LeaseAction::Acquire);
  EXPECT_TRUE(b.isLeader());
  EXPECT_EQ(countsB.started.load(), 1);
  auto lease = storedLease();
  EXPECT_EQ(lease["spec"]["holderIdentity"], "op-2");
  EXPECT_EQ(lease["spec"]["leaseTransitions"], 1);
  EXPECT_EQ(lease["spec"]["acquireTime"], base::formatRfc3339Micro(clock.now()));
  // a wakes up: its renew deadline has passed, it steps down without writing.
  EXPECT_EQ(tick(a), LeaseAction::Lost);
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(countsA.stopped.load(), 1);
  EXPECT_EQ(storedLease()["spec"]["holderIdentity"], "op-2");
}

TEST_F(LeaderElectionTest, ConcurrentWriteConflictsAndLosesTheRace) {
  LeaderElector a(api, clock, config("op-1"));
  EXPECT_EQ(tick(a), LeaseAction::Create);
  clock.advance(seconds(20));  // a's lease expired; a no longer counts as leader either
  EXPECT_EQ(tick(a), LeaseAction::Lost);
  // b read the lease, then someone else renewed it before b's PUT: 409, b stays a candidate.
  kube::Json stale = storedLease();
  auto other = stale;
  other["spec"]["holderIdentity"] = "op-3";
  other["spec"]["renewTime"] = base::formatRfc3339Micro(clock.now());
  ASSERT_TRUE(api.update(kube::resources::leases(), "default", other, {}).ok());
  // b has seen a's lease unchanged for longer than its duration.
  const LeaseObservation seenLong{leaseRecord(stale), clock.monotonicNow() - seconds(16)};
  auto d = decideLease(stale, config("op-2"), {clock.now(), clock.monotonicNow()}, std::nullopt,
                       seenLong);
  ASSERT_EQ(d.action, LeaseAction::Acquire);
  auto written = api.update(kube::resources::leases(), "default", d.lease, {});
  ASSERT_FALSE(written.ok());
  EXPECT_TRUE(kube::isConflict(written.error()));
  // Through the elector: an injected conflict is a failed attempt, not leadership.
  LeaderElector b(api, clock, config("op-2"));
  EXPECT_EQ(tick(b), LeaseAction::Wait);  // op-3's renewal, first seen now
  clock.advance(seconds(16));
  api.failNext(Verb::Update, apiError(409, "Conflict", "the object has been modified"));
  auto r = b.tick();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(kube::isConflict(r.error()));
  EXPECT_FALSE(b.isLeader());
  EXPECT_EQ(tick(b), LeaseAction::Acquire);
  EXPECT_TRUE(b.isLeader());
}

TEST_F(LeaderElectionTest, RenewFailuresForRenewDeadlineLoseLeadership) {
  Counts counts;
  LeaderElector a(api, clock, config("op-1"), counts.callbacks());
  EXPECT_EQ(tick(a), LeaseAction::Create);
  api.failNext(Verb::Get, apiError(503, "ServiceUnavailable", "apiserver down"), 10);
  for (int t = 2; t < 10; t += 2) {
    clock.advance(seconds(2));
    EXPECT_FALSE(a.tick().ok());
    EXPECT_TRUE(a.isLeader()) << "at t=" << t;
  }
  clock.advance(seconds(2));  // t10: renewDeadline since the last renewal
  EXPECT_FALSE(a.tick().ok());
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(counts.stopped.load(), 1);
}

TEST_F(LeaderElectionTest, ReleaseLetsAnotherAcquireImmediately) {
  LeaderElector a(api, clock, config("op-1"));
  LeaderElector b(api, clock, config("op-2"));
  EXPECT_EQ(tick(a), LeaseAction::Create);
  EXPECT_EQ(tick(b), LeaseAction::Wait);
  ASSERT_TRUE(a.release().ok());
  EXPECT_FALSE(a.isLeader());
  auto released = storedLease();
  EXPECT_EQ(released["spec"]["holderIdentity"], "");
  EXPECT_EQ(released["spec"]["leaseDurationSeconds"], 1);
  EXPECT_EQ(tick(b), LeaseAction::Acquire);  // no time has passed
  EXPECT_TRUE(b.isLeader());
  EXPECT_EQ(storedLease()["spec"]["leaseTransitions"], 1);
  EXPECT_EQ(storedLease()["spec"]["leaseDurationSeconds"], 15);
}

TEST_F(LeaderElectionTest, LoopsLeadAndHandOverOnStop) {
  Counts countsA, countsB;
  LeaderElector a(api, clock, config("op-1"), countsA.callbacks());
  LeaderElector b(api, clock, config("op-2"), countsB.callbacks());
  a.start();  // each elector has two threads waiting on the clock: its loop and its watchdog
  ASSERT_TRUE(eventually([&] { return a.isLeader() && clock.waiters() == 2; }));
  b.start();
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 4; }));
  EXPECT_FALSE(b.isLeader());
  EXPECT_EQ(b.observedHolder(), "op-1");

  clock.advance(seconds(2));  // a renews, b waits
  ASSERT_TRUE(eventually([&] {
    return clock.waiters() == 4 &&
           storedLease()["spec"]["renewTime"] == base::formatRfc3339Micro(clock.now());
  }));
  EXPECT_FALSE(b.isLeader());

  a.stop();  // releases the lease
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(countsA.stopped.load(), 1);
  EXPECT_EQ(storedLease()["spec"]["holderIdentity"], "");
  clock.advance(seconds(2));  // b's next retry, far before the 15 s lease would expire
  // The callback runs just after isLeader() turns true: wait for both.
  ASSERT_TRUE(eventually([&] { return b.isLeader() && countsB.started.load() == 1; }));
  b.stop();
  EXPECT_FALSE(b.isLeader());
}

TEST_F(LeaderElectionTest, StopWithoutReleaseLeavesTheLeaseToExpire) {
  LeaderElector a(api, clock, config("op-1", /*releaseOnCancel=*/false));
  a.start();
  ASSERT_TRUE(eventually([&] { return a.isLeader(); }));
  a.stop();
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(storedLease()["spec"]["holderIdentity"], "op-1");
}

// A fake API server whose Lease updates hang while held, like a renewal stuck in a partition.
class HangingUpdates final : public InProcessApi {
 public:
  void hold() {
    std::lock_guard l(mu_);
    held_ = true;
  }
  void release() {
    std::lock_guard l(mu_);
    held_ = false;
    cv_.notify_all();
  }
  int hanging() const {
    std::lock_guard l(mu_);
    return hanging_;
  }
  kube::Result<kube::Json> update(const kube::ResourceType& type, const std::string& ns,
                                  const kube::Json& object,
                                  const kube::WriteOptions& options) override {
    {
      std::unique_lock l(mu_);
      ++hanging_;
      cv_.wait(l, [&] { return !held_; });
      --hanging_;
    }
    return InProcessApi::update(type, ns, object, options);
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
  int hanging_ = 0;
};

TEST(LeaderElectionWatchdog, AHangingRenewalEndsLeadershipAtTheRenewDeadline) {
  base::SimulatedClock clock;
  HangingUpdates api;
  Counts counts;
  LeaderElector a(api, clock, config("op-1"), counts.callbacks());  // renew deadline 10 s
  struct ReleaseOnExit {  // a failed ASSERT must not leave ~LeaderElector joining a held request
    HangingUpdates& api;
    ~ReleaseOnExit() { api.release(); }
  } releaseOnExit{api};
  a.start();
  ASSERT_TRUE(eventually([&] { return a.isLeader() && clock.waiters() == 2; }));
  const auto renewed = clock.now();

  api.hold();
  clock.advance(seconds(2));  // the loop's renewal hangs
  ASSERT_TRUE(eventually([&] { return api.hanging() == 1; }));
  clock.advance(seconds(7));  // 9 s after the last renewal: still leading
  EXPECT_TRUE(a.isLeader());
  clock.advanceTo(renewed + seconds(10));  // the renew deadline, the request still hanging
  ASSERT_TRUE(eventually([&] { return !a.isLeader(); }))
      << "a leader whose renewal hangs must stop leading at the renew deadline";
  EXPECT_EQ(counts.stopped.load(), 1);
  EXPECT_EQ(api.hanging(), 1);

  // The renewal (sent at 2 s) is answered at 12 s, after its own renew deadline: too late to
  // count, so it gives no leadership.
  clock.advanceTo(renewed + seconds(12));
  api.release();
  ASSERT_TRUE(eventually([&] { return api.hanging() == 0 && clock.waiters() == 2; }));
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(counts.started.load(), 1);
  EXPECT_NE(a.lastError().find("after the renew deadline"), std::string::npos) << a.lastError();
  a.stop();
}

// A fake API server whose next Lease GET takes `slowBy` of simulated time.
class SlowGet final : public InProcessApi {
 public:
  explicit SlowGet(base::SimulatedClock& clock) : clock_(clock) {}
  void slowNextGet(base::Duration by) { slowBy_ = by; }
  kube::Result<kube::Json> get(const kube::ResourceType& type, const std::string& ns,
                               const std::string& name) override {
    if (auto by = slowBy_.exchange(base::Duration::zero()); by > base::Duration::zero())
      clock_.advance(by);
    return InProcessApi::get(type, ns, name);
  }

 private:
  base::SimulatedClock& clock_;
  std::atomic<base::Duration> slowBy_{base::Duration::zero()};
};

TEST(LeaderElectionWatchdog, TheDeadlineCountsFromTheRenewTimeTheLeaseCarries) {
  base::SimulatedClock clock;
  SlowGet api(clock);
  Counts counts;
  LeaderElector a(api, clock, config("op-1"), counts.callbacks());  // renew deadline 10 s
  a.start();
  ASSERT_TRUE(eventually([&] { return a.isLeader() && clock.waiters() == 2; }));
  const auto start = clock.now();

  // The renewal at 2 s stamps renewTime 2 s, but its GET takes until 7 s; then every GET fails.
  api.slowNextGet(seconds(5));
  clock.advance(seconds(2));
  ASSERT_TRUE(eventually([&] {
    return clock.waiters() == 2 &&
           storedLeaseRenewTime(api) == base::formatRfc3339Micro(start + seconds(2));
  })) << storedLeaseRenewTime(api)
      << " " << a.lastError();
  EXPECT_EQ(clock.now(), start + seconds(7));
  api.failNext(Verb::Get, apiError(503, "ServiceUnavailable", "apiserver down"), 100);
  clock.advanceTo(start + seconds(11));
  EXPECT_TRUE(a.isLeader());
  clock.advanceTo(start + seconds(12));  // the renewal's stamp + renew deadline
  EXPECT_TRUE(eventually([&] { return !a.isLeader(); }))
      << "leadership must end 10 s after the renewTime written, not after the write was sent";
  a.stop();
}

// A candidate whose GET is slow counts a fresh renewal from when the answer came: it must not
// take over a lease its holder renewed while the request was on its way.
TEST(LeaderElectionWatchdog, ASlowReadDoesNotShortenTheCandidatesWait) {
  base::SimulatedClock clock;
  SlowGet candidateApi(clock);
  auto holderApi = candidateApi.share();  // the holder's client of the same server
  LeaderElector a(*holderApi, clock, config("op-1"));
  LeaderElector b(candidateApi, clock, config("op-2"));
  const auto start = clock.now();
  ASSERT_EQ(a.tick().value(), LeaseAction::Create);
  candidateApi.slowNextGet(seconds(7));  // b's read is answered 7 s after it was sent
  ASSERT_EQ(b.tick().value(), LeaseAction::Wait);
  ASSERT_EQ(clock.now(), start + seconds(7));
  // a stops renewing. Counted from before the read, its lease would look expired at 15 s.
  clock.advanceTo(start + seconds(21));
  EXPECT_EQ(b.tick().value(), LeaseAction::Wait) << "15 s from the answer at 7 s: not yet";
  clock.advanceTo(start + seconds(23));
  EXPECT_EQ(b.tick().value(), LeaseAction::Acquire);
}

TEST(LeaderElectionWatchdog, RenewalsInTimeKeepLeadershipPastManyDeadlines) {
  base::SimulatedClock clock;
  InProcessApi api;
  Counts counts;
  LeaderElector a(api, clock, config("op-1"), counts.callbacks());
  a.start();
  ASSERT_TRUE(eventually([&] { return a.isLeader() && clock.waiters() == 2; }));
  for (int i = 0; i < 12; ++i) {  // 24 s: past two renew deadlines of the first renewal
    clock.advance(seconds(2));
    ASSERT_TRUE(eventually([&] {
      return clock.waiters() == 2 &&
             storedLeaseRenewTime(api) == base::formatRfc3339Micro(clock.now());
    }));
  }
  EXPECT_TRUE(a.isLeader());
  EXPECT_EQ(counts.stopped.load(), 0);
  a.stop();
}

}  // namespace
}  // namespace tro::runtime
