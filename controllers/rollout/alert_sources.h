#pragma once
// Who reads which alerts (issue #14's shared alert poll): a rollout's alert gates, the source its
// /api/v1/alerts answer comes from, and which rollouts an answer concerns. Pure.
//
// A source is one Prometheus asked with one set of credentials (alertSourceKey()):
//  - "provider/<name>" for an admin-defined provider: every rollout naming it shares the answer;
//  - "address/<url>" for an address without credentials or CA: anyone may ask it the same way;
//  - "address/<url>/namespace/<ns>/..." naming the Secrets otherwise, so that an answer fetched
//    with one namespace's credentials is never served to another namespace.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/prometheus_types.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/typed_rollout.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

struct GatedRollout {
  std::string key;  // "<namespace>/<name>"
  std::string ns;
  AnalysisSpec analysis;
  std::vector<analysis::AlertGate> gates;
};

// Whether the rollout's status.phase is Progressing or Paused: it holds enabled Deployments and
// may still analyse or roll back.
bool inFlight(const kube::Json& rollout);

// The rollout's alert gates, when its spec is valid and has any.
std::optional<GatedRollout> gatedRollout(const TypedRollout& rollout);

std::string alertSourceKey(const std::string& ns, const AnalysisSpec& spec);

struct AlertSource {
  std::string key;
  std::vector<GatedRollout> rollouts;  // in input order; the first one's connection is polled
};

// The rollouts whose analysis runs now (status.phase Progressing or Paused, spec.paused unset)
// and that gate on alerts, grouped by source.
std::map<std::string, AlertSource> alertSources(const std::vector<TypedRolloutPtr>& rollouts);

// One entry per (rollout, alert) where the alert breaches one of the rollout's gates at `now`:
// "<rollout key>\n<alert fingerprint>". A poll wakes a rollout for the entries the previous
// poll did not have, so an alert wakes each rollout once while it stays breached.
std::set<std::string> breaches(const AlertSource& source,
                               const std::vector<analysis::Alert>& alerts, base::TimePoint now);

// The rollout keys of `entries` (as breaches() makes them), each once, sorted.
std::vector<std::string> rolloutsOf(const std::set<std::string>& entries);

}  // namespace tro::controllers
