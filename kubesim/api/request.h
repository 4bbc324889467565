#pragma once
// Transport-independent request and response values for the kubesim API core. The HTTP layer
// (kubesim/http) decodes the wire request into a Request and writes a Response back unchanged;
// everything Kubernetes-specific happens in ApiServer.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

// Who a request is from, as an authenticator reports it (k8s.io/apiserver user.Info).
struct UserInfo {
  std::string name;
  std::vector<std::string> groups;
};

struct Request {
  std::string method;  // upper case: GET, POST, PUT, PATCH, DELETE
  std::string path;    // decoded path without the query string, e.g. /apis/apps/v1/namespaces/x
  std::multimap<std::string, std::string> query;  // percent-decoded names and values
  std::map<std::string, std::string> headers;     // names lower-cased, e.g. "content-type"
  std::string body;
  std::string user;  // authenticated user name (used as the default field manager)
  // The authenticated user's groups. Empty only for callers that are not authorized: kubesim's
  // own in-process controllers and tests, and every request when the HTTP front runs with
  // authentication disabled. Any authenticated user has at least system:authenticated.
  std::vector<std::string> groups;

  // First value of a query parameter, if present.
  std::optional<std::string> param(const std::string& name) const;
  // Header value by lower-case name, or "" when absent.
  std::string header(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Content-Type", "..."}
  std::string body;

  // The first header with this (case-insensitive) name, or "" when absent.
  std::string header(const std::string& name) const;
};

// A JSON response with Content-Type application/json.
Response jsonResponse(int status, const Json& body);
// The Status body of an error, with its code as the HTTP status.
Response errorResponse(const ApiError& error);

}  // namespace kubesim::api
