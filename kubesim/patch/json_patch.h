#pragma once
// RFC 6902 JSON patch (application/json-patch+json): add, remove, replace, move, copy, test,
// with RFC 6901 pointers ("~0" "~1" escapes, "-" appends to an array).
// Errors as kube-apiserver reports them: a body that is not a JSON array -> 400 BadRequest; any
// operation that cannot be applied (unknown op, missing value, unresolvable pointer, failing test)
// -> 422 Invalid "the server rejected our request due to an error in our request" with no causes
// (reference §32; the real Status also carries an empty "details": {}, which ApiError::toStatus
// omits). The input is never modified; all operations apply or none.

#include "kubesim/common/api_error.h"

namespace kubesim::patch {

Result<Json> applyJsonPatch(const Json& doc, const Json& patchOps);

}  // namespace kubesim::patch
