#pragma once
// An HTTP request and response as plain values. Requests are built by pure functions
// (requests.h) and unit-tested by asserting on these values; only the transport sends them.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tro::kube {

struct HttpRequest {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // absolute path, not escaped further by the transport: /apis/apps/v1/...
  std::vector<std::pair<std::string, std::string>> query;    // in order; values unescaped
  std::vector<std::pair<std::string, std::string>> headers;  // Accept, Content-Type, ...
  std::string body;
  bool operator==(const HttpRequest&) const = default;
  // "GET /apis/apps/v1/deployments?limit=500": for logs and test failure messages.
  std::string describe() const;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
};

}  // namespace tro::kube
