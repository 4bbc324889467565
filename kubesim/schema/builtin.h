#pragma once
// Schemas and server-side defaults for the built-in kinds. The schemas are detailed enough for
// strict validation of ordinary manifests; subtrees kubesim does not model are marked
// x-kubernetes-preserve-unknown-fields so valid input is never rejected.

#include <string_view>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

// metav1.ObjectMeta (used for every kind's metadata, including custom kinds).
Json objectMeta();

// Schema of a whole built-in object (apiVersion/kind/metadata/spec/status...); null if unknown.
Json builtinSchema(std::string_view group, std::string_view kind);

// Deployment/ReplicaSet/Pod (and Service, Namespace...) defaults as a real server fills them
// (reference §28). No-op for kinds without defaults and for custom kinds.
void applyBuiltinDefaults(Json& obj, const KindInfo& kind);

}  // namespace kubesim::schema
