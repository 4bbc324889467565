#include "kubesim/api/request.h"

#include <algorithm>
#include <cctype>

namespace kubesim::api {
namespace {

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string> Request::param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Response::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (equalsIgnoreCase(k, name)) return v;
  }
  return {};
}

Response jsonResponse(int status, const Json& body) {
  // Strings that are not UTF-8 (an excerpt of a malformed body in an error message) are written
  // with U+FFFD, as Go's encoder does, instead of making dump() throw.
  return Response{status,
                  {{"Content-Type", "application/json"}},
                  body.dump(-1, ' ', false, Json::error_handler_t::replace)};
}

Response errorResponse(const ApiError& error) { return jsonResponse(error.code, error.toStatus()); }

}  // namespace kubesim::api
