#include "kubesim/api/request_attributes.h"

#include <algorithm>
#include <cctype>

namespace kubesim::api {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool isWatchRequest(const Request& request, const Route& route) {
  const auto watch = request.param("watch");
  return route.legacyWatch || (watch && (*watch == "true" || *watch == "1"));
}

// fields.Selector.RequiresExactMatch("metadata.name"): the value of a `metadata.name=x` or
// `metadata.name==x` term of a comma-separated selector.
std::string exactNameOf(const std::string& selector) {
  std::size_t start = 0;
  while (start <= selector.size()) {
    std::size_t comma = selector.find(',', start);
    if (comma == std::string::npos) comma = selector.size();
    std::string term = selector.substr(start, comma - start);
    for (const char* prefix : {"metadata.name==", "metadata.name="}) {
      const std::string p = prefix;
      if (term.compare(0, p.size(), p) != 0) continue;
      std::string name = term.substr(p.size());
      // path.IsValidPathSegmentName: a name that could not be a path segment names nothing.
      const bool valid =
          name != "." && name != ".." && name.find_first_of("/%") == std::string::npos;
      return valid ? name : "";
    }
    start = comma + 1;
  }
  return "";
}

}  // namespace

RequestAttributes requestAttributes(const Request& request, const Route& route) {
  RequestAttributes a;
  a.user = UserInfo{request.user, request.groups};
  if (route.type != Route::Type::Resource) {
    a.resourceRequest = false;
    a.verb = lower(request.method);
    a.path = request.path;
    return a;
  }
  a.apiGroup = route.group;
  a.resource = route.resource;
  a.subresource = route.subresource;
  a.name = route.name;
  a.namespace_ = route.ns.value_or(route.resource == "namespaces" ? route.name : "");
  const std::string& m = request.method;
  const bool named = !route.name.empty();
  if (route.legacyWatch) {
    a.verb = "watch";
  } else if (m == "GET" || m == "HEAD") {
    a.verb = named ? "get" : isWatchRequest(request, route) ? "watch" : "list";
  } else if (m == "POST") {
    a.verb = "create";
  } else if (m == "PUT") {
    a.verb = "update";
  } else if (m == "PATCH") {
    a.verb = "patch";
  } else if (m == "DELETE") {
    a.verb = named ? "delete" : "deletecollection";
  } else {
    a.verb = lower(m);
  }
  if ((a.verb == "list" || a.verb == "watch") && !named) {
    a.name = exactNameOf(request.param("fieldSelector").value_or(""));
  }
  return a;
}

}  // namespace kubesim::api
