#include "operator/kube/query.h"

namespace tro::kube {

std::string encodeQuery(const HttpRequest& request) {
  std::string out;
  for (const auto& [key, value] : request.query) {
    if (!out.empty()) out += '&';
    out += percentEncode(key);
    out += '=';
    out += percentEncode(value);
  }
  return out;
}

std::string requestTarget(const HttpRequest& request) {
  std::string query = encodeQuery(request);
  return query.empty() ? request.path : request.path + "?" + query;
}

}  // namespace tro::kube
