#pragma once
// Turns API server answers into values: a 2xx body into JSON, a non-2xx body (a metav1.Status)
// into an Error that keeps the server's code, reason, message, causes and retry hint, and one
// line of a watch stream into a WatchEvent. A body that is not a Status (a proxy's HTML page, a
// plain-text 503) still yields an Error with the HTTP code, a reason derived from it and an
// excerpt of the body.

#include <functional>
#include <optional>
#include <string>

#include "operator/kube/error.h"
#include "operator/kube/http.h"
#include "operator/kube/resource.h"

namespace tro::kube {

// 2xx: the parsed body (an empty body is an empty object). Otherwise an Api error.
Result<Json> decodeResponse(const HttpResponse& response);
// decodeResponse() of a LIST answer, with each object of the top-level `items` array handed to
// `onItem` as soon as it is parsed and left out of the returned page. Items are handed over only
// from a 2xx body that parses whole; a body that fails to parse may have handed some already.
Result<Json> decodeListResponse(const HttpResponse& response,
                                const std::function<void(Json&&)>& onItem);

// An Api error from a metav1.Status object; `httpCode` is used when the Status has no code.
Error errorFromStatus(const Json& status, int httpCode);

// One line of a watch stream. Blank line: nullopt. ERROR events: the embedded Status as an Error
// (410 Expired => isGone()). Anything unparseable or of an unknown type: a Decode error.
Result<std::optional<WatchEvent>> decodeWatchLine(const std::string& line);

// The Kubernetes reason for an HTTP code without a Status body ("NotFound" for 404, ...).
std::string reasonForCode(int code);

}  // namespace tro::kube
