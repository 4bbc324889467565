#pragma once
// Structural openAPIV3Schema operations, as apiextensions-apiserver performs them on custom
// resources (and kubesim on built-in kinds with their own schemas):
//   validate      -> field errors with the real server's messages (Cause.field "spec.size")
//   applyDefaults -> "default" values, recursively, for absent fields
//   unknownFields -> sorted paths of fields the schema does not declare (fieldValidation
//                    Strict/Warn), e.g. "spec.template.spec.containers[0].foo"
//   prune         -> drop those fields (fieldValidation Ignore and what the server stores), and
//                    null values of non-nullable fields (as the real server before defaulting)
// apiVersion, kind and metadata at the root are always known; x-kubernetes-preserve-unknown-fields
// stops the unknown-field walk; additionalProperties describes map values;
// x-kubernetes-int-or-string accepts integers and strings; nullable accepts null.

#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::schema {

std::vector<Cause> validate(const Json& obj, const Json& schema);
void applyDefaults(Json& obj, const Json& schema);
std::vector<std::string> unknownFields(const Json& obj, const Json& schema);
void prune(Json& obj, const Json& schema);

// 422 Invalid for a kind: message `<Kind>.<group> "<name>" is invalid: <cause>, <cause>` exactly
// as the real server builds it. `group` may be empty (core).
ApiError invalidError(const std::string& kind, const std::string& group, const std::string& name,
                      std::vector<Cause> causes);

// 400 BadRequest `strict decoding error: unknown field "spec.x", unknown field "spec.y"`.
ApiError strictDecodingError(const std::vector<std::string>& unknownPaths);

}  // namespace kubesim::schema
