#include "operator/kube/transport/retry_policy.h"

#include <gtest/gtest.h>

#include "fake_transport.h"
#include "operator/kube/transport/connect_failure.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using testing::error;
using testing::response;

RetryConfig exactConfig() {
  RetryConfig c;
  c.maxAttempts = 4;
  c.initialBackoff = 100ms;
  c.maxBackoff = 1s;
  c.multiplier = 2.0;
  c.jitter = 0.5;
  c.random = [] { return 0.5; };  // +25%
  return c;
}

HttpRequest request(std::string method) {
  return HttpRequest{std::move(method), "/api/v1/pods", {}, {}, ""};
}

struct Case {
  std::string name;
  std::string method;
  Result<HttpResponse> outcome;
  int attempt;
  bool retry;
  std::chrono::milliseconds delay;
};

class DecideTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecideTest, FollowsTheRules) {
  const Case& c = GetParam();
  const RetryDecision d = decide(request(c.method), c.outcome, c.attempt, exactConfig());
  EXPECT_EQ(d.retry, c.retry) << d.reason;
  EXPECT_EQ(d.delay, c.delay) << d.reason;
  EXPECT_FALSE(d.reason.empty());
}

std::vector<Case> cases() {
  const auto connect = connectFailure("dial tcp 127.0.0.1:1: connection refused");
  const auto broken = connectionBroken("connection reset after sending");
  return {
      {"get_200_final", "GET", response(200), 1, false, 0ms},
      {"get_404_final", "GET", response(404), 1, false, 0ms},
      {"get_409_final", "PUT", response(409), 1, false, 0ms},
      {"get_500_backoff1", "GET", response(500), 1, true, 125ms},
      {"get_503_backoff3", "GET", response(503), 3, true, 500ms},
      {"get_gives_up_at_max", "GET", response(500), 4, false, 0ms},
      {"get_timeout", "GET", fail(error(ErrorKind::Timeout)), 2, true, 250ms},
      {"get_transport", "GET", fail(error(ErrorKind::Transport)), 1, true, 125ms},
      {"get_decode_final", "GET", fail(error(ErrorKind::Decode)), 1, false, 0ms},
      {"get_cancelled_final", "GET", fail(error(ErrorKind::Cancelled)), 1, false, 0ms},
      {"get_config_final", "GET", fail(error(ErrorKind::Config)), 1, false, 0ms},
      {"get_429_retry_after", "GET", response(429, {{"retry-after", "3"}}), 1, true, 3000ms},
      {"get_429_retry_after_clamped", "GET", response(429, {{"retry-after", "3600"}}), 1, true,
       60000ms},
      {"get_429_bad_retry_after", "GET", response(429, {{"retry-after", "soon"}}), 2, true, 250ms},
      {"post_429_retry_after", "POST", response(429, {{"retry-after", "1"}}), 1, true, 1000ms},
      {"patch_429_no_header", "PATCH", response(429), 1, true, 125ms},
      {"post_500_not_replayed", "POST", response(500), 1, false, 0ms},
      {"patch_503_not_replayed", "PATCH", response(503), 1, false, 0ms},
      {"delete_timeout_not_replayed", "DELETE", fail(error(ErrorKind::Timeout)), 1, false, 0ms},
      {"post_broken_not_replayed", "POST", fail(broken), 1, false, 0ms},
      {"post_connect_failure", "POST", fail(connect), 1, true, 125ms},
      {"delete_connect_failure", "DELETE", fail(connect), 2, true, 250ms},
      {"post_connect_failure_max", "POST", fail(connect), 4, false, 0ms},
      {"put_500_replayed", "PUT", response(500), 1, true, 125ms},
      {"put_broken_replayed", "PUT", fail(broken), 1, true, 125ms},
      {"put_timeout_replayed", "PUT", fail(error(ErrorKind::Timeout)), 2, true, 250ms},
  };
}

INSTANTIATE_TEST_SUITE_P(Rules, DecideTest, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(Backoff, GrowsExponentiallyAndIsCapped) {
  RetryConfig c = exactConfig();
  c.random = nullptr;  // no jitter
  EXPECT_EQ(backoffDelay(1, c), 100ms);
  EXPECT_EQ(backoffDelay(2, c), 200ms);
  EXPECT_EQ(backoffDelay(4, c), 800ms);
  EXPECT_EQ(backoffDelay(5, c), 1000ms);
  EXPECT_EQ(backoffDelay(50, c), 1000ms);
}

TEST(Backoff, JitterIsAddedFromTheInjectedSourceAndStillCapped) {
  RetryConfig c = exactConfig();
  c.random = [] { return 0.0; };
  EXPECT_EQ(backoffDelay(2, c), 200ms);
  c.random = [] { return 0.999; };
  EXPECT_EQ(backoffDelay(2, c), 299ms);
  EXPECT_EQ(backoffDelay(4, c), 1000ms);  // 800ms * 1.4995 capped
}

TEST(ConnectFailure, IsDistinguishedFromABrokenConnection) {
  EXPECT_TRUE(isConnectFailure(connectFailure("refused")));
  EXPECT_FALSE(isConnectFailure(connectionBroken("reset")));
  Error e = connectFailure("refused");
  e.withContext("list pods");
  EXPECT_TRUE(isConnectFailure(e));
  EXPECT_EQ(e.kind, ErrorKind::Transport);
}

}  // namespace
}  // namespace tro::kube::transport
