#include "kubesim/api/route.h"

#include <vector>

namespace kubesim::api {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  return parts;
}

// parts after the group-version prefix.
Route resourceRoute(Route r, std::vector<std::string> rest) {
  if (!rest.empty() && rest[0] == "watch") {
    r.legacyWatch = true;
    rest.erase(rest.begin());
  }
  if (rest.empty()) return Route{};
  r.type = Route::Type::Resource;
  bool namespacedForm = rest[0] == "namespaces" && rest.size() >= 3 &&
                        !(rest.size() == 3 && (rest[2] == "status" || rest[2] == "finalize"));
  if (namespacedForm) {
    r.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.size() > 3) return Route{};
  r.resource = rest[0];
  if (rest.size() >= 2) r.name = rest[1];
  if (rest.size() == 3) r.subresource = rest[2];
  return r;
}

}  // namespace

Route parseRoute(const std::string& path) {
  auto parts = splitPath(path);
  Route r;
  if (parts.empty()) return r;
  if (parts[0] == "openapi") {
    if (parts.size() == 2 && parts[1] == "v2") r.type = Route::Type::OpenApiV2;
    if (parts.size() < 2 || parts[1] != "v3") return r;
    if (parts.size() == 2) r.type = Route::Type::OpenApiIndex;
    if (parts.size() == 4 && parts[2] == "api") {
      r.type = Route::Type::OpenApiDoc;
      r.version = parts[3];
    }
    if (parts.size() == 5 && parts[2] == "apis") {
      r.type = Route::Type::OpenApiDoc;
      r.group = parts[3];
      r.version = parts[4];
    }
    return r;
  }
  if (parts[0] == "api") {
    if (parts.size() == 1) r.type = Route::Type::LegacyRoot;
    if (parts.size() == 2) r.type = Route::Type::ResourceList;
    if (parts.size() <= 2) {
      if (parts.size() == 2) r.version = parts[1];
      return r;
    }
    r.version = parts[1];
    return resourceRoute(r, {parts.begin() + 2, parts.end()});
  }
  if (parts[0] == "apis") {
    if (parts.size() == 1) r.type = Route::Type::GroupList;
    if (parts.size() >= 2) r.group = parts[1];
    if (parts.size() == 2) r.type = Route::Type::Group;
    if (parts.size() >= 3) r.version = parts[2];
    if (parts.size() == 3) r.type = Route::Type::ResourceList;
    if (parts.size() <= 3) return r;
    return resourceRoute(r, {parts.begin() + 3, parts.end()});
  }
  return r;
}

}  // namespace kubesim::api
