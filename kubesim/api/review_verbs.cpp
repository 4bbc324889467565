// SelfSubjectAccessReview (authorization.k8s.io/v1), as `kubectl auth can-i` sends it: a create
// that is answered, never stored. kubesim's one credential is the cluster admin's, so every
// review is allowed, as a real server answers a member of system:masters; the answer is the
// request with status.allowed set, 201 Created.

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/schema/structural.h"

namespace kubesim::api {

Result<Response> ApiServer::Impl::review(const Target& t) {
  const schema::KindInfo& kind = *t.kind;
  const Request& r = *t.request;
  if (r.method != "POST" || !t.route.name.empty()) return fail(methodNotAllowed());
  auto body = decodeObjectBody(r, kind);
  if (!body) return fail(body.error());
  if (!body->is_object()) {
    return fail(
        badRequest("the object provided is unrecognized (must be of type " + kind.kind + ")"));
  }
  if (auto causes = schema::validate(*body, kind.schema); !causes.empty()) {
    return fail(schema::invalidError(kind.kind, kind.group, "", causes));
  }
  const Json spec = body->value("spec", Json::object());
  const bool resource = spec.contains("resourceAttributes");
  if (resource == spec.contains("nonResourceAttributes")) {
    return fail(schema::invalidError(
        kind.kind, kind.group, "",
        {{"FieldValueRequired",
          "Required value: exactly one of nonResourceAttributes or resourceAttributes must be "
          "specified",
          "spec.resourceAttributes"}}));
  }
  Json out = {{"kind", kind.kind},
              {"apiVersion", kind.apiVersion()},
              {"metadata", {{"creationTimestamp", nullptr}}},
              {"spec", spec},
              {"status", {{"allowed", true}}}};
  return jsonResponse(201, out);
}

}  // namespace kubesim::api
