// kubesim's simulated apps scraped by a real Prometheus (Debian's package, 1 s scrape and rule
// evaluation): every pod has series; a telemetry-only fault on a Deployment whose flag is on makes
// the runbooks' HighErrorRate alert fire, and turning the flag off with `kubectl set env` (the
// runbooks' manual rollback) clears it. Waits are on conditions with deadlines.

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tests/support/eventually.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/prometheus_process.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

std::string deployment(const std::string& name, const std::string& flag) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: default\n  annotations:\n"
         "    kubesim.io/request-rate: \"50\"\n"
         "    kubesim.io/telemetry-fault-error-ratio: \"0.3\"\n"
         "spec:\n  replicas: 3\n  selector:\n    matchLabels: {app: " +
         name + "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n"
         "        env:\n        - {name: FEATURE_OTEL, value: \"" +
         flag + "\"}\n";
}

class PrometheusAlertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
    prometheus_ = Prometheus::start({{kubesim_->metricsPort()}, highErrorRateRules("1s")}, error);
    ASSERT_NE(prometheus_, nullptr) << error;
  }

  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }

  void apply(const std::string& name, const std::string& flag) {
    ok({"apply", "-f", kubesim_->writeFile(name + ".yaml", deployment(name, flag))});
    ok({"rollout", "status", "deployment/" + name, "--timeout=60s"});
  }

  // Pods of a Deployment that Prometheus has series for, by the `pod` label.
  std::set<std::string> scrapedPods(const std::string& name) {
    std::set<std::string> pods;
    auto data = prometheus_->query("count by (pod) (http_requests_total{deployment=\"" + name +
                                   "\", namespace=\"default\"})");
    if (!data) return pods;
    for (const auto& sample : (*data)["result"]) pods.insert(sample["metric"].value("pod", ""));
    return pods;
  }

  std::set<std::string> podsOf(const std::string& name) {
    std::istringstream lines(ok({"get", "pods", "-l", "app=" + name, "-o",
                                 "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"}));
    std::set<std::string> pods;
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) pods.insert(line);
    return pods;
  }

  bool firing(const std::string& name) {
    return prometheus_->alertIs("HighErrorRate", {{"deployment", name}, {"namespace", "default"}},
                                "firing");
  }

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<Prometheus> prometheus_;
};

TEST_F(PrometheusAlertTest, EveryPodHasSeries) {
  apply("web", "false");
  const std::set<std::string> pods = podsOf("web");
  ASSERT_EQ(pods.size(), 3u);
  EXPECT_TRUE(eventually([&] { return scrapedPods("web") == pods; }, 30s))
      << "scraped: " << scrapedPods("web").size() << " of " << pods.size();
}

TEST_F(PrometheusAlertTest, TelemetryFaultFiresHighErrorRateAndFlagOffClearsIt) {
  apply("quiet", "false");  // the same fault knob, telemetry off: never fires
  apply("noisy", "true");
  ASSERT_TRUE(eventually([&] { return firing("noisy"); }, 60s))
      << "HighErrorRate never fired for noisy; alerts: " << prometheus_->alerts().size() << "\n"
      << prometheus_->logs();
  EXPECT_FALSE(firing("quiet"));

  // The runbooks' manual rollback.
  ok({"set", "env", "deployment/noisy", "FEATURE_OTEL=false"});
  ok({"rollout", "status", "deployment/noisy", "--timeout=60s"});
  EXPECT_TRUE(eventually([&] { return !firing("noisy"); }, 60s))
      << "HighErrorRate still firing after the flag went off";
  EXPECT_FALSE(firing("quiet"));
}

}  // namespace
}  // namespace tro::testing
