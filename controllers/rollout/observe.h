#pragma once
// Observe: one look at the caches turned into what the planner and the executor need. Pure:
// values in (the rollout and its candidate workloads as cached), values out.
//  - The spec is parsed once here; the outbound rules (outbound.h) and the analysis criteria
//    (criteria.h) are part of its validity, so a refused address is an InvalidSpec like any other.
//  - A ClusterTelemetryRollout's targets are keyed with their namespace (workload_kind.h).
//  - Each selected workload of the spec's targetKinds is observed (target_observation.h), by
//    target key (workload_kind.h), and dry-run in the Enabled form of the current step: a
//    refusal is an inject conflict the planner leaves alone, and so is a StatefulSet or
//    DaemonSet with nothing to wait for (OnDelete) or a StatefulSet updated from a partition up.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/criteria.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/outbound.h"
#include "controllers/rollout/plan.h"
#include "controllers/rollout/typed_rollout.h"
#include "operator/base/clock.h"
#include "operator/base/log.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

struct Observed {
  PlanInput input;
  std::optional<analysis::Criteria> criteria;
  std::map<std::string, runtime::ObjectPtr> deployments;  // by target key, selected and departed
};

// `selectedNamespaces`: a ClusterTelemetryRollout's (rollout_namespaces.h); a workload elsewhere
// is never selected, only given back when the rollout owns it. Ignored for a namespaced rollout,
// whose candidates all come from its own namespace.
Observed observeAll(const TypedRollout& rollout, const std::vector<runtime::ObjectPtr>& deployments,
                    base::TimePoint now, const OutboundRules& outbound, const base::Logger& log,
                    const std::vector<std::string>& selectedNamespaces = {});

// The injection of step `step` (clamped to the last) for the rollout `key`; an invalid spec
// (nullopt) yields the owner alone, which is all a restore needs.
InjectionConfig configAt(const std::optional<RolloutSpec>& spec, const std::string& key, int step);

// Managers other than the operator that own what it switches: the flag's value in an
// application container, or one of its pod-template annotations; each with what it owns
// ("FEATURE_OTEL", "pod annotation <key>"). Reads managedFields: a live object, not a cached one.
struct Reverter {
  std::string manager;
  std::string field;
};
std::vector<Reverter> revertingManagers(const kube::Json& deployment,
                                        const InjectionConfig& config);

}  // namespace tro::controllers
