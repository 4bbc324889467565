#include "kubesim/http/front.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "kubesim/api/rbac_authorizer.h"  // kSystemMastersGroup (header-only use)

namespace kubesim::http {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string headerOf(const api::Request& request, const std::string& lowerName) {
  auto it = request.headers.find(lowerName);
  return it == request.headers.end() ? std::string() : it->second;
}

// Compares in time independent of where the first difference is.
bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

api::Response statusResponse(const ApiError& error) {
  return {error.code, {{"Content-Type", "application/json"}}, error.toStatus().dump()};
}

api::Response healthResponse() {
  return {200,
          {{"Content-Type", "text/plain; charset=utf-8"}, {"X-Content-Type-Options", "nosniff"}},
          "ok"};
}

}  // namespace

bool isOpenPath(const std::string& path) {
  if (path == "/version" || path == "/version/") return true;
  for (std::string_view health : {"/healthz", "/livez", "/readyz"}) {
    if (path == health || startsWith(path, std::string(health) + "/")) return true;
  }
  return false;
}

std::optional<std::string> bearerToken(const std::string& authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  std::string scheme = authorization.substr(0, kScheme.size());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != kScheme) return std::nullopt;
  std::string_view presented(authorization);
  presented.remove_prefix(kScheme.size());
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  if (presented.empty()) return std::nullopt;
  return std::string(presented);
}

bool bearerTokenMatches(const std::string& authorization, const std::string& token) {
  const auto presented = bearerToken(authorization);
  return presented && !token.empty() && constantTimeEquals(*presented, token);
}

std::optional<api::UserInfo> authenticate(const api::Request& request, const FrontOptions& options,
                                          const TokenReviewer& review) {
  if (options.token.empty()) return api::UserInfo{"system:anonymous", {}};
  const auto presented = bearerToken(headerOf(request, "authorization"));
  if (!presented) return std::nullopt;
  if (constantTimeEquals(*presented, options.token)) {
    return api::UserInfo{kAdminUser, {api::kSystemMastersGroup, "system:authenticated"}};
  }
  if (!review) return std::nullopt;
  return review(*presented);
}

api::Response unauthorizedResponse() {
  return statusResponse(ApiError{401, "Unauthorized", "Unauthorized", {}, {}, {}, {}, {}});
}

api::Response tooLargeResponse(std::size_t limitBytes) {
  return statusResponse(
      requestEntityTooLarge("Request entity too large: limit is " + std::to_string(limitBytes)));
}

api::Response undecodableBodyResponse(const std::string& reason) {
  return statusResponse(badRequest("the body of the request could not be decoded: " + reason));
}

api::Response internalErrorResponse(const std::string& message) {
  ApiError error = internalError("Internal error occurred: " + message);
  error.causes.push_back(Cause{"", message, ""});
  return statusResponse(error);
}

api::Response versionResponse() {
  const Json version = {{"major", "1"},
                        {"minor", "32"},
                        {"gitVersion", "v1.32.0"},
                        {"gitCommit", "70d3cc986aa8221cd1dfb1121852688902d3bf53"},
                        {"gitTreeState", "clean"},
                        {"buildDate", "2024-12-11T17:57:11Z"},
                        {"goVersion", "go1.23.3"},
                        {"compiler", "gc"},
                        {"platform", "linux/amd64"}};
  return {200, {{"Content-Type", "application/json"}}, version.dump(1)};
}

std::optional<api::Response> frontResponse(api::Request& request, const FrontOptions& options,
                                           const TokenReviewer& review) {
  if (request.path == "/version" || request.path == "/version/") return versionResponse();
  if (isOpenPath(request.path)) return healthResponse();
  auto user = authenticate(request, options, review);
  if (!user) return unauthorizedResponse();
  request.user = std::move(user->name);
  request.groups = std::move(user->groups);
  if (request.body.size() > options.maxBodyBytes) return tooLargeResponse(options.maxBodyBytes);
  return std::nullopt;
}

}  // namespace kubesim::http
