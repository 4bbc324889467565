// The values the operator writes into a pod template, checked by the API server's rules before
// any write (issue: an invalid collector quantity was written, refused and retried forever).

#include "controllers/rollout/pod_values.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tro::controllers {
namespace {

struct QuantityCase {
  const char* text;
  std::optional<long double> want;
};

TEST(PodValues, QuantitiesFollowTheApiServersGrammar) {
  const std::vector<QuantityCase> cases = {
      {"1", 1.0L},
      {"100m", 0.1L},
      {"0.5", 0.5L},
      {".5", 0.5L},
      {"5.", 5.0L},
      {"64Mi", 67108864.0L},
      {"1Gi", 1073741824.0L},
      {"2k", 2000.0L},
      {"1e3", 1000.0L},
      {"1E-3", 0.001L},
      {"+2", 2.0L},
      {"-1", -1.0L},
      {"250n", 250e-9L},
      {"3u", 3e-6L},
      {"1Ei", 1152921504606846976.0L},
      {"lots of it", std::nullopt},
      {"", std::nullopt},
      {"m", std::nullopt},
      {"1.2.3", std::nullopt},
      {"1 m", std::nullopt},
      {"1KB", std::nullopt},
      {"1Q", std::nullopt},
      {"1e", std::nullopt},
      {"1e+", std::nullopt},
      {"1ki", std::nullopt},
      {".", std::nullopt},
      {"0x10", std::nullopt},
      {"1mi", std::nullopt},
      {" 1", std::nullopt},
      {"1e99999", std::nullopt},
  };
  for (const auto& c : cases) {
    auto got = parseQuantity(c.text);
    ASSERT_EQ(got.has_value(), c.want.has_value()) << "\"" << c.text << "\"";
    if (got) {
      EXPECT_NEAR(static_cast<double>(*got), static_cast<double>(*c.want),
                  static_cast<double>(std::abs(*c.want)) * 1e-9 + 1e-15)
          << c.text;
    }
  }
}

TEST(PodValues, ImageReferencesFollowTheDistributionGrammar) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"otel/opentelemetry-collector-contrib:0.90.0", true},
      {"busybox", true},
      {"busybox:1.36", true},
      {"registry.example.com/team/collector:v1.2.3", true},
      {"registry.example.com:5000/collector:1", true},
      {"localhost/collector:1", true},
      {"localhost:5000/collector:1", true},
      {"[::1]:5000/collector:1", true},
      {"a__b/c.d/e-f---g:tag_1.x-y", true},
      {"collector@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true},
      {"collector:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true},
      {"", false},
      {"has space:1", false},
      {"Upper/Case:1", false},
      {"collector:", false},
      {"collector:-tag", false},
      {"collector:a/b", false},
      {"/collector:1", false},
      {"collector/:1", false},
      {"a//b:1", false},
      {"a..b:1", false},
      {"-a:1", false},
      {"a-:1", false},
      {"collector@sha256:abc", false},
      {"collector@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false},
      {"collector:1\n", false},
      {"host:port/collector:1", false},
      {"registry.example.com:99999999/c:1", false},
      {"a.b/c:" + std::string(128, 't'), true},
      {"a.b/c:" + std::string(129, 't'), false},
  };
  for (const auto& [image, want] : cases) {
    EXPECT_EQ(isImageReference(image), want) << "\"" << image << "\"";
  }
}

struct ResourcesCase {
  const char* name;
  const char* json;
  std::vector<std::string> wantFields;  // fields with a problem, in order
};

TEST(PodValues, ResourceRequirementsAreQuantitiesAndRequestsStayWithinLimits) {
  const std::vector<ResourcesCase> cases = {
      {"valid",
       R"({"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":1,"memory":"1Gi"}})",
       {}},
      {"empty", "{}", {}},
      {"request equals limit", R"({"requests":{"cpu":"1"},"limits":{"cpu":"1000m"}})", {}},
      {"not a quantity",
       R"({"requests":{"cpu":"lots of it"}})",
       {"spec.collector.resources.requests.cpu"}},
      {"a bool", R"({"limits":{"memory":true}})", {"spec.collector.resources.limits.memory"}},
      {"negative", R"({"requests":{"cpu":"-1"}})", {"spec.collector.resources.requests.cpu"}},
      {"request above limit",
       R"({"requests":{"cpu":"2"},"limits":{"cpu":"1"}})",
       {"spec.collector.resources.requests.cpu"}},
      {"unknown section", R"({"request":{"cpu":"1"}})", {"spec.collector.resources.request"}},
      {"section not a map", R"({"limits":"1"})", {"spec.collector.resources.limits"}},
  };
  for (const auto& c : cases) {
    auto problems =
        resourceRequirementsProblems(kube::Json::parse(c.json), "spec.collector.resources");
    std::vector<std::string> fields;
    for (const auto& p : problems) fields.push_back(p.field);
    EXPECT_EQ(fields, c.wantFields) << c.name;
  }
  auto problems = resourceRequirementsProblems(
      kube::Json::parse(R"({"requests":{"cpu":"lots of it"}})"), "spec.collector.resources");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "\"lots of it\" is not a quantity (e.g. 100m, 128Mi, 0.5)");
}

}  // namespace
}  // namespace tro::controllers
