#pragma once
// Authorizer attributes for the RBAC tests: a resource request and a non-resource (path) one.

#include <string>
#include <utility>

#include "kubesim/api/rbac_authorizer.h"

namespace kubesim::api::testing {

inline RequestAttributes resourceRequest(UserInfo u, const std::string& verb,
                                         const std::string& group, const std::string& resource,
                                         const std::string& ns, const std::string& name = "",
                                         const std::string& subresource = "") {
  RequestAttributes a;
  a.user = std::move(u);
  a.verb = verb;
  a.apiGroup = group;
  a.resource = resource;
  a.subresource = subresource;
  a.namespace_ = ns;
  a.name = name;
  return a;
}

inline RequestAttributes pathRequest(UserInfo u, const std::string& verb, const std::string& path) {
  RequestAttributes a;
  a.user = std::move(u);
  a.verb = verb;
  a.resourceRequest = false;
  a.path = path;
  return a;
}

}  // namespace kubesim::api::testing
