// Authorization of every request that comes with a user (api::Request::groups not empty): the
// RBAC authorizer over the Roles, ClusterRoles and bindings in the store, as a real server runs
// it after authentication and before anything else, so an unauthorized request for a resource
// that does not exist is a 403, not a 404.

#include "kubesim/api/errors.h"
#include "kubesim/api/request_attributes.h"
#include "kubesim/api/server_impl.h"

namespace kubesim::api {

std::optional<ApiError> ApiServer::Impl::authorizeRequest(const Request& request,
                                                          const Route& route, bool watch) {
  if (request.groups.empty()) return std::nullopt;  // kubesim's own callers
  RequestAttributes attributes = requestAttributes(request, route);
  if (watch && attributes.resourceRequest) attributes.verb = "watch";
  std::lock_guard lock(mutex_);
  const Decision decision = decide(attributes);
  if (decision.allowed) return std::nullopt;
  return forbidden(attributes, decision.reason);
}

RbacObjects RbacSnapshot::view() const {
  const auto pointers = [](const std::vector<ObjectPtr>& objects) {
    std::vector<const Json*> out;
    out.reserve(objects.size());
    for (const auto& o : objects) out.push_back(o.get());
    return out;
  };
  return RbacObjects{pointers(roles), pointers(clusterRoles), pointers(roleBindings),
                     pointers(clusterRoleBindings)};
}

RbacSnapshot ApiServer::Impl::rbacSnapshot() const {
  const auto all = [this](const char* plural) {
    return store_.list(storageKey("rbac.authorization.k8s.io", plural), std::nullopt);
  };
  return RbacSnapshot{all("roles"), all("clusterroles"), all("rolebindings"),
                      all("clusterrolebindings")};
}

Decision ApiServer::Impl::decide(const RequestAttributes& attributes) const {
  if (attributes.user.groups.empty()) return Decision{true, ""};
  return authorize(attributes, rbacSnapshot().view());
}

}  // namespace kubesim::api
