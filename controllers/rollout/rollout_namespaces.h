#pragma once
// The namespaces a rollout reaches. Pure; reads raw JSON, because the informer handlers ask for
// every rollout, valid or not.
//
// A TelemetryRollout reaches its own namespace and nothing else, whatever its spec says (the
// tenant boundary). A ClusterTelemetryRollout selects namespaces by spec.namespaceSelector over
// the Namespaces' labels; it also reads, without selecting in them, the namespaces its
// status.targets still name, so that a namespace leaving the selector, or a spec turned invalid,
// gets its workloads given back rather than forgotten.

#include <string>
#include <vector>

#include "operator/kube/resource.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

struct RolloutNamespaces {
  std::vector<std::string> selected;  // whose workloads may be targets (sorted)
  std::vector<std::string> read;      // whose workloads are observed: selected and listed (sorted)
};

// `namespaces`: the Namespace objects known (ignored for a namespaced rollout).
RolloutNamespaces rolloutNamespaces(const kube::Json& rollout,
                                    const std::vector<runtime::ObjectPtr>& namespaces);

// Whether `rollout` reads namespace `ns` (its RolloutNamespaces::read holds it) without listing
// every Namespace: `nsObject` is that Namespace, null when unknown.
bool readsNamespace(const kube::Json& rollout, const std::string& ns, const kube::Json* nsObject);

// Whether `rollout` (a TelemetryRollout or a ClusterTelemetryRollout) is cluster-scoped: it has
// no metadata.namespace.
bool isClusterRollout(const kube::Json& rollout);

}  // namespace tro::controllers
