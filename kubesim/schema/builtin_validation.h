#pragma once
// What a real kube-apiserver (1.32) checks in the built-in fields of the objects kubesim
// validates, beyond their schema:
//   validateBuiltinFields  the 422 causes of a kind's validation (apps/v1 Deployment,
//                          StatefulSet and DaemonSet, batch/v1 Job and CronJob, policy/v1
//                          PodDisruptionBudget, networking.k8s.io/v1 Ingress paths; no rules for
//                          other kinds yet), run on the object after defaulting, never on status
//                          writes
//   validateDeployment     spec.replicas, the pod template (pod_validation.h), minReadySeconds,
//                          revisionHistoryLimit, progressDeadlineSeconds
//   validateStatefulSet    spec.replicas, updateStrategy (partition >= 0, no rollingUpdate with
//                          OnDelete), the pod template, minReadySeconds, revisionHistoryLimit
//   validateDaemonSet      the pod template, maxUnavailable and maxSurge not both 0,
//                          minReadySeconds, revisionHistoryLimit
//   builtinDecodeError     what the JSON decoder refuses before validation (quantities of
//                          container resources and of the core kinds' resource lists: quota
//                          hard/used, claim requests, node capacity, limit ranges); the verbs
//                          turn it into:
//   decodeBadRequest       create and PUT: 400 `Deployment in version "v1" cannot be handled as a
//                          Deployment: <error>`
//   patchDecodeInvalid     JSON, merge, strategic merge and apply patches: 422 with an empty kind
//                          and name, ` "" is invalid: patch: Invalid value: "<value>": <error>`,
//                          one cause on field "patch". The quoted value is the patched object's
//                          JSON (JSON and merge patches) or Go's %+v of the patch map (strategic
//                          merge; patchMapText). kubesim cuts it after kPatchValueLimit bytes and
//                          appends "..." (the real server quotes it whole, with Go's field order).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

inline constexpr std::size_t kPatchValueLimit = 4096;

std::vector<Cause> validateBuiltinFields(const Json& obj, const KindInfo& kind);
std::vector<Cause> validateDeployment(const Json& deployment);
std::vector<Cause> validateStatefulSet(const Json& statefulSet);
// What an update may not change (after validateBuiltinFields): a Deployment's or DaemonSet's
// spec.selector ("field is immutable"), a StatefulSet's spec beyond replicas, ordinals,
// template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds, a
// binding's roleRef ("cannot change roleRef"); the values rendered as Go's %#v, as the real
// server does.
std::vector<Cause> validateBuiltinUpdate(const Json& old, const Json& next, const KindInfo& kind);
std::vector<Cause> validateDaemonSet(const Json& daemonSet);

std::optional<std::string> builtinDecodeError(const Json& obj, const KindInfo& kind);
ApiError decodeBadRequest(const KindInfo& kind, const std::string& error);
ApiError patchDecodeInvalid(const std::string& value, const std::string& error);
std::string patchMapText(const Json& patch);

}  // namespace kubesim::schema
