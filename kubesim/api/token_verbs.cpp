// The TokenRequest API (authentication.k8s.io/v1, the `token` subresource of serviceaccounts), as
// `kubectl create token SA` calls it, and the authentication of the tokens it issues. The facts
// follow pkg/registry/core/serviceaccount/storage/token.go and
// pkg/apis/authentication/validation: expirationSeconds defaults to an hour and must lie in
// [10 minutes, 2^32 seconds]; audiences default to the API server's own; a token may be bound to
// a Pod, Secret or Node that must exist, and then dies with it as it dies with its
// ServiceAccount.

#include <algorithm>
#include <limits>

#include "kubesim/api/errors.h"
#include "kubesim/api/rbac_authorizer.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/api/uid_generator.h"
#include "kubesim/common/json_field.h"
#include "kubesim/schema/structural.h"

namespace kubesim::api {
namespace {

constexpr std::int64_t kDefaultExpirationSeconds = 3600;
constexpr std::int64_t kMinExpirationSeconds = 600;
constexpr std::int64_t kMaxExpirationSeconds = std::int64_t{1} << 32;

const schema::KindInfo& tokenRequestKind() {
  static const schema::KindInfo kind = [] {
    schema::KindInfo k;
    k.group = "authentication.k8s.io";
    k.version = "v1";
    k.kind = "TokenRequest";
    return k;
  }();
  return kind;
}

// The storage key of an object a token may be bound to, by kind.
std::optional<std::string> boundResource(const std::string& kind) {
  if (kind == "Pod") return storageKey("", "pods");
  if (kind == "Secret") return storageKey("", "secrets");
  if (kind == "Node") return storageKey("", "nodes");
  return std::nullopt;
}

}  // namespace

Result<Response> ApiServer::Impl::createToken(const Target& t) {
  const Request& r = *t.request;
  if (r.method != "POST") return fail(methodNotAllowed());
  const std::string ns = t.route.ns.value_or("");
  const schema::KindInfo& kind = tokenRequestKind();
  auto body = decodeObjectBody(r, kind);
  if (!body) return fail(body.error());
  if (!body->is_object()) {
    return fail(badRequest("the object provided is unrecognized (must be of type TokenRequest)"));
  }
  Json spec = body->value("spec", Json::object());
  if (spec.is_null()) spec = Json::object();
  if (!spec.is_object()) return fail(badRequest("TokenRequest.spec must be an object"));
  const Json* sa = store_.get(t.groupResource, t.key());
  if (sa == nullptr) return fail(notFound("serviceaccounts", "", t.route.name));
  // The real registry validates with an empty name (token.go: errors.NewInvalid(gk, "", errs)).
  const auto invalidSpec = [&](const std::string& field, const std::string& message) {
    return schema::invalidError(kind.kind, kind.group, "",
                                {{"FieldValueInvalid", message, "spec." + field}});
  };

  std::int64_t seconds = kDefaultExpirationSeconds;
  if (auto it = spec.find("expirationSeconds"); it != spec.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return fail(badRequest("TokenRequest.spec.expirationSeconds must be an integer"));
    }
    seconds = it->get<std::int64_t>();
    if (seconds < kMinExpirationSeconds) {
      return fail(invalidSpec("expirationSeconds",
                              "Invalid value: " + std::to_string(seconds) +
                                  ": may not specify a duration less than 10 minutes"));
    }
    if (seconds > kMaxExpirationSeconds) {
      return fail(invalidSpec("expirationSeconds",
                              "Invalid value: " + std::to_string(seconds) +
                                  ": may not specify a duration larger than 2^32 seconds"));
    }
  }
  std::vector<std::string> audiences;
  if (auto it = spec.find("audiences"); it != spec.end() && !it->is_null()) {
    if (!it->is_array()) return fail(badRequest("TokenRequest.spec.audiences must be a list"));
    for (const Json& a : *it) {
      if (!a.is_string()) return fail(badRequest("TokenRequest.spec.audiences must be strings"));
      audiences.push_back(a.get<std::string>());
    }
  }
  if (audiences.empty()) audiences.push_back(kServiceAccountIssuer);

  ServiceAccountTokens::Grant grant{ns, t.route.name, uidOf(*sa), {}, {}, {}};
  Json boundRef = nullptr;
  if (auto it = spec.find("boundObjectRef"); it != spec.end() && it->is_object()) {
    const std::string boundKind = stringField(*it, "kind");
    const std::string boundVersion = stringField(*it, "apiVersion");
    const auto resource = boundVersion == "v1" ? boundResource(boundKind) : std::nullopt;
    if (!resource) {  // a Go GroupVersionKind's String(): "group/version, Kind=kind"
      const auto slash = boundVersion.find('/');
      const std::string gv = slash == std::string::npos ? "/" + boundVersion : boundVersion;
      return fail(badRequest("cannot bind token to object of type " + gv + ", Kind=" + boundKind));
    }
    const std::string boundName = stringField(*it, "name");
    const std::string boundNs = boundKind == "Node" ? "" : ns;
    const Json* bound = store_.get(*resource, ObjectKey{boundNs, boundName});
    const std::string plural = resource->substr(resource->find('/') + 1);
    if (bound == nullptr) return fail(notFound(plural, "", boundName));
    if (boundKind == "Pod") {
      const auto spec = bound->find("spec");
      const std::string podSa =
          spec == bound->end() ? "" : stringField(*spec, "serviceAccountName");
      if (podSa != t.route.name) {
        return fail(badRequest("cannot bind token for serviceaccount \"" + t.route.name +
                               "\" to pod running with different serviceaccount name."));
      }
    }
    const std::string boundUid = uidOf(*bound);
    const std::string wantedUid = stringField(*it, "uid");
    if (!wantedUid.empty() && wantedUid != boundUid) {
      return fail(conflict(boundKind, "", boundName,
                           "the UID in the bound object reference (" + wantedUid +
                               ") does not match the UID in record. The object might have been "
                               "deleted and then recreated"));
    }
    grant.bound = ServiceAccountTokens::BoundObject{*resource, boundNs, boundName, boundUid};
    boundRef = *it;
  }

  const auto issuedAt = options_.clock();
  grant.expires = issuedAt + std::chrono::seconds(seconds);
  const std::string token = tokens_.issue(grant, audiences, issuedAt, tokenIds_.next());
  Json out = {
      {"kind", kind.kind},
      {"apiVersion", kind.apiVersion()},
      {"metadata", {{"name", t.route.name}, {"namespace", ns}, {"creationTimestamp", nullptr}}},
      {"spec",
       {{"audiences", audiences}, {"expirationSeconds", seconds}, {"boundObjectRef", boundRef}}},
      {"status", {{"token", token}, {"expirationTimestamp", formatTimestamp(grant.expires)}}}};
  return jsonResponse(201, out);
}

std::optional<UserInfo> ApiServer::Impl::authenticate(const std::string& token) {
  std::lock_guard lock(mutex_);
  auto grant = tokens_.find(token, options_.clock());
  if (!grant) return std::nullopt;
  const Json* sa = store_.get(storageKey("", "serviceaccounts"), ObjectKey{grant->ns, grant->name});
  if (sa == nullptr || uidOf(*sa) != grant->uid) return std::nullopt;
  // The API server accepts only tokens meant for it.
  if (std::find(grant->audiences.begin(), grant->audiences.end(), kServiceAccountIssuer) ==
      grant->audiences.end()) {
    return std::nullopt;
  }
  if (grant->bound) {
    const auto& b = *grant->bound;
    const Json* bound = store_.get(b.groupResource, ObjectKey{b.ns, b.name});
    if (bound == nullptr || uidOf(*bound) != b.uid) return std::nullopt;
  }
  return serviceAccountUser(grant->ns, grant->name);
}

}  // namespace kubesim::api
