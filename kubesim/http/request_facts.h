#pragma once
// RequestFacts: what kubesim's operations layer (faults, request accounting) needs to know about
// one API request, derived as kube-apiserver's RequestInfo does: the Kubernetes verb (get, list,
// watch, create, update, patch, delete, deletecollection), group, resource, subresource,
// namespace and name, plus the field manager (query fieldManager) and the User-Agent.
// Non-resource paths (/api, /apis/apps/v1, /openapi/v3, ...) get an empty resource and the
// lower-case HTTP method as verb. Pure; reads the request's maps directly (no kubesim_api link).

#include <string>

#include "kubesim/api/request.h"

namespace kubesim::http {

struct RequestFacts {
  std::string verb;
  std::string group;  // "" for the core group
  std::string resource;
  std::string subresource;
  std::string ns;
  std::string name;
  std::string fieldManager;
  std::string userAgent;

  bool isResource() const { return !resource.empty(); }
  // create, update, patch, delete, deletecollection
  bool isWrite() const;
};

RequestFacts describeRequest(const api::Request& request);

}  // namespace kubesim::http
