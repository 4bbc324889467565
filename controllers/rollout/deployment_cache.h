#pragma once
// What the controller keeps of each workload (Deployment, StatefulSet, DaemonSet), and how a
// reconcile finds the few it needs.
//
// A cache (workloadStoreOptions, one per kind) holds every workload of that kind in the watched
// namespaces without metadata.managedFields, packed (compact JSON text, store.h), stamped with
// its kind and apiVersion (a LIST's items carry neither; workload_kind.h reads them back), and
// indexed by the rollout its owner annotation names. Nothing else is dropped: the executor
// computes its first write from the cached copy (executor.h), and a copy that lost a field would
// remove it on the server. The reverting-manager check reads managedFields from the server when
// it needs them.
//
// A reconcile decodes only the workloads its rollout selects or owns (candidates): the label
// predicate and the owner index run on the typed metadata beside each packed body.

#include <optional>
#include <string>
#include <vector>

#include "controllers/api/spec_types.h"
#include "operator/kube/label_selector.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

inline constexpr const char* kOwnerIndex = "telemetry-rollout-owner";

runtime::StoreOptions workloadStoreOptions(WorkloadKind kind);

// The workloads of namespace `ns` that the rollout with `key` selects (`selector`: its
// spec.selector, TypedRollout::selector; none selects nothing) or owns, each once (by target
// key), from every cache in `stores` (a namespace may be in several).
std::vector<runtime::ObjectPtr> candidates(const std::vector<const runtime::Store*>& stores,
                                           const std::string& ns,
                                           const std::optional<kube::LabelSelector>& selector,
                                           const std::string& key);

}  // namespace tro::controllers
