#pragma once
// Pod template rules of pkg/apis/core/validation and pkg/apis/apps/validation (Kubernetes 1.32)
// that kubesim enforces, with the real messages and field paths, in the real order. Shared by
// every kind with a pod template: Deployments use it now; ReplicaSets, StatefulSets and DaemonSets
// can call the same functions with their own paths.
//   validatePodSpec          ValidatePodSpec: volumes (name, one source, unique), containers then
//                            initContainers (name, image, ports, env, volumeMounts, resources,
//                            names unique across both lists)
//   validateWorkloadTemplate ValidatePodTemplateSpecForReplicaSet: the selector matches the
//                            template labels, the pod spec, restartPolicy Always, no
//                            activeDeadlineSeconds
//   podSpecQuantityError     the error the JSON decoder reports for the first container resources
//                            quantity (limits, requests) it cannot decode, before any validation
// Inputs are objects after defaulting; fields of the wrong type are skipped (the schema reports
// them). Rules not listed here are not checked (docs/reference/kubesim.md lists what is).

#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::schema {

std::vector<Cause> validatePodSpec(const Json& podSpec, const std::string& path);
std::vector<Cause> validateWorkloadTemplate(const Json& podTemplate, const Json& selector,
                                            const std::string& path);
std::optional<std::string> podSpecQuantityError(const Json& podSpec);

}  // namespace kubesim::schema
