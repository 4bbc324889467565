#pragma once
// The transport-independent part of the HTTP front: authentication, body limits and the
// endpoints kubesim answers itself (/version, /healthz, /livez, /readyz). Pure functions over
// kubesim::api request/response values, so they are unit-tested without sockets.
//
// Auth choice: every path needs `Authorization: Bearer <token>` except /version and the health
// endpoints, which stay open as on clusters with anonymous auth enabled (kubectl's version
// dispatcher and readiness probes call them before any credentials are in play).

#include <cstddef>
#include <optional>
#include <string>

#include "kubesim/api/request.h"

namespace kubesim::http {

inline constexpr std::size_t kMaxBodyBytes = 3 * 1024 * 1024;

struct FrontOptions {
  std::string token;  // the only accepted bearer token; empty disables authentication
  std::size_t maxBodyBytes = kMaxBodyBytes;
};

// True for paths served without authentication.
bool isOpenPath(const std::string& path);
// True when `authorization` (the raw header value) carries exactly the expected bearer token.
bool bearerTokenMatches(const std::string& authorization, const std::string& token);

// 401 Unauthorized Status (reference §43).
api::Response unauthorizedResponse();
// 413 RequestEntityTooLarge Status, as the real server words it.
api::Response tooLargeResponse(std::size_t limitBytes);
// 400 BadRequest Status for a body that cannot be decoded (a malformed protobuf body).
api::Response undecodableBodyResponse(const std::string& reason);
// 500 InternalError Status for failures inside kubesim itself.
api::Response internalErrorResponse(const std::string& message);

// The answer kubesim gives before (or instead of) the API core: 401 for a missing/wrong token,
// the /version document, "ok" for health checks. nullopt: pass the request to api::ApiServer.
std::optional<api::Response> frontResponse(const api::Request& request,
                                           const FrontOptions& options);

// The /version document for Kubernetes 1.32.
api::Response versionResponse();

}  // namespace kubesim::http
