#pragma once
// Kubernetes protobuf request bodies -> JSON. kubectl's typed clients (`kubectl create namespace`,
// `kubectl create configmap`/`secret`) send `application/vnd.kubernetes.protobuf`, which a real
// server accepts; kubesim's API core speaks JSON, so the HTTP front transcodes these bodies.
// Supported: the "k8s\0" envelope (runtime.Unknown) holding core/v1 Namespace, ConfigMap or
// Secret or ServiceAccount, rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding or
// ClusterRoleBinding, or authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`),
// with the ObjectMeta fields clients set (name, generateName, namespace, uid, resourceVersion,
// labels, annotations, ownerReferences, finalizers). Zero values are omitted, as JSON's omitempty
// would. Other kinds: an error, and the body is passed on unchanged (the API core then answers 415
// as for any unknown format).

#include <optional>
#include <string>

#include "kubesim/api/request.h"
#include "kubesim/common/api_error.h"
#include "operator/base/result.h"

namespace kubesim::http {

inline constexpr const char* kProtobufContentType = "application/vnd.kubernetes.protobuf";

// Error: why the body could not be transcoded (malformed, unsupported kind).
tro::base::Result<Json, std::string> protobufBodyToJson(const std::string& body);

// When `request` carries a protobuf body that transcodes, replaces it with JSON and sets the
// content-type header to application/json. Returns the reason when a protobuf body was left as
// it was; nullopt otherwise.
std::optional<std::string> transcodeProtobufRequest(api::Request& request);

}  // namespace kubesim::http
