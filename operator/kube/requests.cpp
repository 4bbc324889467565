#include "operator/kube/requests.h"

#include <utility>

#include "operator/kube/json_fields.h"
#include "operator/kube/names.h"

namespace tro::kube {
namespace {

constexpr const char* kJson = "application/json";

Result<void> validateType(const ResourceType& type) {
  if (!type.group.empty()) {
    if (auto r = validateSubdomain("API group", type.group); !r) return r;
  }
  if (auto r = validateLabel("API version", type.version); !r) return r;
  return validateLabel("resource", type.resource);
}

HttpRequest baseRequest(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.headers.emplace_back("Accept", kJson);
  return request;
}

void addIfSet(HttpRequest& request, const char* key, const std::string& value) {
  if (!value.empty()) request.query.emplace_back(key, value);
}

Result<std::string> dumpJson(const Json& value) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& e) {
    return fail(invalidRequest(std::string("cannot serialise request body: ") + e.what()));
  }
}

void addWriteQuery(HttpRequest& request, const WriteOptions& options) {
  if (options.dryRun) request.query.emplace_back("dryRun", "All");
  addIfSet(request, "fieldManager", options.fieldManager);
  addIfSet(request, "fieldValidation", options.fieldValidation);
}

// The namespace a write addresses: the argument, else the object's own.
Result<std::string> writeNamespace(const ResourceType& type, const std::string& ns,
                                   const Json& metadata) {
  if (!type.namespaced) return std::string();
  std::string own = stringAt(metadata, "namespace");
  if (ns.empty() && own.empty()) {
    return fail(invalidRequest("a namespace is required for namespaced " + type.resource));
  }
  if (!ns.empty() && !own.empty() && ns != own) {
    return fail(invalidRequest("the object's namespace \"" + own +
                               "\" does not match the request namespace \"" + ns + "\""));
  }
  return ns.empty() ? own : ns;
}

Result<Json> objectMetadata(const Json& object) {
  if (!object.is_object()) return fail(invalidRequest("the object to write must be a JSON object"));
  auto it = object.find("metadata");
  if (it == object.end()) return Json::object();
  if (!it->is_object()) return fail(invalidRequest("metadata must be a JSON object"));
  return *it;
}

// Single-object verbs need a namespace for namespaced types: "" would silently address the
// cluster-wide collection instead.
Result<std::string> objectPath(const ResourceType& type, const std::string& ns,
                               const std::string& name, const std::string& subresource = "") {
  if (type.namespaced && ns.empty()) {
    return fail(invalidRequest("a namespace is required for namespaced " + type.resource));
  }
  if (name.empty()) return fail(invalidRequest("an object name is required"));
  return resourcePath(type, ns, name, subresource);
}

Result<HttpRequest> putRequest(const ResourceType& type, const std::string& ns, const Json& object,
                               const WriteOptions& options, const std::string& subresource) {
  auto metadata = objectMetadata(object);
  if (!metadata) return fail(metadata.error());
  std::string name = stringAt(*metadata, "name");
  if (stringAt(*metadata, "resourceVersion").empty()) {
    return fail(invalidRequest("update of " + type.resource + " \"" + name +
                               "\" needs metadata.resourceVersion"));
  }
  auto target = writeNamespace(type, ns, *metadata);
  if (!target) return fail(target.error());
  auto path = objectPath(type, *target, name, subresource);
  if (!path) return fail(path.error());
  auto body = dumpJson(object);
  if (!body) return fail(body.error());
  HttpRequest request = baseRequest("PUT", std::move(*path));
  request.headers.emplace_back("Content-Type", kJson);
  addWriteQuery(request, options);
  request.body = std::move(*body);
  return request;
}

}  // namespace

Result<std::string> resourcePath(const ResourceType& type, const std::string& ns,
                                 const std::string& name, const std::string& subresource) {
  if (auto r = validateType(type); !r) return fail(r.error());
  std::string path =
      type.group.empty() ? "/api/" + type.version : "/apis/" + type.group + "/" + type.version;
  if (type.namespaced && !ns.empty()) {
    if (auto r = validateLabel("namespace", ns); !r) return fail(r.error());
    path += "/namespaces/" + ns;
  }
  path += "/" + type.resource;
  if (!name.empty()) {
    if (auto r = validateSubdomain("name", name); !r) return fail(r.error());
    path += "/" + name;
  }
  if (!subresource.empty()) {
    if (name.empty()) return fail(invalidRequest("a subresource needs an object name"));
    if (auto r = validateLabel("subresource", subresource); !r) return fail(r.error());
    path += "/" + subresource;
  }
  return path;
}

std::string patchContentType(PatchType type) {
  switch (type) {
    case PatchType::Json:
      return "application/json-patch+json";
    case PatchType::Merge:
      return "application/merge-patch+json";
    case PatchType::StrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::Apply:
      return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

Result<HttpRequest> getRequest(const ResourceType& type, const std::string& ns,
                               const std::string& name) {
  auto path = objectPath(type, ns, name);
  if (!path) return fail(path.error());
  return baseRequest("GET", std::move(*path));
}

Result<HttpRequest> listRequest(const ResourceType& type, const std::string& ns,
                                const ListOptions& options) {
  if (options.limit < 0) return fail(invalidRequest("list limit must not be negative"));
  auto path = resourcePath(type, ns);
  if (!path) return fail(path.error());
  HttpRequest request = baseRequest("GET", std::move(*path));
  addIfSet(request, "labelSelector", options.labelSelector);
  addIfSet(request, "fieldSelector", options.fieldSelector);
  if (options.limit > 0) request.query.emplace_back("limit", std::to_string(options.limit));
  addIfSet(request, "continue", options.continueToken);
  addIfSet(request, "resourceVersion", options.resourceVersion);
  addIfSet(request, "resourceVersionMatch", options.resourceVersionMatch);
  return request;
}

Result<HttpRequest> watchRequest(const ResourceType& type, const std::string& ns,
                                 const WatchOptions& options) {
  auto path = resourcePath(type, ns);
  if (!path) return fail(path.error());
  HttpRequest request = baseRequest("GET", std::move(*path));
  request.query.emplace_back("watch", "true");
  if (options.allowBookmarks) request.query.emplace_back("allowWatchBookmarks", "true");
  addIfSet(request, "labelSelector", options.labelSelector);
  addIfSet(request, "fieldSelector", options.fieldSelector);
  addIfSet(request, "resourceVersion", options.resourceVersion);
  if (options.timeoutSeconds > 0) {
    request.query.emplace_back("timeoutSeconds", std::to_string(options.timeoutSeconds));
  }
  return request;
}

Result<HttpRequest> createRequest(const ResourceType& type, const std::string& ns,
                                  const Json& object, const WriteOptions& options) {
  auto metadata = objectMetadata(object);
  if (!metadata) return fail(metadata.error());
  auto target = writeNamespace(type, ns, *metadata);
  if (!target) return fail(target.error());
  auto path = resourcePath(type, *target);
  if (!path) return fail(path.error());
  auto body = dumpJson(object);
  if (!body) return fail(body.error());
  HttpRequest request = baseRequest("POST", std::move(*path));
  request.headers.emplace_back("Content-Type", kJson);
  addWriteQuery(request, options);
  request.body = std::move(*body);
  return request;
}

Result<HttpRequest> updateRequest(const ResourceType& type, const std::string& ns,
                                  const Json& object, const WriteOptions& options) {
  return putRequest(type, ns, object, options, "");
}

Result<HttpRequest> updateStatusRequest(const ResourceType& type, const std::string& ns,
                                        const Json& object, const WriteOptions& options) {
  return putRequest(type, ns, object, options, "status");
}

Result<HttpRequest> patchRequest(const ResourceType& type, const std::string& ns,
                                 const std::string& name, PatchType patchType,
                                 const std::string& body, const PatchOptions& options) {
  if (patchType == PatchType::Apply && options.fieldManager.empty()) {
    return fail(invalidRequest("server-side apply requires a fieldManager"));
  }
  if (patchType != PatchType::Apply && options.force) {
    return fail(invalidRequest("force is only valid for server-side apply"));
  }
  auto path = objectPath(type, ns, name, options.subresource);
  if (!path) return fail(path.error());
  HttpRequest request = baseRequest("PATCH", std::move(*path));
  request.headers.emplace_back("Content-Type", patchContentType(patchType));
  if (options.dryRun) request.query.emplace_back("dryRun", "All");
  addIfSet(request, "fieldManager", options.fieldManager);
  if (options.force) request.query.emplace_back("force", "true");
  request.body = body;
  return request;
}

Result<HttpRequest> deleteRequest(const ResourceType& type, const std::string& ns,
                                  const std::string& name, const DeleteOptions& options) {
  const std::string& policy = options.propagationPolicy;
  if (!policy.empty() && policy != "Background" && policy != "Foreground" && policy != "Orphan") {
    return fail(invalidRequest("unknown propagationPolicy \"" + policy + "\""));
  }
  auto path = objectPath(type, ns, name);
  if (!path) return fail(path.error());
  Json body = Json::object();
  if (!policy.empty()) body["propagationPolicy"] = policy;
  if (options.preconditionUid) body["preconditions"]["uid"] = *options.preconditionUid;
  if (options.preconditionResourceVersion) {
    body["preconditions"]["resourceVersion"] = *options.preconditionResourceVersion;
  }
  if (options.gracePeriodSeconds) body["gracePeriodSeconds"] = *options.gracePeriodSeconds;
  auto text = dumpJson(body);
  if (!text) return fail(text.error());
  HttpRequest request = baseRequest("DELETE", std::move(*path));
  request.headers.emplace_back("Content-Type", kJson);
  request.body = std::move(*text);
  return request;
}

}  // namespace tro::kube
