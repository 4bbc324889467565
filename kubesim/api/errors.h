#pragma once
// Constructors for the API errors the storage and verbs produce, worded as kube-apiserver words
// them (shared/reference/real-apiserver-responses.md). `resource` is the qualified plural
// ("gadgets.example.test", "deployments.apps", "pods"); `group` is "" for core kinds.

#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

ApiError notFound(const std::string& resource, const std::string& group, const std::string& name);
ApiError alreadyExists(const std::string& resource, const std::string& group,
                       const std::string& name);
ApiError conflict(const std::string& resource, const std::string& group, const std::string& name,
                  const std::string& detail);
// 422 Invalid: "<kind> \"name\" is invalid: [field: msg, ...]" (no brackets for one cause).
ApiError invalid(const std::string& qualifiedKind, const std::string& group,
                 const std::string& detailsKind, const std::string& name,
                 std::vector<Cause> causes);
ApiError expired(std::string message);
// 405 for a verb the resource has no handler for at all (a create-only review's GET, watch):
// the real server's router answers before any storage sees the request.
ApiError methodNotAllowed();
ApiError methodNotSupported(const std::string& resource, const std::string& group,
                            const std::string& verb);
// "the server could not find the requested resource"
ApiError resourceNotFound();

}  // namespace kubesim::api
