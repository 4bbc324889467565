#pragma once
// Test doubles for analysis, header-only, for this area's tests and for planner/executor tests
// that need a PrometheusApi: shorthand result builders and FakePrometheus, which answers queries
// by their exact text (unknown text: an empty vector, i.e. "no data") and records every call.
// Optionally advances a SimulatedClock per call so analysis latency is observable.

#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "controllers/analysis/prometheus_client.h"
#include "operator/base/simulated_clock.h"

namespace tro::controllers::analysis::testing {

inline PromResult<QueryResult> scalar(double v) {
  return QueryResult{QueryResult::Kind::Scalar, {Sample{{}, v}}};
}
inline PromResult<QueryResult> vec(std::vector<Sample> samples) {
  return QueryResult{QueryResult::Kind::Vector, std::move(samples)};
}
inline PromResult<QueryResult> one(double v) { return vec({Sample{{}, v}}); }
inline Sample dep(const std::string& deployment, double v) {
  return Sample{{{"deployment", deployment}}, v};
}
inline PrometheusError error(PrometheusError::Kind kind, std::string message) {
  return PrometheusError{kind, 0, "", std::move(message)};
}
inline PromResult<QueryResult> failed(PrometheusError::Kind kind, std::string message) {
  return base::fail(error(kind, std::move(message)));
}

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

class FakePrometheus final : public PrometheusApi {
 public:
  explicit FakePrometheus(base::SimulatedClock* clock = nullptr,
                          base::Duration perCall = std::chrono::milliseconds(50))
      : clock_(clock), perCall_(perCall) {}

  void setAlerts(PromResult<std::vector<Alert>> alerts) {
    std::lock_guard l(mu_);
    alerts_ = std::move(alerts);
  }
  void answer(const std::string& promql, PromResult<QueryResult> result) {
    std::lock_guard l(mu_);
    answers_.insert_or_assign(promql, std::move(result));
  }
  // Every query fails with this error from now on (Prometheus down).
  void failAll(PrometheusError e) {
    std::lock_guard l(mu_);
    down_ = std::move(e);
  }
  std::vector<std::string> calls() const {
    std::lock_guard l(mu_);
    return calls_;
  }
  std::vector<std::optional<base::TimePoint>> times() const {
    std::lock_guard l(mu_);
    return times_;
  }

  PromResult<std::vector<Alert>> alerts() override {
    tick();
    std::lock_guard l(mu_);
    calls_.push_back("ALERTS");
    return alerts_;
  }
  PromResult<QueryResult> query(const std::string& promql,
                                std::optional<base::TimePoint> at) override {
    tick();
    std::lock_guard l(mu_);
    calls_.push_back(promql);
    times_.push_back(at);
    if (down_) return base::fail(*down_);
    auto it = answers_.find(promql);
    return it == answers_.end() ? vec({}) : it->second;
  }

 private:
  void tick() {
    if (clock_) clock_->advance(perCall_);
  }

  base::SimulatedClock* clock_;
  base::Duration perCall_;
  mutable std::mutex mu_;
  PromResult<std::vector<Alert>> alerts_ = std::vector<Alert>{};
  std::map<std::string, PromResult<QueryResult>> answers_;
  std::optional<PrometheusError> down_;
  std::vector<std::string> calls_;
  std::vector<std::optional<base::TimePoint>> times_;
};

}  // namespace tro::controllers::analysis::testing
