#include "controllers/analysis/analysis_runner.h"

#include "controllers/analysis/promql.h"

namespace tro::controllers::analysis {

namespace {

// Stops asking once Prometheus is known to be unreachable for this tick.
class Fetcher {
 public:
  Fetcher(PrometheusApi& api, base::TimePoint at) : api_(api), at_(at) {}

  PromResult<std::vector<Alert>> alerts() {
    if (down_) return base::fail(*down_);
    ++requests_;
    return remember(api_.alerts());
  }
  PromResult<QueryResult> query(const std::string& promql) {
    if (down_) return base::fail(*down_);
    ++requests_;
    return remember(api_.query(promql, at_));
  }
  int requests() const { return requests_; }

 private:
  template <typename T>
  PromResult<T> remember(PromResult<T> r) {
    if (!r.ok()) {
      auto kind = r.error().kind;
      if (kind == PrometheusError::Kind::Unreachable || kind == PrometheusError::Kind::Timeout ||
          kind == PrometheusError::Kind::Config)
        down_ = r.error();
    }
    return r;
  }

  PrometheusApi& api_;
  base::TimePoint at_;
  std::optional<PrometheusError> down_;
  int requests_ = 0;
};

TemplateVars baseVars(const Criteria& c, const AnalysisTargets& t) {
  TemplateVars vars;
  vars.namespaceName = t.namespaceName;
  vars.targets = t.enabled;
  vars.baseline = t.baseline;
  vars.interval = c.interval;
  return vars;
}

// makeCriteria() validated every template, so a failure here is a bug upstream; it still
// becomes an error value (Inconclusive), never a crash or a silently wrong query.
PromResult<QueryResult> runTemplate(Fetcher& fetch, const std::string& text,
                                    const TemplateVars& vars) {
  auto promql = expandTemplate(text, vars);
  if (!promql.ok()) {
    return base::fail(
        PrometheusError{PrometheusError::Kind::Config, 0, "", promql.error().message});
  }
  return fetch.query(*promql);
}

std::vector<QueryRun> runThreshold(Fetcher& fetch, const ThresholdCheck& check,
                                   const TemplateVars& base, const AnalysisTargets& t) {
  std::vector<QueryRun> runs;
  if (!check.perTarget()) {
    runs.push_back({std::nullopt, runTemplate(fetch, check.query, base)});
    return runs;
  }
  for (const std::string& target : t.enabled) {
    TemplateVars vars = base;
    vars.deployment = target;
    runs.push_back({target, runTemplate(fetch, check.query, vars)});
  }
  return runs;
}

}  // namespace

AnalysisRun runAnalysis(const Criteria& criteria, const AnalysisTargets& targets,
                        PrometheusApi& prometheus, const base::Clock& clock) {
  const base::TimePoint start = clock.now();
  const base::MonoTime startedAt = clock.monotonicNow();
  Fetcher fetch(prometheus, start);
  AnalysisRun run;
  Measurements& m = run.measurements;
  m.now = start;
  m.namespaceName = targets.namespaceName;
  m.failedRollouts = targets.failedRollouts;
  if (!criteria.alerts.empty()) m.alerts = fetch.alerts();
  const TemplateVars vars = baseVars(criteria, targets);
  for (const ThresholdCheck& check : criteria.thresholds) {
    m.thresholds[check.check] = runThreshold(fetch, check, vars, targets);
  }
  if (!targets.enabled.empty() && !targets.baseline.empty()) {
    for (const BaselineCheck& check : criteria.baselines) {
      TemplateVars enabled = vars, baseline = vars;
      enabled.cohort = targets.enabled;
      baseline.cohort = targets.baseline;
      auto e = runTemplate(fetch, check.query, enabled);
      auto b = runTemplate(fetch, check.query, baseline);
      m.baselines.emplace(check.check, BaselineRun{std::move(e), std::move(b)});
    }
  }
  run.verdict = evaluate(m, criteria);
  run.requests = fetch.requests();
  run.latency = clock.monotonicNow() - startedAt;
  return run;
}

}  // namespace tro::controllers::analysis
