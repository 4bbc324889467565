// The scale subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets, as `kubectl scale`
// and HPA-style clients use it: GET shows the parent's spec.replicas, status.replicas and its
// selector as a string; PUT and PATCH (JSON, merge, strategic merge) change only the parent's
// spec.replicas, through the same commit pipeline as any write (resourceVersion preconditions,
// generation, managedFields with subresource "scale", watch events), and answer the new Scale.

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/common/json_field.h"
#include "kubesim/patch/json_patch.h"
#include "kubesim/patch/managed_fields.h"
#include "kubesim/patch/merge_patch.h"
#include "kubesim/patch/strategic_merge.h"
#include "kubesim/schema/selectors.h"

namespace kubesim::api {
namespace {

std::int64_t integer(const Json& obj, const char* key, std::int64_t fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

Json scaleOf(const Json& parent) {
  const Json& md = parent["metadata"];
  Json meta = Json::object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (md.contains(k)) meta[k] = md[k];
  }
  const Json spec = parent.value("spec", Json::object());
  const Json status = parent.value("status", Json::object());
  Json scaleStatus = {{"replicas", integer(status, "replicas", 0)}};
  if (auto selector = schema::LabelSelector::fromJson(spec.value("selector", Json::object()))) {
    if (!selector->empty()) scaleStatus["selector"] = selector->toString();
  }
  return Json{{"kind", "Scale"},
              {"apiVersion", "autoscaling/v1"},
              {"metadata", meta},
              {"spec", {{"replicas", integer(spec, "replicas", 1)}}},
              {"status", scaleStatus}};
}

ApiError scaleInvalid(const std::string& name, Cause cause) {
  return invalid("Scale.autoscaling", "autoscaling", "Scale", name, {std::move(cause)});
}

}  // namespace

Result<Response> ApiServer::Impl::scale(const Target& t) {
  const schema::KindInfo& kind = *t.kind;
  const Request& r = *t.request;
  const std::string& m = r.method;
  if (m != "GET" && m != "PUT" && m != "PATCH") {
    return fail(methodNotSupported(kind.plural + "/scale", kind.group,
                                   m == "POST"     ? "create"
                                   : m == "DELETE" ? "delete"
                                                   : m));
  }
  const Json* current = store_.get(t.groupResource, t.key());
  if (current == nullptr) return fail(notFound(kind.qualifiedResource(), kind.group, t.route.name));
  Json old = *current;
  patch::unpackManagedFields(old);
  const Json before = scaleOf(old);
  if (m == "GET") return jsonResponse(200, before);

  Json wanted;
  if (m == "PUT") {
    auto body = decodeBody(r, kind, true);
    if (!body) return fail(body.error());
    wanted = std::move(body).value();
  } else {
    const std::string mt = mediaType(r.header("content-type"));
    auto doc = decodePatchBody(r.body);
    if (mt == "application/json-patch+json") {
      if (!doc) return fail(doc.error());
      auto patched = patch::applyJsonPatch(before, *doc);
      if (!patched) return fail(patched.error());
      wanted = std::move(patched).value();
    } else if (mt == "application/merge-patch+json" ||
               mt == "application/strategic-merge-patch+json") {
      if (!doc) return fail(doc.error());
      wanted = patch::applyMergePatch(before, *doc);  // Scale has no patch directives
    } else {
      return fail(unsupportedMediaType(
          "the body of the request was in an unknown format - accepted media types include: "
          "application/json-patch+json, application/merge-patch+json, "
          "application/strategic-merge-patch+json"));
    }
  }
  if (!wanted.is_object()) return fail(badRequest("the body of the request must be a Scale"));
  const Json md = wanted.value("metadata", Json::object());
  if (const std::string rv = stringField(md, "resourceVersion");
      !rv.empty() && rv != stringField(old["metadata"], "resourceVersion")) {
    return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                         "the object has been modified; please apply your changes to the latest "
                         "version and try again"));
  }
  const Json spec = wanted.value("spec", Json::object());
  const auto replicas = spec.is_object() ? spec.find("replicas") : spec.end();
  if (replicas == spec.end() || !replicas->is_number_integer()) {
    return fail(scaleInvalid(
        t.route.name,
        {"FieldValueRequired", "Required value: must be an integer", "spec.replicas"}));
  }
  if (replicas->get<std::int64_t>() < 0) {
    return fail(scaleInvalid(t.route.name,
                             {"FieldValueInvalid",
                              "Invalid value: " + std::to_string(replicas->get<std::int64_t>()) +
                                  ": must be greater than or equal to 0",
                              "spec.replicas"}));
  }
  Json next = old;
  next["spec"]["replicas"] = *replicas;
  auto out = commit(t, &old, std::move(next), false, false);
  if (!out) return fail(out.error());
  Json after = out->object;
  patch::unpackManagedFields(after);
  return jsonResponse(200, scaleOf(after));
}

}  // namespace kubesim::api
