#pragma once
// Percent-encoding of query strings, shared by HttpRequest::describe() and the transport so
// that what is logged is exactly what is sent.

#include <string>
#include <string_view>

#include "operator/kube/http.h"

namespace tro::kube {

// Escapes everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX
// (upper-case hex); a space becomes %20, never '+'.
std::string percentEncode(std::string_view s);

// "k1=v1&k2=v2" in the request's order, keys and values percent-encoded; "" when no query.
std::string encodeQuery(const HttpRequest& request);

// path + ("?" + query when there is one): the request target as sent on the wire.
std::string requestTarget(const HttpRequest& request);

}  // namespace tro::kube
