#pragma once
// The transport-independent part of the HTTP front: authentication, body limits and the
// endpoints kubesim answers itself (/version, /healthz, /livez, /readyz). Pure functions over
// kubesim::api request/response values, so they are unit-tested without sockets.
//
// Auth choice: every path needs `Authorization: Bearer <token>` except /version and the health
// endpoints, which stay open as on clusters with anonymous auth enabled (kubectl's version
// dispatcher and readiness probes call them before any credentials are in play). Two kinds of
// token are accepted: the kubeconfig's admin token (user kubesim-admin, a member of
// system:masters, so the API core allows it everything) and ServiceAccount tokens the API core
// issued (`kubectl create token`), whose users the core then authorizes by RBAC.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "kubesim/api/request.h"

namespace kubesim::http {

inline constexpr std::size_t kMaxBodyBytes = 3 * 1024 * 1024;

struct FrontOptions {
  std::string token;  // the only accepted bearer token; empty disables authentication
  std::size_t maxBodyBytes = kMaxBodyBytes;
};

// The user name of the admin token.
inline constexpr const char* kAdminUser = "kubesim-admin";

// Looks up a token that is not the admin's (Backend::authenticate).
using TokenReviewer = std::function<std::optional<api::UserInfo>(const std::string& token)>;

// True for paths served without authentication.
bool isOpenPath(const std::string& path);
// The token of an `Authorization` header value "Bearer <token>" (scheme case-insensitive,
// surrounding blanks ignored), or nullopt.
std::optional<std::string> bearerToken(const std::string& authorization);
// True when `authorization` (the raw header value) carries exactly the expected bearer token.
bool bearerTokenMatches(const std::string& authorization, const std::string& token);

// Who sent the request: the admin for the admin token, the user `review` reports for another
// token, nullopt (a 401) for none or an unknown one. With authentication disabled (an empty
// options.token) every request is system:anonymous with no groups, which the API core does not
// authorize.
std::optional<api::UserInfo> authenticate(const api::Request& request, const FrontOptions& options,
                                          const TokenReviewer& review);

// 401 Unauthorized Status (reference §43).
api::Response unauthorizedResponse();
// 413 RequestEntityTooLarge Status, as the real server words it.
api::Response tooLargeResponse(std::size_t limitBytes);
// 400 BadRequest Status for a body that cannot be decoded (a malformed protobuf body).
api::Response undecodableBodyResponse(const std::string& reason);
// 500 InternalError Status for failures inside kubesim itself.
api::Response internalErrorResponse(const std::string& message);

// The answer kubesim gives before (or instead of) the API core: the /version document, "ok" for
// health checks, 401 when authenticate() finds no user, 413 for a body over the limit. nullopt:
// pass the request on to api::ApiServer, with its user and groups set.
std::optional<api::Response> frontResponse(api::Request& request, const FrontOptions& options,
                                           const TokenReviewer& review = {});

// The /version document for Kubernetes 1.32.
api::Response versionResponse();

}  // namespace kubesim::http
