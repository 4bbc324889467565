#include "controllers/analysis/evaluate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "controllers/analysis/promql.h"

namespace tro::controllers::analysis {

namespace {

void sortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

CheckResult result(Outcome outcome, const std::string& check, std::optional<double> value,
                   std::string threshold, std::string message) {
  CheckResult r;
  r.outcome = outcome;
  r.reason = Reason{check, value, std::move(threshold), check + ": " + std::move(message)};
  return r;
}

Outcome fromNoData(NoDataPolicy policy) {
  switch (policy) {
    case NoDataPolicy::Pass:
      return Outcome::Successful;
    case NoDataPolicy::Fail:
      return Outcome::Failed;
    case NoDataPolicy::Inconclusive:
      break;
  }
  return Outcome::Inconclusive;
}

const char* noDataName(NoDataPolicy policy) {
  switch (policy) {
    case NoDataPolicy::Pass:
      return "Pass";
    case NoDataPolicy::Fail:
      return "Fail";
    case NoDataPolicy::Inconclusive:
      break;
  }
  return "Inconclusive";
}

std::string on(const std::optional<std::string>& target) {
  return target ? " (deployment " + *target + ")" : "";
}

// One judged value (or the lack of one) within a threshold check.
struct Judged {
  enum class Kind { Pass, Breach, NoData, Error };
  Kind kind = Kind::Pass;
  std::optional<std::string> target;
  double value = 0;
  std::string text;  // the breach or error, for the message
};

Judged judge(const ThresholdCheck& c, std::optional<std::string> target, double v) {
  if (std::isnan(v)) return {Judged::Kind::NoData, std::move(target), v, "NaN"};
  if (c.max && v > *c.max) {
    return {Judged::Kind::Breach, target, v,
            formatValue(v) + " above max " + formatValue(*c.max) + on(target)};
  }
  if (c.min && v < *c.min) {
    return {Judged::Kind::Breach, target, v,
            formatValue(v) + " below min " + formatValue(*c.min) + on(target)};
  }
  return {Judged::Kind::Pass, std::move(target), v, ""};
}

void judgeRun(const ThresholdCheck& c, const QueryRun& run, std::vector<Judged>& out) {
  if (!run.result.ok()) {
    out.push_back({Judged::Kind::Error, run.target, 0, run.result.error().toString()});
    return;
  }
  const std::vector<Sample>& samples = run.result->samples;
  if (samples.empty()) {
    out.push_back({Judged::Kind::NoData, run.target, 0, "empty result"});
    return;
  }
  if (samples.size() == 1) {
    auto target = run.target;
    if (auto it = samples[0].labels.find("deployment"); !target && it != samples[0].labels.end())
      target = it->second;
    out.push_back(judge(c, target, samples[0].value));
    return;
  }
  bool perDeployment = !run.target && std::all_of(samples.begin(), samples.end(), [](auto& s) {
    auto it = s.labels.find("deployment");
    return it != s.labels.end() && !it->second.empty();
  });
  if (!perDeployment) {
    out.push_back({Judged::Kind::Error, run.target, 0,
                   std::to_string(samples.size()) + " series, expected 1" +
                       (run.target ? "" : " (or one per \"deployment\" label)") + on(run.target)});
    return;
  }
  for (const Sample& s : samples) out.push_back(judge(c, s.labels.at("deployment"), s.value));
}

// The single value of a baseline run: nullopt for no data, or an error text.
struct Single {
  std::optional<double> value;
  std::string error;
};

Single single(const PromResult<QueryResult>& r, const char* cohort) {
  if (!r.ok()) return {std::nullopt, std::string(cohort) + ": " + r.error().toString()};
  if (r->samples.size() > 1) {
    return {std::nullopt,
            std::string(cohort) + ": " + std::to_string(r->samples.size()) + " series, expected 1"};
  }
  if (r->samples.empty() || std::isnan(r->samples[0].value)) return {};
  return {r->samples[0].value, ""};
}

}  // namespace

std::string formatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

std::string formatBounds(std::optional<double> min, std::optional<double> max) {
  std::string out;
  if (min) out = "min " + formatValue(*min);
  if (max) out += (out.empty() ? "max " : ", max ") + formatValue(*max);
  return out;
}

bool gateSelects(const AlertGate& gate, const Alert& alert) {
  return alert.name == gate.alertName &&
         std::all_of(gate.matchers.begin(), gate.matchers.end(),
                     [&](const LabelMatcher& m) { return matches(m, alert.labels); });
}

bool gateBreached(const AlertGate& gate, const Alert& alert, base::TimePoint now) {
  const bool longEnough =
      !gate.firingFor || !alert.activeAt || now - *alert.activeAt >= *gate.firingFor;
  return alert.state == "firing" && longEnough && gateSelects(gate, alert);
}

CheckResult evaluateAlertGate(const AlertGate& gate, const std::vector<Alert>& alerts,
                              base::TimePoint now, const std::string& namespaceName) {
  std::string threshold = gate.firingFor ? "firing for " + promDuration(*gate.firingFor) : "firing";
  std::vector<const Alert*> firing;
  size_t notYet = 0;
  for (const Alert& a : alerts) {
    if (!gateSelects(gate, a)) continue;
    if (gateBreached(gate, a, now)) {
      firing.push_back(&a);
    } else {
      ++notYet;
    }
  }
  if (firing.empty()) {
    return result(
        Outcome::Successful, gate.check, std::nullopt, threshold,
        notYet ? std::to_string(notYet) + " matching alert(s) pending or not yet " + threshold
               : "not firing");
  }
  CheckResult r = result(Outcome::Failed, gate.check, firing.front()->value, threshold, "");
  std::string labels;
  for (const auto& [k, v] : firing.front()->labels) {
    if (k != "alertname") labels += (labels.empty() ? "" : ", ") + k + "=" + v;
  }
  r.reason.message =
      gate.check + ": alert " + gate.alertName + " " + threshold + " {" + labels + "}" +
      (firing.size() > 1 ? " and " + std::to_string(firing.size() - 1) + " more" : "");
  for (const Alert* a : firing) {
    auto ns = a->labels.find("namespace");
    auto dep = a->labels.find("deployment");
    if (ns != a->labels.end() && dep != a->labels.end() && ns->second == namespaceName)
      r.implicated.push_back(dep->second);
  }
  sortUnique(r.implicated);
  return r;
}

CheckResult evaluateThreshold(const ThresholdCheck& check, const std::vector<QueryRun>& runs) {
  std::string threshold = formatBounds(check.min, check.max);
  if (runs.empty()) {
    return result(Outcome::Successful, check.check, std::nullopt, threshold,
                  "no enabled target to measure");
  }
  std::vector<Judged> judged;
  for (const QueryRun& run : runs) judgeRun(check, run, judged);
  Outcome noData = fromNoData(check.onNoData);
  auto failed = [&](const Judged& j) {
    return j.kind == Judged::Kind::Breach ||
           (j.kind == Judged::Kind::NoData && noData == Outcome::Failed);
  };
  auto inconclusive = [&](const Judged& j) {
    return j.kind == Judged::Kind::Error ||
           (j.kind == Judged::Kind::NoData && noData == Outcome::Inconclusive);
  };
  auto noDataText = [&](const Judged& j) {
    return "no data (" + j.text + ")" + on(j.target) + ", onNoData " + noDataName(check.onNoData);
  };
  if (auto first = std::find_if(judged.begin(), judged.end(), failed); first != judged.end()) {
    bool breach = first->kind == Judged::Kind::Breach;
    CheckResult r = result(Outcome::Failed, check.check,
                           breach ? std::optional<double>(first->value) : std::nullopt, threshold,
                           breach ? first->text : noDataText(*first));
    for (const Judged& j : judged) {
      if (failed(j) && j.target) r.implicated.push_back(*j.target);
    }
    sortUnique(r.implicated);
    return r;
  }
  if (auto first = std::find_if(judged.begin(), judged.end(), inconclusive);
      first != judged.end()) {
    bool error = first->kind == Judged::Kind::Error;
    return result(Outcome::Inconclusive, check.check, std::nullopt, threshold,
                  error ? first->text : noDataText(*first));
  }
  // Passed: report the value closest to breaching.
  std::optional<double> worst;
  for (const Judged& j : judged) {
    if (j.kind != Judged::Kind::Pass) continue;
    if (!worst || (check.max ? j.value > *worst : j.value < *worst)) worst = j.value;
  }
  return result(Outcome::Successful, check.check, worst, threshold,
                worst ? formatValue(*worst) + " within " + threshold
                      : "no data, onNoData " + std::string(noDataName(check.onNoData)));
}

CheckResult evaluateBaseline(const BaselineCheck& check, const BaselineRun& run) {
  bool higherIsWorse = check.direction == BaselineCheck::Direction::HigherIsWorse;
  char margin[64];
  std::snprintf(margin, sizeof margin, "%s%g%% %s%g", higherIsWorse ? "+" : "-",
                check.relativeMargin * 100, higherIsWorse ? "+" : "-", check.absoluteMargin);
  Single enabled = single(run.enabled, "enabled cohort");
  Single baseline = single(run.baseline, "baseline cohort");
  std::string threshold = std::string("baseline ") + margin;
  if (!enabled.error.empty() || !baseline.error.empty()) {
    return result(Outcome::Inconclusive, check.check, enabled.value, threshold,
                  enabled.error.empty() ? baseline.error : enabled.error);
  }
  if (!enabled.value || !baseline.value) {
    return result(fromNoData(check.onNoData), check.check, enabled.value, threshold,
                  std::string("no data for the ") + (enabled.value ? "baseline" : "enabled") +
                      " cohort, onNoData " + noDataName(check.onNoData));
  }
  double b = *baseline.value, e = *enabled.value;
  double slack = std::isinf(b) ? 0 : std::fabs(b) * check.relativeMargin + check.absoluteMargin;
  double bound = higherIsWorse ? b + slack : b - slack;
  bool breach = higherIsWorse ? e > bound : e < bound;
  threshold = (higherIsWorse ? "max " : "min ") + formatValue(bound) + " (baseline " +
              formatValue(b) + " " + margin + ")";
  return result(breach ? Outcome::Failed : Outcome::Successful, check.check, e, threshold,
                "enabled " + formatValue(e) +
                    (breach ? (higherIsWorse ? " above " : " below ") : " within ") + threshold);
}

Verdict combine(std::vector<CheckResult> checks) {
  Verdict v;
  for (Outcome outcome : {Outcome::Failed, Outcome::Inconclusive}) {
    auto first = std::find_if(checks.begin(), checks.end(),
                              [&](const CheckResult& c) { return c.outcome == outcome; });
    if (first == checks.end()) continue;
    v.outcome = outcome;
    v.reason = first->reason;
    for (const CheckResult& c : checks) {
      if (c.outcome == outcome)
        v.implicated.insert(v.implicated.end(), c.implicated.begin(), c.implicated.end());
    }
    sortUnique(v.implicated);
    break;
  }
  v.checks = std::move(checks);
  return v;
}

Verdict evaluate(const Measurements& m, const Criteria& criteria) {
  std::vector<CheckResult> checks;
  for (const std::string& name : m.failedRollouts) {
    CheckResult r =
        result(Outcome::Failed, "rollout/" + name, std::nullopt, "ProgressDeadlineExceeded",
               "Deployment " + name + " exceeded its progress deadline");
    r.implicated = {name};
    checks.push_back(std::move(r));
  }
  for (const AlertGate& gate : criteria.alerts) {
    if (!m.alerts) {
      checks.push_back(
          result(Outcome::Inconclusive, gate.check, std::nullopt, "firing", "alerts not measured"));
    } else if (!m.alerts->ok()) {
      checks.push_back(result(Outcome::Inconclusive, gate.check, std::nullopt, "firing",
                              m.alerts->error().toString()));
    } else {
      checks.push_back(evaluateAlertGate(gate, m.alerts->value(), m.now, m.namespaceName));
    }
  }
  for (const ThresholdCheck& check : criteria.thresholds) {
    auto it = m.thresholds.find(check.check);
    checks.push_back(it == m.thresholds.end()
                         ? result(Outcome::Inconclusive, check.check, std::nullopt,
                                  formatBounds(check.min, check.max), "not measured")
                         : evaluateThreshold(check, it->second));
  }
  for (const BaselineCheck& check : criteria.baselines) {
    auto it = m.baselines.find(check.check);
    checks.push_back(it == m.baselines.end()
                         ? result(Outcome::Successful, check.check, std::nullopt, "baseline",
                                  "skipped: a cohort is empty")
                         : evaluateBaseline(check, it->second));
  }
  return combine(std::move(checks));
}

}  // namespace tro::controllers::analysis
