#pragma once
// The field tables of the kinds kubesim reads from protobuf bodies (protobuf_wire.h).

#include <optional>
#include <string>

#include "kubesim/http/protobuf_wire.h"

namespace kubesim::http::protobuf {

// The table of a kind's top-level message, built once per process; null when kubesim has none
// (the request is then answered 415, never misread).
const Fields* kindTable(const std::string& apiVersion, const std::string& kind);

// The kinds built on a pod template (protobuf_workload_kinds.cpp): core/v1 Pod, PodTemplate,
// ReplicationController and Service, apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet,
// batch/v1 Job and CronJob, policy/v1 PodDisruptionBudget.
std::optional<Fields> workloadKindTable(const std::string& apiVersion, const std::string& kind);

// core/v1 PersistentVolumeClaim (protobuf_workload_kinds.cpp, where StatefulSets' claim templates
// use it too).
Fields persistentVolumeClaimFields();

// The storage-only kinds kubectl creates imperatively or typed clients write
// (protobuf_more_kinds.cpp): core/v1 Node, Endpoints, ResourceQuota, LimitRange and
// PersistentVolumeClaim, networking.k8s.io/v1 Ingress and NetworkPolicy, autoscaling/v2
// HorizontalPodAutoscaler.
std::optional<Fields> moreKindTable(const std::string& apiVersion, const std::string& kind);

}  // namespace kubesim::http::protobuf
