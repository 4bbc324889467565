// The reviews of authorization.k8s.io/v1, creates that are answered, never stored (201 Created,
// the request with its status filled in), for the requesting user:
//   SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`): status.allowed and, when RBAC
//     allowed it or a binding is broken, status.reason, as the authorizer decides it;
//   SelfSubjectRulesReview (`kubectl auth can-i --list`): the rules the user holds in
//     spec.namespace, as rbac_authorizer.h rulesFor() lists them.
// kubesim's own callers, which carry no user, are allowed everything.

#include "kubesim/api/errors.h"
#include "kubesim/api/rbac_authorizer.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/common/json_field.h"
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
  Json spec = body->value("spec", Json::object());
  if (kind.kind == "SelfSubjectRulesReview") {
    if (!spec.is_object()) spec = Json::object();
    UserInfo user{r.user, r.groups};
    if (user.groups.empty()) user.groups = {kSystemMastersGroup};
    const RbacSnapshot rbac = rbacSnapshot();
    RuleSet rules = rulesFor(user, stringField(spec, "namespace"), rbac.view());
    Json status = {{"resourceRules", std::move(rules.resourceRules)},
                   {"nonResourceRules", std::move(rules.nonResourceRules)},
                   {"incomplete", rules.incomplete}};
    if (!rules.evaluationError.empty()) status["evaluationError"] = rules.evaluationError;
    return jsonResponse(201, Json{{"kind", kind.kind},
                                  {"apiVersion", kind.apiVersion()},
                                  {"metadata", {{"creationTimestamp", nullptr}}},
                                  {"spec", spec},
                                  {"status", std::move(status)}});
  }
  const bool resource = spec.contains("resourceAttributes");
  if (resource == spec.contains("nonResourceAttributes")) {
    return fail(schema::invalidError(
        kind.kind, kind.group, "",
        {{"FieldValueRequired",
          "Required value: exactly one of nonResourceAttributes or resourceAttributes must be "
          "specified",
          "spec.resourceAttributes"}}));
  }
  RequestAttributes asked;
  asked.user = UserInfo{r.user, r.groups};
  const Json& attributes = resource ? spec["resourceAttributes"] : spec["nonResourceAttributes"];
  asked.resourceRequest = resource;
  asked.verb = stringField(attributes, "verb");
  if (resource) {
    asked.apiGroup = stringField(attributes, "group");
    asked.resource = stringField(attributes, "resource");
    asked.subresource = stringField(attributes, "subresource");
    asked.namespace_ = stringField(attributes, "namespace");
    asked.name = stringField(attributes, "name");
  } else {
    asked.path = stringField(attributes, "path");
  }
  const Decision decision = decide(asked);
  Json status = {{"allowed", decision.allowed}};
  if (!decision.reason.empty()) status["reason"] = decision.reason;
  Json out = {{"kind", kind.kind},
              {"apiVersion", kind.apiVersion()},
              {"metadata", {{"creationTimestamp", nullptr}}},
              {"spec", spec},
              {"status", status}};
  return jsonResponse(201, out);
}

}  // namespace kubesim::api
