#include "kubesim/schema/openapi.h"

#include <openssl/evp.h>
#include <cctype>

#include "kubesim/schema/crd.h"

namespace kubesim::schema {

namespace {

const char* kPatchRef = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
const char* kStatusRef = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
const char* kDeleteOptionsRef = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";

std::string capitalize(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// Components name of a kind: io.k8s.api.apps.v1.Deployment, io.example.rollout.v1.Gadget.
std::string schemaName(const KindInfo& k) {
  if (!k.isCustom) {
    if (k.group == "apiextensions.k8s.io") {
      return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + k.version + "." + k.kind;
    }
    const std::string g = k.group.empty() ? "core" : k.group.substr(0, k.group.find('.'));
    return "io.k8s.api." + g + "." + k.version + "." + k.kind;
  }
  std::string reversed;
  size_t end = k.group.size();
  while (true) {
    const auto dot = k.group.rfind('.', end == 0 ? 0 : end - 1);
    const size_t start = dot == std::string::npos ? 0 : dot + 1;
    if (!reversed.empty()) reversed += ".";
    reversed += k.group.substr(start, end - start);
    if (dot == std::string::npos) break;
    end = dot;
  }
  return reversed + "." + k.version + "." + k.kind;
}

// The operationId group-version part: AppsV1, CoreV1, RolloutExampleIoV1alpha1.
std::string operationGroup(const KindInfo& k) {
  if (k.group.empty()) return "CoreV1";
  std::string out;
  if (!k.isCustom) {
    out = capitalize(k.group.substr(0, k.group.find('.')));
  } else {
    size_t start = 0;
    while (start <= k.group.size()) {
      const auto dot = k.group.find('.', start);
      out += capitalize(k.group.substr(start, dot == std::string::npos ? dot : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  return out + capitalize(k.version);
}

Json schemaRef(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

Json gvk(const KindInfo& k) {
  return {{"group", k.group}, {"kind", k.kind}, {"version", k.version}};
}

Json queryParam(const char* name, const char* type, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"schema", {{"type", type}, {"uniqueItems", true}}}};
}

Json pathParam(const char* name, const std::string& description) {
  return {{"name", name},
          {"in", "path"},
          {"description", description},
          {"required", true},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

Json writeParams(bool patch) {
  Json p = Json::array(
      {queryParam("dryRun", "string",
                  "When present, indicates that modifications should not be persisted."),
       queryParam("fieldManager", "string",
                  "fieldManager is a name associated with the actor or entity that is making "
                  "these changes."),
       queryParam("fieldValidation", "string",
                  "fieldValidation instructs the server on how to handle objects in the request "
                  "(POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - "
                  "Ignore - Strict - Warn")});
  if (patch) {
    p.push_back(queryParam("force", "boolean",
                           "Force is going to \"force\" Apply requests. It means user will "
                           "re-acquire conflicting fields owned by other people."));
  }
  return p;
}

Json jsonResponse(const Json& schema, const char* description = "OK") {
  return {
      {"description", description},
      {"content",
       {{"application/json", {{"schema", schema}}}, {"application/yaml", {{"schema", schema}}}}}};
}

Json operation(const KindInfo& k, const std::string& verb, const std::string& action,
               const std::string& idSuffix, Json params, Json response) {
  Json op = {{"tags", Json::array({operationGroup(k)})},
             {"operationId", verb + operationGroup(k) + idSuffix},
             {"responses", {{"200", std::move(response)}}},
             {"x-kubernetes-action", action},
             {"x-kubernetes-group-version-kind", gvk(k)}};
  if (!params.empty()) op["parameters"] = std::move(params);
  return op;
}

Json bodyOf(const Json& schema) {
  return {{"content", {{"*/*", {{"schema", schema}}}}}, {"required", true}};
}

Json patchOperation(const KindInfo& k, const std::string& idSuffix) {
  Json op = operation(k, "patch", "patch", idSuffix, writeParams(true),
                      jsonResponse(schemaRef(schemaName(k))));
  Json content = {{"application/apply-patch+yaml", {{"schema", schemaRef(kPatchRef)}}},
                  {"application/json-patch+json", {{"schema", schemaRef(kPatchRef)}}},
                  {"application/merge-patch+json", {{"schema", schemaRef(kPatchRef)}}}};
  if (k.strategicMerge) {
    content["application/strategic-merge-patch+json"] = {{"schema", schemaRef(kPatchRef)}};
  }
  op["requestBody"] = {{"content", std::move(content)}, {"required", true}};
  op["responses"]["201"] = jsonResponse(schemaRef(schemaName(k)), "Created");
  return op;
}

void addPaths(const KindInfo& k, Json& paths) {
  const std::string prefix = k.group.empty() ? "/api/v1" : "/apis/" + k.group + "/" + k.version;
  const std::string scope = k.namespaced ? "Namespaced" : "";
  const std::string base = prefix + (k.namespaced ? "/namespaces/{namespace}/" : "/") + k.plural;
  const std::string self = schemaName(k);
  Json common = Json::array(
      {queryParam("pretty", "string", "If 'true', then the output is pretty printed.")});
  if (k.namespaced) {
    common.push_back(
        pathParam("namespace", "object name and auth scope, such as for teams and projects"));
  }

  Json list = {{"parameters", common}};
  list["get"] = operation(k, "list", "list", scope + k.kind, Json::array(),
                          jsonResponse(schemaRef(self + "List")));
  Json create = operation(k, "create", "post", scope + k.kind, writeParams(false),
                          jsonResponse(schemaRef(self)));
  create["requestBody"] = bodyOf(schemaRef(self));
  list["post"] = std::move(create);
  list["delete"] = operation(k, "delete", "deletecollection", "Collection" + scope + k.kind,
                             Json::array(), jsonResponse(schemaRef(kStatusRef)));
  paths[base] = std::move(list);

  Json itemParams = common;
  itemParams.push_back(pathParam("name", "name of the " + k.kind));
  Json item = {{"parameters", itemParams}};
  item["get"] =
      operation(k, "read", "get", scope + k.kind, Json::array(), jsonResponse(schemaRef(self)));
  Json replace = operation(k, "replace", "put", scope + k.kind, writeParams(false),
                           jsonResponse(schemaRef(self)));
  replace["requestBody"] = bodyOf(schemaRef(self));
  item["put"] = std::move(replace);
  item["patch"] = patchOperation(k, scope + k.kind);
  Json del = operation(k, "delete", "delete", scope + k.kind, Json::array(),
                       jsonResponse(schemaRef(kStatusRef)));
  del["requestBody"] = bodyOf(schemaRef(kDeleteOptionsRef));
  item["delete"] = std::move(del);
  paths[base + "/{name}"] = std::move(item);

  if (k.hasStatus) {
    Json status = {{"parameters", itemParams}};
    status["get"] = operation(k, "read", "get", scope + k.kind + "Status", Json::array(),
                              jsonResponse(schemaRef(self)));
    Json put = operation(k, "replace", "put", scope + k.kind + "Status", writeParams(false),
                         jsonResponse(schemaRef(self)));
    put["requestBody"] = bodyOf(schemaRef(self));
    status["put"] = std::move(put);
    status["patch"] = patchOperation(k, scope + k.kind + "Status");
    paths[base + "/{name}/status"] = std::move(status);
  }
  if (k.namespaced) {
    Json all = {{"parameters", Json::array({common[0]})}};
    all["get"] = operation(k, "list", "list", k.kind + "ForAllNamespaces", Json::array(),
                           jsonResponse(schemaRef(self + "List")));
    paths[prefix + "/" + k.plural] = std::move(all);
  }
}

void addSchemas(const KindInfo& k, Json& schemas) {
  Json s = k.schema.is_object()
               ? k.schema
               : Json{{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  s["x-kubernetes-group-version-kind"] = Json::array({gvk(k)});
  schemas[schemaName(k)] = std::move(s);
  Json list = {{"type", "object"},
               {"required", Json::array({"items"})},
               {"properties",
                {{"apiVersion", {{"type", "string"}}},
                 {"kind", {{"type", "string"}}},
                 {"metadata", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}},
                 {"items", {{"type", "array"}, {"items", schemaRef(schemaName(k))}}}}},
               {"x-kubernetes-group-version-kind",
                Json::array({{{"group", k.group}, {"kind", k.listKind}, {"version", k.version}}})}};
  schemas[schemaName(k) + "List"] = std::move(list);
}

void addMetaSchemas(Json& schemas) {
  schemas[kPatchRef] = {{"type", "object"},
                        {"description",
                         "Patch is provided to give a concrete name and type to the Kubernetes "
                         "PATCH request body."}};
  schemas[kStatusRef] = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  schemas[kDeleteOptionsRef] = {
      {"type", "object"},
      {"properties",
       {{"apiVersion", {{"type", "string"}}},
        {"kind", {{"type", "string"}}},
        {"dryRun", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"gracePeriodSeconds", {{"type", "integer"}}},
        {"orphanDependents", {{"type", "boolean"}}},
        {"preconditions",
         {{"type", "object"},
          {"properties",
           {{"resourceVersion", {{"type", "string"}}}, {"uid", {{"type", "string"}}}}}}},
        {"propagationPolicy", {{"type", "string"}}}}}};
}

std::string urlPath(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

}  // namespace

std::string openapiHash(const Json& document) {
  const std::string text = document.dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha512(), nullptr);
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

std::optional<Json> openapiV3Document(const KindRegistry& registry, const std::string& group,
                                      const std::string& version) {
  const auto kinds = registry.inGroupVersion(group, version);
  if (kinds.empty()) return std::nullopt;
  Json paths = Json::object();
  Json schemas = Json::object();
  for (const KindInfo* k : kinds) {
    addPaths(*k, paths);
    addSchemas(*k, schemas);
  }
  addMetaSchemas(schemas);
  return Json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
              {"paths", std::move(paths)},
              {"components", {{"schemas", std::move(schemas)}}}};
}

Json openapiV3Index(const KindRegistry& registry) {
  Json paths = Json::object();
  for (const auto& gv : registry.groupVersions()) {
    const auto doc = openapiV3Document(registry, gv.group, gv.version);
    if (!doc) continue;
    const std::string p = urlPath(gv.group, gv.version);
    paths[p] = {{"serverRelativeURL", "/openapi/v3/" + p + "?hash=" + openapiHash(*doc)}};
  }
  return {{"paths", std::move(paths)}};
}

}  // namespace kubesim::schema
