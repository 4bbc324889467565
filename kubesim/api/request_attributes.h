#pragma once
// The authorizer's view of a request (rbac_authorizer.h RequestAttributes), derived from the
// request and its parsed route as k8s.io/apiserver's RequestInfoFactory does: the verb from the
// method (a GET of a collection is list, or watch with ?watch; a DELETE of one is
// deletecollection), the namespace of a namespace's own path being that namespace, and a list or
// watch with fieldSelector=metadata.name=<x> naming <x>. Every path that is not a resource path
// (/api, /apis/G/V, /openapi/v3, /metrics, ...) is a non-resource request. Pure.

#include "kubesim/api/rbac_authorizer.h"
#include "kubesim/api/request.h"
#include "kubesim/api/route.h"

namespace kubesim::api {

RequestAttributes requestAttributes(const Request& request, const Route& route);

}  // namespace kubesim::api
