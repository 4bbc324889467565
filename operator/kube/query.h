#pragma once
// Percent-encoding of query strings, shared by HttpRequest::describe() and the transport so
// that what is logged is exactly what is sent.

#include <string>
#include <string_view>

#include "operator/base/url.h"
#include "operator/kube/http.h"

namespace tro::kube {

using base::percentEncode;  // operator/base/url.h

// "k1=v1&k2=v2" in the request's order, keys and values percent-encoded; "" when no query.
std::string encodeQuery(const HttpRequest& request);

// path + ("?" + query when there is one): the request target as sent on the wire.
std::string requestTarget(const HttpRequest& request);

}  // namespace tro::kube
