#pragma once
// A TelemetryRollout or ClusterTelemetryRollout as the controller reads it, parsed once per
// resourceVersion at the cache boundary: identity and metadata, the validated spec (with the
// analysis fields criteria.h reads), its hash, and the selectors, kinds and namespaces the event
// handlers ask about. Informer handlers, the namespace and kind bookkeeping, the Deployment event
// mapping and the reconciler's observation all read this value instead of re-reading the JSON
// (before, a Deployment event parsed the selector of every rollout of its namespace).
//
// typeRollout() is pure and never throws: every field of a rollout is a tenant's input, so a
// malformed one gives an invalid spec (with its problems) and selects nothing.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "controllers/analysis/criteria.h"
#include "controllers/rollout/plan.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/kube/label_selector.h"
#include "operator/runtime/store.h"  // ObjectPtr only: this library does not link the runtime

namespace tro::controllers {

struct TypedRollout {
  runtime::ObjectPtr object;  // as stored; never null
  RolloutIdentity identity;   // namespace, name, uid, generation, deletion, finalizer, annotations
  std::string key;            // "ns/name"; a cluster rollout's is its name
  std::string resourceVersion;
  ParsedSpec spec;                      // parseSpec() in the rollout's scope
  analysis::ParsedExtensions analysis;  // the analysis fields spec.h leaves to criteria.h
  std::string specHash;                 // rolloutSpecHash()
  // spec.notifications alone: an invalid spec still reports its Failed phase to its own webhook.
  ParsedNotifications notifications;
  std::optional<kube::LabelSelector> selector;           // spec.selector, when valid, non-empty
  std::optional<kube::LabelSelector> namespaceSelector;  // likewise; cluster rollouts only
  std::vector<WorkloadKind> watchedKinds;     // watchedKinds(): targetKinds and status' kinds
  std::vector<std::string> listedNamespaces;  // status.targets[].namespace, sorted, unique

  bool clusterScoped() const { return identity.clusterScoped(); }
};
using TypedRolloutPtr = std::shared_ptr<const TypedRollout>;

// `object` must not be null.
TypedRolloutPtr typeRollout(runtime::ObjectPtr object);

// typeRollout() remembered per key, uid and resourceVersion: each version of a rollout is parsed
// once, however many events and reconciles read it. Thread-safe (informer threads and workers).
// An entry is only a cache: a lookup that does not match it parses and replaces it.
class TypedRollouts {
 public:
  TypedRolloutPtr of(const runtime::ObjectPtr& object);
  std::vector<TypedRolloutPtr> of(const std::vector<runtime::ObjectPtr>& objects);
  // The rollout was deleted: its entry goes (a later version is parsed anew anyway).
  void forget(const std::string& key);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, TypedRolloutPtr> byKey_;  // guarded by mu_
};

}  // namespace tro::controllers
