#pragma once
// Pure request builders: one function per ApiClient verb, returning the HttpRequest to send.
// Nothing here does I/O, so every request shape is unit-tested by comparing values (as kube-rs'
// request.rs does).
//
// Paths: core group /api/v1/..., others /apis/<group>/<version>/...; namespaced types get
// /namespaces/<ns>/ (list/watch with ns "" address all namespaces); `ns` is ignored for
// cluster-scoped types. Every namespace, name, group, version and resource is validated (DNS
// rules) before it becomes a path segment, so no input can escape its path; invalid input is an
// Error of kind Config with reason "InvalidRequest".
//
// Every request carries "Accept: application/json"; requests with a body carry its Content-Type.

#include <string>

#include "operator/kube/error.h"
#include "operator/kube/http.h"
#include "operator/kube/query.h"  // encodeQuery(), for callers that send these requests
#include "operator/kube/resource.h"

namespace tro::kube {

// The path of a collection (name "") or of one object, optionally with a subresource.
Result<std::string> resourcePath(const ResourceType& type, const std::string& ns,
                                 const std::string& name = "", const std::string& subresource = "");

// application/json-patch+json, merge-patch+json, strategic-merge-patch+json, apply-patch+yaml.
std::string patchContentType(PatchType type);

Result<HttpRequest> getRequest(const ResourceType& type, const std::string& ns,
                               const std::string& name);
Result<HttpRequest> listRequest(const ResourceType& type, const std::string& ns,
                                const ListOptions& options);
// watch=true plus the options; timeoutSeconds <= 0 leaves the timeout to the server.
Result<HttpRequest> watchRequest(const ResourceType& type, const std::string& ns,
                                 const WatchOptions& options);
// POST to the collection. For a namespaced type, `ns` "" falls back to the object's
// metadata.namespace; a mismatch between the two is an error.
Result<HttpRequest> createRequest(const ResourceType& type, const std::string& ns,
                                  const Json& object, const WriteOptions& options);
// PUT of metadata.name; metadata.resourceVersion is required (optimistic concurrency).
Result<HttpRequest> updateRequest(const ResourceType& type, const std::string& ns,
                                  const Json& object, const WriteOptions& options);
// As updateRequest, to the status subresource.
Result<HttpRequest> updateStatusRequest(const ResourceType& type, const std::string& ns,
                                        const Json& object, const WriteOptions& options);
// PATCH with the patch type's Content-Type. Apply requires a fieldManager; force is only valid
// for Apply. The body is sent as given.
Result<HttpRequest> patchRequest(const ResourceType& type, const std::string& ns,
                                 const std::string& name, PatchType patchType,
                                 const std::string& body, const PatchOptions& options);
// DELETE with a DeleteOptions JSON body holding only the options that are set ("{}" if none).
Result<HttpRequest> deleteRequest(const ResourceType& type, const std::string& ns,
                                  const std::string& name, const DeleteOptions& options);

}  // namespace tro::kube
