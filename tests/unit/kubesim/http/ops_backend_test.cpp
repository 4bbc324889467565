// OpsBackend over a fake Backend: control endpoints, injected faults, accounting, pauses and
// watch cuts. Time is a SimulatedClock; waits on other threads use deadlines (eventually()).

#include "kubesim/http/ops_backend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace kubesim::http {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

struct WatchState {
  std::atomic<bool> cancelled{false};
};

class FakeWatch final : public api::Watch {
 public:
  explicit FakeWatch(std::shared_ptr<WatchState> state) : state_(std::move(state)) {}
  std::optional<std::string> nextLine(std::chrono::milliseconds) override {
    if (state_->cancelled) return std::nullopt;
    return std::string(R"({"type":"ADDED"})");
  }
  bool finished() const override { return state_->cancelled; }
  void cancel() override { state_->cancelled = true; }

 private:
  std::shared_ptr<WatchState> state_;
};

class FakeBackend final : public Backend {
 public:
  api::Response handle(const api::Request&) override {
    ++calls;
    return api::Response{200, {{"Content-Type", "application/json"}}, R"({"kind":"PodList"})"};
  }
  bool isWatch(const api::Request& r) override { return r.query.count("watch") > 0; }
  Result<api::WatchPtr> watch(const api::Request&) override {
    ++calls;
    return api::WatchPtr(std::make_unique<FakeWatch>(watchState));
  }
  std::atomic<int> calls{0};
  std::shared_ptr<WatchState> watchState = std::make_shared<WatchState>();
};

api::Request req(std::string method, std::string path, std::string body = "",
                 std::multimap<std::string, std::string> query = {}) {
  api::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.query = std::move(query);
  r.headers["user-agent"] = "kubectl/v1.32.0";
  return r;
}

Json bodyOf(const api::Response& r) { return Json::parse(r.body); }

// api::Response::header() lives in kubesim_api, which this test does not link.
std::string headerOf(const api::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

class OpsBackendTest : public ::testing::Test {
 protected:
  api::Response post(const Json& faults) {
    return ops.handle(req("POST", "/kubesim/faults", faults.dump()));
  }
  tro::base::SimulatedClock clock;
  FakeBackend inner;
  OpsBackend ops{inner, clock};
};

TEST_F(OpsBackendTest, PassesThroughWithoutFaults) {
  auto r = ops.handle(req("GET", "/api/v1/pods"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(inner.calls, 1);
  EXPECT_FALSE(ops.isWatch(req("GET", "/kubesim/faults", "", {{"watch", "1"}})));
  EXPECT_TRUE(ops.isWatch(req("GET", "/api/v1/pods", "", {{"watch", "1"}})));
}

TEST_F(OpsBackendTest, FaultEndpointSetsReportsAndClearsFaults) {
  auto set = post({{"errorShare", 1}, {"errorCode", 503}, {"resources", {"pods"}}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(bodyOf(set)["errorShare"], 1.0);
  EXPECT_EQ(bodyOf(ops.handle(req("GET", "/kubesim/faults")))["resources"], Json({"pods"}));

  auto faulted = ops.handle(req("GET", "/api/v1/pods"));
  EXPECT_EQ(faulted.status, 503);
  EXPECT_EQ(bodyOf(faulted)["reason"], "ServiceUnavailable");
  EXPECT_EQ(inner.calls, 0);
  EXPECT_EQ(ops.handle(req("GET", "/api/v1/configmaps")).status, 200);  // not listed

  EXPECT_EQ(ops.handle(req("DELETE", "/kubesim/faults")).status, 200);
  EXPECT_EQ(ops.handle(req("GET", "/api/v1/pods")).status, 200);
  EXPECT_EQ(ops.faults(), FaultSettings{});
}

TEST_F(OpsBackendTest, TooManyRequestsCarriesRetryAfter) {
  ASSERT_EQ(post({{"errorShare", 1}, {"errorCode", 429}, {"retryAfterSeconds", 3}}).status, 200);
  auto r = ops.handle(req("PATCH", "/apis/apps/v1/namespaces/d/deployments/web"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(headerOf(r, "Retry-After"), "3");
  EXPECT_EQ(bodyOf(r)["details"]["retryAfterSeconds"], 3);
}

TEST_F(OpsBackendTest, ControlEndpointsRejectBadRequests) {
  EXPECT_EQ(ops.handle(req("POST", "/kubesim/faults", "{not json")).status, 400);
  EXPECT_EQ(post({{"errorShare", 3}}).status, 400);
  EXPECT_EQ(post({{"pauseSeconds", -1}}).status, 400);
  EXPECT_EQ(post({{"cutWatchesNow", "yes"}}).status, 400);
  EXPECT_EQ(ops.handle(req("PUT", "/kubesim/faults")).status, 405);
  EXPECT_EQ(ops.handle(req("GET", "/kubesim/requests/reset")).status, 405);
  auto missing = ops.handle(req("GET", "/kubesim/nothing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(bodyOf(missing)["kind"], "Status");
  EXPECT_EQ(ops.faults(), FaultSettings{});  // nothing changed
  EXPECT_EQ(inner.calls, 0);
}

// A ServiceAccount token may not reach kubesim's own endpoints: a tenant must not inject faults.
TEST_F(OpsBackendTest, ControlEndpointsAreTheAdminsOnly) {
  api::Request tenant = req("POST", "/kubesim/faults", R"({"errorShare": 1})");
  tenant.user = "system:serviceaccount:team:robot";
  tenant.groups = {"system:serviceaccounts", "system:authenticated"};
  auto refused = ops.handle(tenant);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(
      bodyOf(refused)["message"],
      R"(forbidden: User "system:serviceaccount:team:robot" cannot post path "/kubesim/faults")");
  EXPECT_EQ(bodyOf(refused)["details"], Json::object());
  EXPECT_EQ(ops.faults(), FaultSettings{});  // nothing changed
  api::Request admin = tenant;
  admin.user = "kubesim-admin";
  admin.groups = {"system:masters", "system:authenticated"};
  EXPECT_EQ(ops.handle(admin).status, 200);
  EXPECT_EQ(ops.faults().errorShare, 1.0);
}

TEST_F(OpsBackendTest, AccountingCountsApiRequestsNotControlRequests) {
  const std::multimap<std::string, std::string> bySet = {{"fieldManager", "kubectl-set"}};
  ops.handle(req("PATCH", "/apis/apps/v1/namespaces/d/deployments/web", "{}", bySet));
  ops.handle(req("PATCH", "/apis/apps/v1/namespaces/d/deployments/web", "{}", bySet));
  ops.handle(req("GET", "/kubesim/faults"));
  Json counts = bodyOf(ops.handle(req("GET", "/kubesim/requests")));
  EXPECT_EQ(counts["total"], 2);
  ASSERT_EQ(counts["requests"].size(), 1u);
  EXPECT_EQ(counts["requests"][0]["verb"], "patch");
  EXPECT_EQ(counts["requests"][0]["resource"], "deployments");
  EXPECT_EQ(counts["requests"][0]["fieldManager"], "kubectl-set");
  EXPECT_EQ(counts["requests"][0]["userAgent"], "kubectl/v1.32.0");
  EXPECT_EQ(counts["requests"][0]["count"], 2);

  auto metrics = ops.handle(req("GET", "/kubesim/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(headerOf(metrics, "Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_NE(metrics.body.find("field_manager=\"kubectl-set\""), std::string::npos);

  EXPECT_EQ(bodyOf(ops.handle(req("POST", "/kubesim/requests/reset")))["total"], 0);
  EXPECT_EQ(bodyOf(ops.handle(req("GET", "/kubesim/requests")))["total"], 0);
}

TEST_F(OpsBackendTest, FaultedAnswersAreCountedWithTheirCode) {
  post({{"errorShare", 1}, {"errorCode", 500}});
  ops.handle(req("GET", "/api/v1/pods"));
  Json counts = bodyOf(ops.handle(req("GET", "/kubesim/requests")));
  ASSERT_EQ(counts["requests"].size(), 1u);
  EXPECT_EQ(counts["requests"][0]["code"], 500);
}

TEST_F(OpsBackendTest, PauseHoldsRequestsUntilItEnds) {
  ASSERT_EQ(post({{"pauseSeconds", 5}}).status, 200);
  EXPECT_EQ(bodyOf(ops.handle(req("GET", "/kubesim/faults")))["pausedForMs"], 5000);
  auto answer =
      std::async(std::launch::async, [&] { return ops.handle(req("GET", "/api/v1/pods")); });
  clock.advance(4s);
  EXPECT_EQ(inner.calls, 0);  // still held
  clock.advance(2s);
  ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(answer.get().status, 200);
  EXPECT_EQ(inner.calls, 1);
}

TEST_F(OpsBackendTest, LiftingThePauseReleasesHeldRequests) {
  post({{"pauseSeconds", 3600}});
  auto answer =
      std::async(std::launch::async, [&] { return ops.handle(req("GET", "/api/v1/pods")); });
  EXPECT_EQ(ops.handle(req("DELETE", "/kubesim/faults")).status, 200);  // control is never held
  ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(answer.get().status, 200);
}

TEST_F(OpsBackendTest, StopWaitingReleasesHeldRequests) {
  ops.pauseFor(1h);
  auto answer =
      std::async(std::launch::async, [&] { return ops.handle(req("GET", "/api/v1/pods")); });
  ops.stopWaiting();
  ASSERT_EQ(answer.wait_for(10s), std::future_status::ready);
}

TEST_F(OpsBackendTest, LatencyDelaysByClockTime) {
  post({{"latencyMs", 500}});
  auto answer =
      std::async(std::launch::async, [&] { return ops.handle(req("GET", "/api/v1/pods")); });
  // Advance until the request went through: it must take at least 500ms of clock time.
  const auto start = clock.now();
  ASSERT_TRUE(eventually([&] {
    if (inner.calls > 0) return true;
    clock.advance(100ms);
    return false;
  }));
  EXPECT_GE(clock.now() - start, 500ms);
  EXPECT_EQ(answer.get().status, 200);
}

TEST_F(OpsBackendTest, CutWatchesNowEndsOpenWatches) {
  auto watch = ops.watch(req("GET", "/api/v1/pods", "", {{"watch", "1"}}));
  ASSERT_TRUE(watch.ok());
  EXPECT_TRUE((*watch)->nextLine(0ms));
  EXPECT_FALSE((*watch)->finished());
  ASSERT_EQ(post({{"cutWatchesNow", true}}).status, 200);
  EXPECT_FALSE((*watch)->nextLine(0ms));
  EXPECT_TRUE((*watch)->finished());
  EXPECT_TRUE(inner.watchState->cancelled);
  // Watches opened after the cut are not affected.
  inner.watchState = std::make_shared<WatchState>();
  auto later = ops.watch(req("GET", "/api/v1/pods", "", {{"watch", "1"}}));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE((*later)->nextLine(0ms));
}

TEST_F(OpsBackendTest, RandomWatchCutHappensWithinTheBound) {
  post({{"watchCutShare", 1}, {"watchCutAfterMs", 1000}});
  auto watch = ops.watch(req("GET", "/api/v1/pods", "", {{"watch", "1"}}));
  ASSERT_TRUE(watch.ok());
  clock.advance(1001ms);
  EXPECT_FALSE((*watch)->nextLine(0ms));
  EXPECT_TRUE((*watch)->finished());
}

TEST_F(OpsBackendTest, FaultedWatchIsRefusedAndCounted) {
  post({{"errorShare", 1}, {"verbs", {"watch"}}});
  auto watch = ops.watch(req("GET", "/api/v1/pods", "", {{"watch", "1"}}));
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.error().code, 503);
  EXPECT_EQ(inner.calls, 0);
  Json counts = bodyOf(ops.handle(req("GET", "/kubesim/requests")));
  EXPECT_EQ(counts["requests"][0]["verb"], "watch");
  EXPECT_EQ(counts["requests"][0]["code"], 503);
}

}  // namespace
}  // namespace kubesim::http
