#include "kubesim/http/request_stats.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

RequestFacts patchBy(std::string manager) {
  RequestFacts f;
  f.verb = "patch";
  f.group = "apps";
  f.resource = "deployments";
  f.fieldManager = std::move(manager);
  f.userAgent = "kubectl/v1.32.0";
  return f;
}

TEST(RequestStats, CountsPerKeyAndCode) {
  RequestStats stats;
  stats.record(patchBy("kubectl-set"), 200);
  stats.record(patchBy("kubectl-set"), 200);
  stats.record(patchBy("kubectl-set"), 409);
  stats.record(patchBy("telemetry-rollout-operator"), 200);
  auto snap = stats.snapshot();
  ASSERT_EQ(snap.size(), 3u);
  RequestKey key{"patch", "apps", "deployments", "", "kubectl-set", "kubectl/v1.32.0", 200};
  EXPECT_EQ(snap.at(key), 2u);
  key.code = 409;
  EXPECT_EQ(snap.at(key), 1u);

  Json j = stats.toJson();
  EXPECT_EQ(j["total"], 4);
  ASSERT_EQ(j["requests"].size(), 3u);
  EXPECT_EQ(j["requests"][0]["fieldManager"], "kubectl-set");
  EXPECT_EQ(j["requests"][0]["count"], 2);
  EXPECT_EQ(j["requests"][0]["code"], 200);
}

TEST(RequestStats, ResetForgetsEverything) {
  RequestStats stats;
  stats.record(patchBy("m"), 200);
  stats.reset();
  EXPECT_TRUE(stats.snapshot().empty());
  EXPECT_EQ(stats.toJson()["total"], 0);
}

TEST(RequestStats, PrometheusTextWithEscapedLabels) {
  RequestStats stats;
  RequestFacts f = patchBy("m");
  f.userAgent = "odd \"agent\"\\x\ny";
  stats.record(f, 200);
  const std::string text = stats.toPrometheus();
  EXPECT_NE(text.find("# TYPE kubesim_requests_total counter\n"), std::string::npos);
  EXPECT_NE(
      text.find("kubesim_requests_total{verb=\"patch\",group=\"apps\",resource=\"deployments\","
                "subresource=\"\",field_manager=\"m\",user_agent=\"odd \\\"agent\\\"\\\\x\\ny\","
                "code=\"200\"} 1\n"),
      std::string::npos)
      << text;
}

}  // namespace
}  // namespace kubesim::http
