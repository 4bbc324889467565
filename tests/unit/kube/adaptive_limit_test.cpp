#include "operator/kube/transport/adaptive_limit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

AdaptiveLimitOptions options(int initial, int min = 1, int max = 64) {
  AdaptiveLimitOptions o;
  o.initial = initial;
  o.min = min;
  o.max = max;
  return o;
}

// One success of a request admitted while the limit was full (so the window is "in use").
void succeed(AdaptiveLimit& limit, nanoseconds latency) {
  limit.onSuccess(latency, limit.admission(limit.limit()));
}

void succeedWindow(AdaptiveLimit& limit, nanoseconds latency) {
  const int window = limit.limit();
  for (int i = 0; i < window; ++i) succeed(limit, latency);
}

// An overload of a request admitted just now (after any earlier decrease).
void overload(AdaptiveLimit& limit, std::optional<std::chrono::seconds> retryAfter = {},
              base::MonoTime now = {}) {
  limit.onOverload(retryAfter, now, limit.admission(limit.limit()));
}

TEST(AdaptiveLimit, NormalisesItsOptions) {
  EXPECT_EQ(AdaptiveLimit(options(0, 0, 0)).limit(), 1);
  EXPECT_EQ(AdaptiveLimit(options(100, 1, 64)).limit(), 64);
  EXPECT_EQ(AdaptiveLimit(options(2, 4, 8)).limit(), 4);
  EXPECT_EQ(AdaptiveLimit(options(5, 8, 2)).limit(), 8);  // max below min: min wins
}

struct LatencyCase {
  std::string name;
  AdaptiveLimitOptions options;
  std::vector<nanoseconds> latencies;  // successes, in order, each admitted at a full limit
  int expected;
};

TEST(AdaptiveLimit, AdaptsToLatenciesOneWindowAtATime) {
  const std::vector<LatencyCase> cases = {
      {"a window of steady latencies adds one", options(4), {10ms, 10ms, 10ms, 10ms}, 5},
      {"one short of a window holds", options(4), {10ms, 10ms, 10ms}, 4},
      {"two windows add two", options(4), std::vector<nanoseconds>(9, 10ms), 6},
      {"within tolerance x baseline still counts", options(4), {10ms, 20ms, 15ms, 20ms}, 5},
      {"one slow latency holds", options(4), {10ms, 10ms, 25ms, 10ms}, 4},
      {"half slow holds", options(4), {10ms, 10ms, 25ms, 25ms}, 4},
      {"all slow holds too: only an overload takes away", options(4), {10ms, 25ms, 25ms, 25ms}, 4},
      {"a faster answer lowers the baseline at once", options(4), {10ms, 10ms, 4ms, 10ms}, 4},
      {"latencies under the floor count as the floor", options(4), {0ms, 0ms, 1500us, 2ms}, 5},
      {"the ceiling holds", options(4, 1, 4), {10ms, 10ms, 10ms, 10ms}, 4},
      {"slow windows never go below where they started",
       options(3, 3, 8),
       {10ms, 10ms, 10ms, 30ms, 30ms, 30ms, 30ms, 50ms, 50ms, 50ms},  // up, hold, hold
       4},
  };
  for (const LatencyCase& c : cases) {
    SCOPED_TRACE(c.name);
    AdaptiveLimit limit(c.options);
    for (nanoseconds latency : c.latencies) succeed(limit, latency);
    EXPECT_EQ(limit.limit(), c.expected);
  }
}

TEST(AdaptiveLimit, ABaselineMovesUpToAServerThatStaysSlower) {
  AdaptiveLimit limit(options(4));
  succeedWindow(limit, 10ms);
  ASSERT_EQ(limit.limit(), 5);
  EXPECT_EQ(limit.baseline(), nanoseconds(10ms));

  succeedWindow(limit, 30ms);  // every answer above 2 x 10ms: growth stops
  EXPECT_EQ(limit.limit(), 5);
  EXPECT_EQ(limit.baseline(), nanoseconds(20ms));  // halfway up to the window's fastest

  succeedWindow(limit, 30ms);  // within 2 x 20ms: growth resumes
  EXPECT_EQ(limit.limit(), 6);
  EXPECT_EQ(limit.baseline(), nanoseconds(25ms));
}

TEST(AdaptiveLimit, ACallerThatNeverFillsTheLimitDoesNotRaiseIt) {
  AdaptiveLimit limit(options(1));
  for (int i = 0; i < 100; ++i) limit.onSuccess(10ms, limit.admission(1));  // one at a time
  // In use only at a limit of 1; the windows at 2 never grow.
  EXPECT_EQ(limit.limit(), 2);
}

TEST(AdaptiveLimit, ConcurrentOverloadsHalveOncePerWindow) {
  AdaptiveLimit limit(options(16));
  std::vector<AdaptiveLimit::Admission> inFlight;
  for (int i = 1; i <= 16; ++i) inFlight.push_back(limit.admission(i));
  for (const auto& admission : inFlight) limit.onOverload(std::nullopt, {}, admission);
  EXPECT_EQ(limit.limit(), 8);

  overload(limit);  // admitted after the decrease: a new window
  EXPECT_EQ(limit.limit(), 4);
}

struct OverloadCase {
  int initial;
  int min;
  int overloads;  // each admitted after the previous decrease
  int expected;
};

TEST(AdaptiveLimit, HalvesDownToTheFloor) {
  const std::vector<OverloadCase> cases = {
      {16, 1, 1, 8}, {16, 1, 4, 1}, {16, 1, 6, 1}, {9, 1, 1, 4}, {4, 3, 1, 3}, {1, 1, 1, 1},
  };
  for (const OverloadCase& c : cases) {
    SCOPED_TRACE(std::to_string(c.initial) + " min " + std::to_string(c.min) + " after " +
                 std::to_string(c.overloads));
    AdaptiveLimit limit(options(c.initial, c.min));
    for (int i = 0; i < c.overloads; ++i) overload(limit);
    EXPECT_EQ(limit.limit(), c.expected);
  }
}

TEST(AdaptiveLimit, SuccessesAdmittedBeforeAHalvingDoNotCount) {
  AdaptiveLimit limit(options(4));
  std::vector<AdaptiveLimit::Admission> before;
  for (int i = 1; i <= 4; ++i) before.push_back(limit.admission(i));
  overload(limit);
  ASSERT_EQ(limit.limit(), 2);
  for (const auto& admission : before) limit.onSuccess(10ms, admission);
  EXPECT_EQ(limit.limit(), 2);
  succeedWindow(limit, 10ms);
  EXPECT_EQ(limit.limit(), 3);
}

TEST(AdaptiveLimit, AnOverloadStartsANewWindow) {
  AdaptiveLimit limit(options(4));
  for (int i = 0; i < 3; ++i) succeed(limit, 10ms);
  overload(limit);
  ASSERT_EQ(limit.limit(), 2);
  succeed(limit, 10ms);
  EXPECT_EQ(limit.limit(), 2);
  succeed(limit, 10ms);
  EXPECT_EQ(limit.limit(), 3);
}

struct PauseCase {
  std::string name;
  std::optional<std::chrono::seconds> retryAfter;
  std::optional<std::chrono::seconds> pausedFor;  // from now; nullopt: never paused
};

TEST(AdaptiveLimit, RetryAfterPausesUntilNowPlusItsValueCapped) {
  const base::MonoTime now = base::MonoTime{} + 1000h;
  const std::vector<PauseCase> cases = {
      {"no Retry-After", std::nullopt, std::nullopt},
      {"2 seconds", 2s, 2s},
      {"at the cap", 60s, 60s},
      {"above the cap", 120s, 60s},
      {"zero", 0s, 0s},
      {"negative", -5s, 0s},
  };
  for (const PauseCase& c : cases) {
    SCOPED_TRACE(c.name);
    AdaptiveLimit limit(options(4));
    overload(limit, c.retryAfter, now);
    if (c.pausedFor) {
      EXPECT_EQ(limit.pausedUntil(), now + *c.pausedFor);
    } else {
      EXPECT_EQ(limit.pausedUntil(), std::nullopt);
    }
  }
}

TEST(AdaptiveLimit, APauseIsExtendedNeverShortened) {
  const base::MonoTime t0 = base::MonoTime{} + 1000h;
  AdaptiveLimit limit(options(16));
  overload(limit, 10s, t0);
  overload(limit, 2s, t0 + 1s);
  EXPECT_EQ(limit.pausedUntil(), t0 + 10s);
  overload(limit, 30s, t0 + 5s);
  EXPECT_EQ(limit.pausedUntil(), t0 + 35s);
}

TEST(AdaptiveLimit, AStaleOverloadStillPausesButDoesNotHalveAgain) {
  const base::MonoTime t0 = base::MonoTime{} + 1000h;
  AdaptiveLimit limit(options(16));
  const AdaptiveLimit::Admission stale = limit.admission(16);
  overload(limit);
  ASSERT_EQ(limit.limit(), 8);
  limit.onOverload(5s, t0, stale);
  EXPECT_EQ(limit.limit(), 8);
  EXPECT_EQ(limit.pausedUntil(), t0 + 5s);
}

TEST(AdaptiveLimit, MaxPauseIsAnOption) {
  const base::MonoTime t0 = base::MonoTime{} + 1000h;
  AdaptiveLimitOptions o = options(4);
  o.maxPause = 5s;
  AdaptiveLimit limit(o);
  overload(limit, 10s, t0);
  EXPECT_EQ(limit.pausedUntil(), t0 + 5s);
}

}  // namespace
}  // namespace tro::kube::transport
