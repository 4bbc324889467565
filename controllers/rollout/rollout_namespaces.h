#pragma once
// The namespaces a rollout reaches. Pure; reads the typed rollout (typed_rollout.h), valid or
// not, because the informer handlers ask for every rollout.
//
// A TelemetryRollout reaches its own namespace and nothing else, whatever its spec says (the
// tenant boundary). A ClusterTelemetryRollout selects namespaces by spec.namespaceSelector over
// the Namespaces' labels; it also reads, without selecting in them, the namespaces its
// status.targets still name, so that a namespace leaving the selector, or a spec turned invalid,
// gets its workloads given back rather than forgotten.

#include <string>
#include <vector>

#include "controllers/rollout/typed_rollout.h"
#include "operator/kube/resource.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

struct RolloutNamespaces {
  std::vector<std::string> selected;  // whose workloads may be targets (sorted)
  std::vector<std::string> read;      // whose workloads are observed: selected and listed (sorted)
};

// `namespaces`: the Namespace objects known (ignored for a namespaced rollout).
RolloutNamespaces rolloutNamespaces(const TypedRollout& rollout,
                                    const std::vector<runtime::ObjectPtr>& namespaces);

// Whether `rollout` reads namespace `ns` (its RolloutNamespaces::read holds it) without listing
// every Namespace: `nsObject` is that Namespace, null when unknown.
bool readsNamespace(const TypedRollout& rollout, const std::string& ns, const kube::Json* nsObject);

}  // namespace tro::controllers
