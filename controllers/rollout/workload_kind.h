#pragma once
// The workload kinds a TelemetryRollout targets (spec.targetKinds) and how the controller names
// one target. Pure.
//
// A target's key is its name for a Deployment and "<kind>/<name>" for the other kinds, with the
// kind in lower case as kubectl writes it ("statefulset/db", "daemonset/agent"). Names cannot
// hold '/', so a key is never ambiguous; Deployments keep the bare name every status, Event and
// annotation used before StatefulSets and DaemonSets could be targets. A ClusterTelemetryRollout's
// targets live in many namespaces: their keys are "<namespace>/<kind>/<name>" for every kind
// ("shop/deployment/api"), three parts where a namespaced rollout's have one or two. Waves take
// targets in key order, which is stable across passes whatever the kinds (and, across
// namespaces, groups each namespace's targets together).
//
// The caches stamp each workload with its kind and apiVersion (a LIST's items carry neither),
// so a cached object says what it is: workloadKindOf() reads it back.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/api/spec_types.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

const char* toString(WorkloadKind kind);  // "Deployment", "StatefulSet", "DaemonSet"
// The kind named exactly `kind`; nullopt for any other string.
std::optional<WorkloadKind> workloadKindNamed(std::string_view kind);
kube::ResourceType workloadResource(WorkloadKind kind);
// The kind an object says it is; Deployment when it says nothing or something else.
WorkloadKind workloadKindOf(const nlohmann::json& workload);

struct TargetRef {
  WorkloadKind kind = WorkloadKind::Deployment;
  std::string name;
  std::string namespace_;  // a ClusterTelemetryRollout's target; "" for a namespaced rollout's
  bool operator==(const TargetRef&) const = default;
};
std::string targetKey(const TargetRef& ref);
// From its kind and metadata.name, and its namespace when `withNamespace` (a cluster rollout).
std::string targetKeyOf(const nlohmann::json& workload, bool withNamespace = false);
// The inverse of targetKey(); a key of no known kind is a Deployment's name.
TargetRef targetRef(const std::string& key);
// "Deployment app-1", "StatefulSet db", "Deployment shop/api": a target as messages and Events
// name it.
std::string describeTarget(const std::string& key);
// The kinds whose workloads a rollout needs watched in its namespace: Deployment always, the
// valid kinds of spec.targetKinds, and the kinds of its status.targets (a kind taken out of
// targetKinds keeps its watch until those targets are given back). Reads raw JSON: the informer
// handlers call it on every rollout, valid or not.
std::vector<WorkloadKind> watchedKinds(const nlohmann::json& rollout);

// The namespaces a cluster rollout's status.targets name, sorted, each once (raw JSON: any shape).
std::vector<std::string> listedNamespaces(const nlohmann::json& rollout);

// The workload names of `keys`, in order, each once and none of `except`: what PromQL templates
// match on ({{targets}}, {{deployment}}), where workloads of different kinds may share a name (a
// baseline must not hold a name the enabled cohort holds, or it would compare it with itself).
std::vector<std::string> workloadNames(const std::vector<std::string>& keys,
                                       const std::vector<std::string>& except = {});

}  // namespace tro::controllers
