#pragma once
// Parsing of request paths into what they address. Pure; unit-tested table-driven.
//   /api, /api/v1, /apis, /apis/G, /apis/G/V            discovery
//   /openapi/v3, /openapi/v3/api/v1, /openapi/v3/apis/G/V, /openapi/v2
//   <prefix>[/watch]/R[/name[/sub]]                      cluster-scoped or all namespaces
//   <prefix>[/watch]/namespaces/NS/R[/name[/sub]]        namespaced

#include <optional>
#include <string>

namespace kubesim::api {

struct Route {
  enum class Type {
    Unknown,
    LegacyRoot,    // /api
    GroupList,     // /apis
    Group,         // /apis/G
    ResourceList,  // /api/v1, /apis/G/V
    OpenApiIndex,  // /openapi/v3
    OpenApiDoc,    // /openapi/v3/api/v1, /openapi/v3/apis/G/V
    OpenApiV2,     // /openapi/v2 (not served)
    Resource,      // a collection or an object
  };
  Type type = Type::Unknown;
  std::string group;
  std::string version;
  std::string resource;
  std::optional<std::string> ns;  // set for .../namespaces/NS/R...
  std::string name;               // empty: the collection
  std::string subresource;        // "status", ...
  bool legacyWatch = false;       // the /watch/ path prefix
};

Route parseRoute(const std::string& path);

}  // namespace kubesim::api
