#include "operator/runtime/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "operator/runtime/metrics_standard.h"

namespace tro::runtime {
namespace {

TEST(MetricsTest, CounterRendersHelpTypeAndSortedSeries) {
  Registry r;
  auto& f = r.counter("reconcile_total", "Total reconciles.", {"controller", "result"});
  f.labels({"rollout", "success"}).inc(3);
  f.labels({"rollout", "error"}).inc();
  f.labels({"analysis", "success"}).inc(0.5);
  EXPECT_EQ(r.render(),
            "# HELP reconcile_total Total reconciles.\n"
            "# TYPE reconcile_total counter\n"
            "reconcile_total{controller=\"analysis\",result=\"success\"} 0.5\n"
            "reconcile_total{controller=\"rollout\",result=\"error\"} 1\n"
            "reconcile_total{controller=\"rollout\",result=\"success\"} 3\n");
}

TEST(MetricsTest, HandlesAreStableAndShared) {
  Registry r;
  Counter& a = r.counter("c_total", "h", {"l"}).labels({"x"});
  Counter& b = r.counter("c_total", "h", {"l"}).labels({"x"});
  EXPECT_EQ(&a, &b);
  a.inc();
  b.inc();
  EXPECT_EQ(a.value(), 2);
}

TEST(MetricsTest, GaugeWithoutLabelsExistsFromRegistrationAndFamiliesAreSorted) {
  Registry r;
  auto& g = r.gauge("zeta", "Last.");
  r.gauge("alpha_depth", "First.", {"name"});  // no series yet: omitted
  r.counter("beta_total", "Second.");
  EXPECT_EQ(r.render(),
            "# HELP beta_total Second.\n"
            "# TYPE beta_total counter\n"
            "beta_total 0\n"
            "# HELP zeta Last.\n"
            "# TYPE zeta gauge\n"
            "zeta 0\n");
  g.labels({}).set(7);
  g.labels({}).dec(2);
  EXPECT_NE(r.render().find("zeta 5\n"), std::string::npos);
}

TEST(MetricsTest, HistogramRendersCumulativeBucketsSumAndCount) {
  Registry r;
  auto& h = r.histogram("latency_seconds", "Latency.", {"op"}, {1, 0.1, 0.5});
  auto& get = h.labels({"get"});
  get.observe(0.05);
  get.observe(0.1);  // an observation equal to a bound falls in that bucket
  get.observe(0.7);
  get.observe(3);
  EXPECT_EQ(r.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{op=\"get\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{op=\"get\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{op=\"get\",le=\"1\"} 3\n"
            "latency_seconds_bucket{op=\"get\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{op=\"get\"} 3.85\n"
            "latency_seconds_count{op=\"get\"} 4\n");
}

TEST(MetricsTest, HistogramWithoutLabels) {
  Registry r;
  r.histogram("h", "H.", {}, {1}).labels({}).observe(2);
  EXPECT_EQ(r.render(),
            "# HELP h H.\n"
            "# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 0\n"
            "h_bucket{le=\"+Inf\"} 1\n"
            "h_sum 2\n"
            "h_count 1\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  Registry r;
  r.counter("e_total", "Back\\slash and\nnewline \"quotes stay\".", {"v"})
      .labels({"a\\b \"c\"\nd"})
      .inc();
  EXPECT_EQ(r.render(),
            "# HELP e_total Back\\\\slash and\\nnewline \"quotes stay\".\n"
            "# TYPE e_total counter\n"
            "e_total{v=\"a\\\\b \\\"c\\\"\\nd\"} 1\n");
}

TEST(MetricsTest, FormatsValuesLikeClientGolang) {
  struct Case {
    double in;
    std::string want;
  };
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& c : std::vector<Case>{{0, "0"},
                                         {1, "1"},
                                         {-1, "-1"},
                                         {42, "42"},
                                         {0.005, "0.005"},
                                         {0.0001, "0.0001"},
                                         {0.00001, "1e-05"},
                                         {123456, "123456"},
                                         {1000000, "1e+06"},
                                         {1234567, "1.234567e+06"},
                                         {2.5, "2.5"},
                                         {inf, "+Inf"},
                                         {-inf, "-Inf"},
                                         {std::nan(""), "NaN"}}) {
    EXPECT_EQ(formatMetricValue(c.in), c.want) << c.in;
  }
}

TEST(MetricsTest, StandardMetricsUseControllerRuntimeNames) {
  Registry r;
  StandardMetrics m(r);
  m.reconcileTotal.labels({"rollout", "success"}).inc();
  m.workqueueDepth.labels({"rollout"}).set(2);
  m.restClientRequests.labels({"GET", "200"}).inc();
  m.watchRestarts.labels({"deployments"}).inc();
  m.leaderElectionMasterStatus.labels({"tro"}).set(1);
  m.reconcileErrors.labels({"rollout"});
  m.workqueueAdds.labels({"rollout"}).inc();
  std::string out = r.render();
  for (const char* line :
       {"controller_runtime_reconcile_total{controller=\"rollout\",result=\"success\"} 1\n",
        "controller_runtime_reconcile_errors_total{controller=\"rollout\"} 0\n",
        "workqueue_depth{name=\"rollout\"} 2\n", "workqueue_adds_total{name=\"rollout\"} 1\n",
        "rest_client_requests_total{method=\"GET\",code=\"200\"} 1\n",
        "watch_restarts_total{resource=\"deployments\"} 1\n",
        "leader_election_master_status{name=\"tro\"} 1\n"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(out.find("controller_runtime_reconcile_time_seconds"), std::string::npos)
      << "a family without series is omitted";
  m.reconcileTime.labels({"rollout"});
  out = r.render();
  EXPECT_NE(out.find("# TYPE controller_runtime_reconcile_time_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(out.find("controller_runtime_reconcile_time_seconds_bucket{controller=\"rollout\","
                     "le=\"60\"} 0\n"),
            std::string::npos);
}

TEST(MetricsDeathTest, WrongLabelArityAborts) {
  Registry r;
  auto& f = r.counter("x_total", "h", {"a", "b"});
  EXPECT_DEATH(f.labels({"only-one"}), "label values");
}

TEST(MetricsDeathTest, ReRegisteringWithAnotherTypeAborts) {
  Registry r;
  r.counter("x", "h");
  EXPECT_DEATH(r.gauge("x", "h"), "registered twice");
}

}  // namespace
}  // namespace tro::runtime
