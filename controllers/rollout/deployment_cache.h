#pragma once
// What the controller keeps of each Deployment, and how a reconcile finds the few it needs.
//
// The cache (deploymentStoreOptions) holds every Deployment of the watched namespaces without
// metadata.managedFields, packed (compact JSON text, store.h), and indexed by the rollout its
// owner annotation names. Nothing else is dropped: the executor computes its first write from
// the cached copy (executor.h), and a copy that lost a field would remove it on the server. The
// reverting-manager check reads managedFields from the server when it needs them.
//
// A reconcile decodes only the Deployments its rollout selects or owns (candidates): the label
// predicate and the owner index run on the typed metadata beside each packed body.

#include <optional>
#include <string>
#include <vector>

#include "operator/kube/label_selector.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

inline constexpr const char* kOwnerIndex = "telemetry-rollout-owner";

runtime::StoreOptions deploymentStoreOptions();

// spec.selector of a TelemetryRollout; nullopt when missing, empty or invalid (an empty
// selector would select everything; parseSpec() rejects it, so it selects nothing here).
std::optional<kube::LabelSelector> rolloutSelector(const kube::Json& rollout);

// The Deployments of namespace `ns` that `rollout` (key "ns/name") selects or owns, each once,
// from every cache in `stores` (a namespace may be in several).
std::vector<runtime::ObjectPtr> candidates(const std::vector<const runtime::Store*>& stores,
                                           const std::string& ns, const kube::Json& rollout,
                                           const std::string& key);

}  // namespace tro::controllers
