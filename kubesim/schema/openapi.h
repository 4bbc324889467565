#pragma once
// OpenAPI v3 as kube-apiserver serves it: /openapi/v3 (index of group-versions with hashed
// URLs) and /openapi/v3/<api/v1|apis/G/V> documents. kubectl needs, per kind, a components
// schema carrying x-kubernetes-group-version-kind and a PATCH operation carrying both
// x-kubernetes-group-version-kind and a fieldValidation query parameter (for --validate=strict).

#include <optional>
#include <string>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

// {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, "apis/apps/v1": ...}}
Json openapiV3Index(const KindRegistry& registry);

// Document for one group-version; nullopt when the registry serves nothing there.
std::optional<Json> openapiV3Document(const KindRegistry& registry, const std::string& group,
                                      const std::string& version);

// Stable hash (uppercase hex) of a document, as used in the index URLs and ETag.
std::string openapiHash(const Json& document);

}  // namespace kubesim::schema
