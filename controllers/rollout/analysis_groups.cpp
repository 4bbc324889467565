#include "controllers/rollout/analysis_groups.h"

#include <algorithm>
#include <map>
#include <set>

#include "controllers/rollout/workload_kind.h"

namespace tro::controllers {
namespace {

int severity(analysis::Outcome o) {
  switch (o) {
    case analysis::Outcome::Failed:
      return 2;
    case analysis::Outcome::Inconclusive:
      return 1;
    case analysis::Outcome::Successful:
      break;
  }
  return 0;
}

std::vector<std::string> inNamespace(const std::vector<std::string>& keys, const std::string& ns) {
  std::vector<std::string> out;
  for (const auto& k : keys) {
    if (targetRef(k).namespace_ == ns) out.push_back(k);
  }
  return out;
}

}  // namespace

std::vector<analysis::AnalysisTargets> analysisGroups(const Cohorts& c, const std::string& ns) {
  auto group = [](const std::string& in, const std::vector<std::string>& enabledKeys,
                  const std::vector<std::string>& baselineKeys,
                  const std::vector<std::string>& failedKeys) {
    std::vector<std::string> enabled = workloadNames(enabledKeys);
    std::vector<std::string> baseline = workloadNames(baselineKeys, enabled);
    return analysis::AnalysisTargets{in, std::move(enabled), std::move(baseline), failedKeys};
  };
  if (!ns.empty()) return {group(ns, c.enabled, c.baseline, c.failedRollouts)};
  std::set<std::string> namespaces;
  for (const auto& k : c.enabled) namespaces.insert(targetRef(k).namespace_);
  if (namespaces.empty()) {
    for (const auto& k : c.baseline) namespaces.insert(targetRef(k).namespace_);
  }
  std::vector<analysis::AnalysisTargets> out;
  for (const std::string& n : namespaces) {
    // Deployments (only they report a failed rollout), by name: "rollout/<name>" checks.
    out.push_back(group(n, inNamespace(c.enabled, n), inNamespace(c.baseline, n),
                        workloadNames(inNamespace(c.failedRollouts, n))));
  }
  if (out.empty()) out.push_back({"", {}, {}, {}});  // alerts still gate an empty rollout
  return out;
}

analysis::Verdict combineVerdicts(
    std::vector<std::pair<std::string, analysis::Verdict>> byNamespace, bool nameNamespaces) {
  if (!nameNamespaces && byNamespace.size() == 1) return std::move(byNamespace.front().second);
  analysis::Verdict out;
  std::set<std::string> implicated;
  for (auto& [ns, v] : byNamespace) {
    const std::string prefix = "namespace " + ns + ": ";
    auto mark = [&prefix](analysis::Reason& r) {
      if (!r.message.empty()) r.message = prefix + r.message;
    };
    mark(v.reason);
    if (severity(v.outcome) > severity(out.outcome)) {
      out.outcome = v.outcome;
      out.reason = v.reason;
    }
    for (const auto& name : v.implicated) implicated.insert(ns + "/" + name);
    for (auto& check : v.checks) {
      mark(check.reason);
      for (auto& name : check.implicated) name = ns + "/" + name;
      out.checks.push_back(std::move(check));
    }
  }
  out.implicated.assign(implicated.begin(), implicated.end());
  return out;
}

}  // namespace tro::controllers
