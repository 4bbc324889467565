#include "controllers/analysis/criteria.h"

#include <algorithm>
#include <limits>
#include <set>

#include "controllers/analysis/promql.h"
#include "controllers/analysis/safe_regex.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/names.h"

namespace tro::controllers::analysis {

namespace {

std::string at(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Pod names of a Deployment are <deployment>-<replicaset hash>-<suffix>.
constexpr const char* kPodSuffix = "-[a-z0-9]+-[a-z0-9]+";

std::string podSelector(const std::string& cohortVar) {
  return std::string("namespace=\"{{namespace}}\",pod=~\"{{") + cohortVar + "}}" + kPodSuffix +
         "\"";
}

// Aggregates a per-pod expression into one sample per Deployment (label "deployment").
std::string byDeployment(const std::string& aggregate, const std::string& expr) {
  return aggregate + " by (deployment) (label_replace(" + expr +
         ", \"deployment\", \"$1\", \"pod\", \"(.+)" + kPodSuffix + "\"))";
}

// The range of the built-ins' rate(): the analysis interval, but never less than
// kMinBuiltinRateWindow. rate() needs two samples inside its range; an interval of a few seconds
// (or one shorter than two scrapes) would leave it empty, and the check would never have data.
std::string rateWindow(std::chrono::nanoseconds interval) {
  return interval >= kMinBuiltinRateWindow ? "{{interval}}" : promDuration(kMinBuiltinRateWindow);
}

std::string exportFailureRatioQuery(const std::string& window) {
  std::string sel = "{" + podSelector("targets") + "}[" + window + "]";
  std::string failed = byDeployment("sum", "rate(otelcol_exporter_send_failed_spans" + sel + ")");
  std::string sent = byDeployment("sum", "rate(otelcol_exporter_sent_spans" + sel + ")");
  return failed + " / (" + sent + " + " + failed + ")";
}

std::string queueSaturationQuery() {
  std::string sel = "{" + podSelector("targets") + "}";
  return byDeployment(
      "max", "otelcol_exporter_queue_size" + sel + " / otelcol_exporter_queue_capacity" + sel);
}

// Mean per pod over the cohort, so cohorts of different sizes compare.
std::string perPodMean(const std::string& metric, bool rate, const std::string& window) {
  std::string sel = "{" + podSelector("cohort") + ",container!=\"\",container!=\"POD\"}";
  std::string sample = rate ? "rate(" + metric + sel + "[" + window + "])" : metric + sel;
  return "sum(" + sample + ") / count(count by (pod) (" + metric + sel + "))";
}

struct Problems {
  std::vector<SpecProblem>& out;
  void add(std::string field, std::string message) {
    out.push_back({std::move(field), std::move(message)});
  }
};

std::optional<double> readNumber(const Json& obj, const char* key, const std::string& path,
                                 Problems& p) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_number()) {
    p.add(path + "." + key, "must be of type number");
    return std::nullopt;
  }
  return it->get<double>();
}

std::optional<std::string> readString(const Json& obj, const char* key, const std::string& path,
                                      Problems& p) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (!it->is_string()) {
    p.add(path + "." + key, "must be of type string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

NoDataPolicy noData(const Json& obj, const std::string& path, Problems& p) {
  auto v = readString(obj, "onNoData", path, p);
  if (!v || *v == "Inconclusive") return NoDataPolicy::Inconclusive;
  if (*v == "Pass") return NoDataPolicy::Pass;
  if (*v == "Fail") return NoDataPolicy::Fail;
  p.add(path + ".onNoData", "Unsupported value: \"" + *v +
                                "\": supported values: \"Pass\", \"Inconclusive\", \"Fail\"");
  return NoDataPolicy::Inconclusive;
}

std::optional<BaselineCheck> readBaseline(const Json& item, const std::string& path, Problems& p) {
  if (!item.is_object()) {
    p.add(path, "must be of type object");
    return std::nullopt;
  }
  BaselineCheck b;
  auto name = readString(item, "name", path, p);
  if (!name || !kube::isDnsLabel(*name)) p.add(path + ".name", "must be a DNS-1123 label");
  auto query = readString(item, "query", path, p);
  if (!query || query->empty()) p.add(path + ".query", "Required value");
  b.check = "baseline/" + name.value_or("");
  b.query = query.value_or("");
  auto dir = readString(item, "direction", path, p).value_or("HigherIsWorse");
  if (dir == "LowerIsWorse") {
    b.direction = BaselineCheck::Direction::LowerIsWorse;
  } else if (dir != "HigherIsWorse") {
    p.add(path + ".direction", "Unsupported value: \"" + dir +
                                   "\": supported values: \"HigherIsWorse\", \"LowerIsWorse\"");
  }
  b.relativeMargin = readNumber(item, "relativeMargin", path, p).value_or(0);
  b.absoluteMargin = readNumber(item, "absoluteMargin", path, p).value_or(0);
  if (b.relativeMargin < 0) p.add(path + ".relativeMargin", "must be 0 or more");
  if (b.absoluteMargin < 0) p.add(path + ".absoluteMargin", "must be 0 or more");
  b.onNoData = noData(item, path, p);
  return b;
}

}  // namespace

LabelMatcher parseMatcher(const std::string& label, const std::string& spec) {
  struct Prefix {
    const char* text;
    LabelMatcher::Op op;
  };
  static constexpr Prefix kPrefixes[] = {{"=~", LabelMatcher::Op::Regex},
                                         {"!~", LabelMatcher::Op::NotRegex},
                                         {"!=", LabelMatcher::Op::NotEqual}};
  for (const Prefix& p : kPrefixes) {
    if (spec.rfind(p.text, 0) == 0) return {label, p.op, spec.substr(2)};
  }
  return {label, LabelMatcher::Op::Equal, spec};
}

bool matches(const LabelMatcher& m, const Labels& labels) {
  auto it = labels.find(m.label);
  const std::string value = it == labels.end() ? std::string() : it->second;
  switch (m.op) {
    case LabelMatcher::Op::Equal:
      return value == m.value;
    case LabelMatcher::Op::NotEqual:
      return value != m.value;
    case LabelMatcher::Op::Regex:
    case LabelMatcher::Op::NotRegex: {
      bool hit = false;
      if (m.compiled.regex) {
        hit = m.compiled.regex->fullMatch(value);
      } else if (auto re = SafeRegex::compile(m.value); re.ok()) {
        hit = re->fullMatch(value);
      } else {
        return false;  // rejected by makeCriteria(); never matching is the safe reading
      }
      return m.op == LabelMatcher::Op::Regex ? hit : !hit;
    }
  }
  return false;
}

bool ThresholdCheck::perTarget() const {
  auto vars = templateVariables(query);
  return std::find(vars.begin(), vars.end(), "deployment") != vars.end();
}

ParsedExtensions parseAnalysisExtensions(const Json& spec) {
  ParsedExtensions out;
  Problems p{out.problems};
  auto a = spec.is_object() ? spec.find("analysis") : spec.end();
  if (!spec.is_object() || a == spec.end() || !a->is_object()) return out;
  if (auto list = a->find("baseline"); list != a->end()) {
    if (!list->is_array()) p.add("spec.analysis.baseline", "must be of type array");
    std::set<std::string> names;
    for (size_t i = 0; list->is_array() && i < list->size(); ++i) {
      auto b = readBaseline((*list)[i], at("spec.analysis.baseline", i), p);
      if (!b) continue;
      if (!names.insert(b->check).second) {
        p.add(at("spec.analysis.baseline", i) + ".name", "Duplicate value");
      }
      out.extensions.baselines.push_back(std::move(*b));
    }
  }
  if (auto list = a->find("builtins"); list != a->end()) {
    if (!list->is_array()) p.add("spec.analysis.builtins", "must be of type array");
    for (size_t i = 0; list->is_array() && i < list->size(); ++i) {
      std::string path = at("spec.analysis.builtins", i);
      const Json& item = (*list)[i];
      if (!item.is_object()) {
        p.add(path, "must be of type object");
        continue;
      }
      BuiltinSpec b;
      b.name = readString(item, "name", path, p).value_or("");
      b.max = readNumber(item, "max", path, p);
      if (b.max && *b.max < 0) p.add(path + ".max", "must be 0 or more");
      b.onNoData = noData(item, path, p);
      out.extensions.builtins.push_back(std::move(b));
    }
  }
  if (auto limit = a->find("inconclusiveLimit"); limit != a->end()) {
    if (!limit->is_number_integer() || limit->get<int64_t>() < 0 ||
        limit->get<int64_t>() > std::numeric_limits<int>::max()) {
      p.add("spec.analysis.inconclusiveLimit", "must be an integer, 0 or more");
    } else {
      out.extensions.inconclusiveLimit = limit->get<int>();
    }
  }
  return out;
}

namespace {

void checkTemplate(const std::string& query, bool baseline, const std::string& field, Problems& p) {
  TemplateVars vars;
  vars.namespaceName = "ns";
  if (baseline) {
    vars.cohort = std::vector<std::string>{"a"};
  } else {
    vars.deployment = "a";
  }
  if (auto r = expandTemplate(query, vars); !r.ok()) p.add(field, r.error().message);
  if (baseline) {
    auto used = templateVariables(query);
    if (std::find(used.begin(), used.end(), "cohort") == used.end()) {
      p.add(field, "must use {{cohort}} (run once per cohort)");
    }
  }
}

std::optional<std::string> compileBuiltin(const BuiltinSpec& b, Criteria& c) {
  std::string check = "builtin/" + b.name;
  const std::string window = rateWindow(c.interval);
  if (b.name == "collector-export-failure-ratio") {
    c.thresholds.push_back({check, exportFailureRatioQuery(window), std::nullopt,
                            b.max.value_or(kDefaultExportFailureRatioMax), b.onNoData});
  } else if (b.name == "collector-queue-saturation") {
    c.thresholds.push_back({check, queueSaturationQuery(), std::nullopt,
                            b.max.value_or(kDefaultQueueSaturationMax), b.onNoData});
  } else if (b.name == "cpu-overhead" || b.name == "memory-overhead") {
    bool cpu = b.name == "cpu-overhead";
    std::string query = cpu ? perPodMean("container_cpu_usage_seconds_total", true, window)
                            : perPodMean("container_memory_working_set_bytes", false, window);
    c.baselines.push_back({check, query, BaselineCheck::Direction::HigherIsWorse,
                           b.max.value_or(kDefaultOverheadMargin), 0, b.onNoData});
  } else {
    return "Unsupported value: \"" + b.name +
           "\": supported values: \"collector-export-failure-ratio\", "
           "\"collector-queue-saturation\", \"cpu-overhead\", \"memory-overhead\"";
  }
  return std::nullopt;
}

}  // namespace

CompiledCriteria makeCriteria(const AnalysisSpec& spec, const AnalysisExtensions& ext) {
  CompiledCriteria out;
  Problems p{out.problems};
  Criteria& c = out.criteria;
  c.failureLimit = spec.failureLimit;
  c.onInconclusive = spec.onInconclusive;
  c.inconclusiveLimit = ext.inconclusiveLimit;
  c.interval = spec.interval;
  std::set<std::string> alertChecks;
  for (size_t i = 0; i < spec.alerts.size(); ++i) {
    const AlertCheck& a = spec.alerts[i];
    // The same alert may be gated twice with different matchers; check names stay unique.
    std::string check = "alert/" + a.name;
    if (!alertChecks.insert(check).second) check += "[" + std::to_string(i) + "]";
    AlertGate gate{check, a.name, {}, a.firingFor};
    for (const auto& [label, value] : a.matchLabels) {
      LabelMatcher m = parseMatcher(label, value);
      if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
        auto re = SafeRegex::compile(m.value);
        if (re.ok()) {
          m.compiled.regex = std::move(re).value();
        } else {
          p.add(at("spec.analysis.alerts", i) + ".matchLabels." + label,
                "invalid regex " + base::quoteExcerpt(m.value, 80) + ": " + re.error());
        }
      }
      gate.matchers.push_back(std::move(m));
    }
    c.alerts.push_back(std::move(gate));
  }
  for (size_t i = 0; i < spec.queries.size(); ++i) {
    const QueryCheck& q = spec.queries[i];
    checkTemplate(q.query, false, at("spec.analysis.queries", i) + ".query", p);
    c.thresholds.push_back({"query/" + q.name, q.query, q.min, q.max, q.onNoData});
  }
  for (size_t i = 0; i < ext.baselines.size(); ++i) {
    checkTemplate(ext.baselines[i].query, true, at("spec.analysis.baseline", i) + ".query", p);
    c.baselines.push_back(ext.baselines[i]);
  }
  std::set<std::string> builtins;
  for (size_t i = 0; i < ext.builtins.size(); ++i) {
    std::string field = at("spec.analysis.builtins", i) + ".name";
    if (!builtins.insert(ext.builtins[i].name).second) {
      p.add(field, "Duplicate value: \"" + ext.builtins[i].name + "\"");
    } else if (auto problem = compileBuiltin(ext.builtins[i], c)) {
      p.add(field, *problem);
    }
  }
  return out;
}

}  // namespace tro::controllers::analysis
