#pragma once
// The default RBAC objects a real kube-apiserver 1.32 writes at startup (its
// "rbac/bootstrap-roles" post-start hook), limited to the ones a user or a workload meets: the
// user-facing ClusterRoles cluster-admin, admin, edit and view with the system:aggregate-to-*
// roles they are built from, system:discovery, system:basic-user and system:public-info-viewer,
// and the ClusterRoleBindings that hand them to system:masters, system:authenticated and
// system:unauthenticated. The roles the real server keeps for its own components (system:node,
// system:kube-scheduler, the controllers' roles, ...) are left out: kubesim runs none of them.
//
// Facts from kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/
// cluster-roles.yaml and cluster-role-bindings.yaml (the golden files of the bootstrap policy)
// and, for admin, edit and view, pkg/controller/clusterroleaggregation: a real cluster's
// controller manager fills their `rules` with the rules of the ClusterRoles their
// aggregationRule selects. kubesim runs no aggregation controller and its authorizer reads only
// stored `rules` (rbac_authorizer.h), so these objects come with those rules already in place,
// in the order the controller writes them (selected roles by name, each role's rules in its own
// order, duplicates dropped).

#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

// Each {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {name,
// labels, annotations}, "rules": [...]}, plus "aggregationRule" for admin, edit and view. Sorted
// by name. Labels: kubernetes.io/bootstrapping=rbac-defaults (and the aggregate-to-* labels
// where the real roles carry them); annotation rbac.authorization.kubernetes.io/autoupdate=true.
std::vector<Json> bootstrapClusterRoles();

// Each {"apiVersion", "kind": "ClusterRoleBinding", "metadata", "roleRef", "subjects"} with the
// same metadata; subjects are Groups. Sorted by name.
std::vector<Json> bootstrapClusterRoleBindings();

}  // namespace kubesim::api
