#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "fake_transport.h"
#include "operator/base/simulated_clock.h"
#include "operator/kube/transport/connect_failure.h"
#include "operator/kube/transport/rate_limited_transport.h"
#include "operator/kube/transport/retrying_transport.h"
#include "tests/support/eventually.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using testing::FakeState;
using testing::FakeTransport;
using testing::response;

using tro::testing::eventually;

RetryConfig config() {
  RetryConfig c;
  c.maxAttempts = 3;
  c.initialBackoff = 100ms;
  c.maxBackoff = 10s;
  c.random = [] { return 0.0; };
  return c;
}

HttpRequest get() { return HttpRequest{"GET", "/api/v1/pods", {}, {}, ""}; }
HttpRequest post() { return HttpRequest{"POST", "/api/v1/namespaces/a/pods", {}, {}, "{}"}; }

TEST(RetryingTransport, RetriesAfterTheBackoffOnTheClock) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {response(503), response(200)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);

  std::optional<Result<HttpResponse>> result;
  std::jthread worker([&] { result.emplace(transport.send(get(), 1s)); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(state.calls(), 1u);
  clock.advance(99ms);
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(state.calls(), 1u);
  clock.advance(1ms);
  worker.join();
  ASSERT_TRUE(result->ok());
  EXPECT_EQ(result->value().status, 200);
  EXPECT_EQ(state.calls(), 2u);
}

TEST(RetryingTransport, ReturnsTheLastOutcomeWhenGivingUp) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {response(500), response(502), response(503), response(200)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);

  std::optional<Result<HttpResponse>> result;
  std::jthread worker([&] { result.emplace(transport.send(get(), 1s)); });
  size_t calls = 1;
  for (auto delay : {100ms, 200ms}) {
    // The previous waiter is gone once the next attempt was made; then wait for the new one.
    ASSERT_TRUE(eventually([&] { return state.calls() == calls && clock.waiters() == 1; }));
    clock.advance(delay);
    ++calls;
  }
  worker.join();
  ASSERT_TRUE(result->ok());
  EXPECT_EQ(result->value().status, 503);
  EXPECT_EQ(state.calls(), 3u);
}

TEST(RetryingTransport, DoesNotReplayAPostThatMayHaveBeenProcessed) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {fail(connectionBroken("reset by peer")), response(201)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);
  Result<HttpResponse> result = transport.send(post(), 1s);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "reset by peer");
  EXPECT_EQ(state.calls(), 1u);
}

TEST(RetryingTransport, ReplaysAPostThatNeverConnected) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {fail(connectFailure("connection refused")), response(201)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);
  std::optional<Result<HttpResponse>> result;
  std::jthread worker([&] { result.emplace(transport.send(post(), 1s)); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  clock.advance(100ms);
  worker.join();
  ASSERT_TRUE(result->ok());
  EXPECT_EQ(result->value().status, 201);
  EXPECT_EQ(state.seen.at(1), post());
}

TEST(RetryingTransport, StopDuringBackoffCancels) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {response(500)};
  std::stop_source stop;
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock,
                              stop.get_token());
  std::optional<Result<HttpResponse>> result;
  std::jthread worker([&] { result.emplace(transport.send(get(), 1s)); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  stop.request_stop();
  worker.join();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(state.calls(), 1u);
}

TEST(RetryingTransport, StreamRetriesOpeningOnly) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {response(429, {{"retry-after", "2"}}), response(200)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);
  std::optional<Result<StreamOpen>> result;
  std::jthread worker([&] { result.emplace(transport.stream(get())); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  clock.advance(1999ms);
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(state.calls(), 1u);
  clock.advance(1ms);
  worker.join();
  ASSERT_TRUE(result->ok());
  EXPECT_NE(result->value().stream, nullptr);
  EXPECT_EQ(state.calls(), 2u);
}

TEST(RetryingTransport, StreamReturnsAFinalNonSuccessWithItsBody) {
  base::SimulatedClock clock;
  FakeState state;
  state.outcomes = {response(410)};
  RetryingTransport transport(std::make_unique<FakeTransport>(state), config(), clock);
  Result<StreamOpen> result = transport.stream(get());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->stream, nullptr);
  EXPECT_EQ(result->response.status, 410);
  EXPECT_EQ(result->response.body, "body-410");
}

TEST(RateLimitedTransport, WaitsForATokenBeforeEachRequest) {
  base::SimulatedClock clock;
  RateLimiter limiter(1.0, 1, clock);
  FakeState state;
  RateLimitedTransport transport(std::make_unique<FakeTransport>(state), limiter);
  ASSERT_TRUE(transport.send(get(), 1s).ok());
  std::jthread worker([&] { (void)transport.stream(get()); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(state.calls(), 1u);
  clock.advance(1s);
  worker.join();
  EXPECT_EQ(state.calls(), 2u);
}

TEST(RateLimitedTransport, StopWhileWaitingCancels) {
  base::SimulatedClock clock;
  RateLimiter limiter(1.0, 1, clock);
  ASSERT_TRUE(limiter.tryAcquire());
  FakeState state;
  std::stop_source stop;
  RateLimitedTransport transport(std::make_unique<FakeTransport>(state), limiter, stop.get_token());
  std::optional<Result<HttpResponse>> result;
  std::jthread worker([&] { result.emplace(transport.send(get(), 1s)); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  stop.request_stop();
  worker.join();
  ASSERT_FALSE(result->ok());
  EXPECT_EQ(result->error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(state.calls(), 0u);
}

}  // namespace
}  // namespace tro::kube::transport
