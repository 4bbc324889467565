// The audit log (--audit-log-path): the Event of one request as kube-apiserver writes it at level
// Metadata, and the log written through OpsBackend: API requests only, a held request's arrival
// time kept apart from its completion.

#include "kubesim/http/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <vector>

#include "kubesim/http/ops_backend.h"
#include "operator/base/rfc3339.h"
#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace kubesim::http {
namespace {

using namespace std::chrono_literals;

api::Request patchRequest() {
  api::Request r;
  r.method = "PATCH";
  r.path = "/apis/apps/v1/namespaces/shop/deployments/web";
  r.query = {{"fieldManager", "kubectl set"}};
  r.headers["user-agent"] = "telemetry-rollout-operator/1.0 (host_42)";
  r.headers["content-type"] = "application/strategic-merge-patch+json";
  r.user = "admin";
  return r;
}

TEST(AuditEvent, CarriesWhatKubeApiserverWritesAtLevelMetadata) {
  const api::Request request = patchRequest();
  const RequestFacts facts = describeRequest(request);
  const auto received = tro::base::parseRfc3339("2026-12-03T10:00:00.000001Z").value();
  const auto completed = tro::base::parseRfc3339("2026-12-03T10:00:00.250000Z").value();
  const Json e = auditEvent({request, facts, 200, received, completed}, 7);
  EXPECT_EQ(e["kind"], "Event");
  EXPECT_EQ(e["apiVersion"], "audit.k8s.io/v1");
  EXPECT_EQ(e["level"], "Metadata");
  EXPECT_EQ(e["stage"], "ResponseComplete");
  EXPECT_EQ(e["auditID"], "00000000-0000-4000-8000-000000000007");
  EXPECT_EQ(e["verb"], "patch");
  EXPECT_EQ(e["requestURI"],
            "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl%20set");
  EXPECT_EQ(e["user"]["username"], "admin");
  EXPECT_EQ(e["userAgent"], "telemetry-rollout-operator/1.0 (host_42)");
  EXPECT_EQ(e["objectRef"], (Json{{"resource", "deployments"},
                                  {"namespace", "shop"},
                                  {"name", "web"},
                                  {"apiGroup", "apps"}}));
  EXPECT_EQ(e["responseStatus"]["code"], 200);
  EXPECT_EQ(e["requestReceivedTimestamp"], "2026-12-03T10:00:00.000001Z");
  EXPECT_EQ(e["stageTimestamp"], "2026-12-03T10:00:00.250000Z");
}

TEST(AuditEvent, ACreateIsNamedFromItsBody) {
  api::Request request;
  request.method = "POST";
  request.path = "/apis/coordination.k8s.io/v1/namespaces/lead/leases";
  request.body = R"({"metadata": {"name": "telemetry-rollout-operator"}, "spec": {}})";
  const RequestFacts facts = describeRequest(request);
  const tro::base::TimePoint t{};
  EXPECT_EQ(auditEvent({request, facts, 201, t, t}, 1)["objectRef"]["name"],
            "telemetry-rollout-operator");
  for (const char* body :
       {"not json", R"({"metadata": {"name": 5}})", R"({"metadata": [1]})", "[]"}) {
    request.body = body;
    EXPECT_FALSE(auditEvent({request, facts, 400, t, t}, 2)["objectRef"].contains("name")) << body;
  }
}

TEST(AuditEvent, NonResourceRequestsHaveNoObjectRef) {
  api::Request request;
  request.method = "GET";
  request.path = "/apis/apps/v1";
  const RequestFacts facts = describeRequest(request);
  const tro::base::TimePoint t{};
  const Json e = auditEvent({request, facts, 200, t, t, /*watchStarted=*/false}, 1);
  EXPECT_FALSE(e.contains("objectRef"));
  EXPECT_EQ(e["verb"], "get");
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kubesim-audit-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log");
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::vector<Json> lines() {
    std::vector<Json> out;
    std::ifstream in(path_);
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }

  std::filesystem::path path_;
};

class OkBackend final : public Backend {
 public:
  api::Response handle(const api::Request&) override { return {200, {}, "{}"}; }
  bool isWatch(const api::Request&) override { return false; }
  Result<api::WatchPtr> watch(const api::Request&) override { return tro::base::fail(ApiError{}); }
};

TEST_F(AuditLogTest, AHeldRequestKeepsItsArrivalTimeAndControlRequestsAreNotAudited) {
  auto log = AuditLog::open(path_.string());
  ASSERT_TRUE(log.ok()) << log.error();
  tro::base::SimulatedClock clock;
  OkBackend inner;
  OpsBackend ops(inner, clock, {}, log.value().get());

  api::Request pause;
  pause.method = "POST";
  pause.path = "/kubesim/faults";
  pause.body = R"({"pauseSeconds": 5})";
  ASSERT_EQ(ops.handle(pause).status, 200);
  const auto arrived = clock.now();
  auto held = std::async(std::launch::async, [&] { return ops.handle(patchRequest()); });
  ASSERT_TRUE(tro::testing::eventually([&] { return clock.waiters() == 1; }))
      << "the request was never held by the pause";
  clock.advance(6s);
  ASSERT_EQ(held.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(held.get().status, 200);

  const std::vector<Json> written = lines();
  ASSERT_EQ(written.size(), 1u) << "the /kubesim/faults request must not be audited";
  EXPECT_EQ(written[0]["verb"], "patch");
  EXPECT_EQ(written[0]["requestReceivedTimestamp"], tro::base::formatRfc3339Micro(arrived));
  EXPECT_EQ(written[0]["stageTimestamp"], tro::base::formatRfc3339Micro(arrived + 6s));
}

TEST_F(AuditLogTest, AppendsOneEventPerLineWithDistinctIds) {
  {
    auto log = AuditLog::open(path_.string());
    ASSERT_TRUE(log.ok()) << log.error();
    const api::Request request = patchRequest();
    const RequestFacts facts = describeRequest(request);
    for (int code : {200, 409}) (*log)->record({request, facts, code, {}, {}});
  }
  auto again = AuditLog::open(path_.string());  // a restarted server appends
  ASSERT_TRUE(again.ok());
  const std::vector<Json> written = lines();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0]["responseStatus"]["code"], 200);
  EXPECT_EQ(written[1]["responseStatus"]["code"], 409);
  EXPECT_NE(written[0]["auditID"], written[1]["auditID"]);
}

TEST_F(AuditLogTest, BytesThatAreNotUtf8AreReplacedNotThrown) {
  auto log = AuditLog::open(path_.string());
  ASSERT_TRUE(log.ok()) << log.error();
  api::Request request = patchRequest();
  request.headers["user-agent"] = "agent \xff\xfe";
  request.path = "/apis/apps/v1/namespaces/shop/deployments/w\xc3";
  const RequestFacts facts = describeRequest(request);
  (*log)->record({request, facts, 404, {}, {}});
  const std::vector<Json> written = lines();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0]["userAgent"], "agent \xef\xbf\xbd\xef\xbf\xbd");
}

TEST(AuditLog, AnUnwritablePathIsAnErrorNamingIt) {
  auto log = AuditLog::open("/nonexistent-dir/audit.log");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().find("/nonexistent-dir/audit.log"), std::string::npos);
}

}  // namespace
}  // namespace kubesim::http
