#pragma once
// RFC 6902 JSON patch (application/json-patch+json): add, remove, replace, move, copy, test,
// with RFC 6901 pointers ("~0" "~1" escapes, "-" appends to an array).
// Errors as kube-apiserver reports them: a body that is not a JSON array -> 400 BadRequest; any
// operation that cannot be applied (unknown op, missing value, unresolvable pointer, failing test)
// -> 422 Invalid "the server rejected our request due to an error in our request" with no causes
// (reference §32; the real Status also carries an empty "details": {}, which ApiError::toStatus
// omits). The input is never modified; all operations apply or none.
// Limits as kube-apiserver sets them: more than 10,000 operations -> 413 RequestEntityTooLarge;
// copies that add more than 3 MiB in all (JSONPatchMaxCopyBytes, measured as compact JSON) -> the
// same 422 as any other operation that cannot be applied.

#include "kubesim/common/api_error.h"

namespace kubesim::patch {

inline constexpr size_t kMaxJsonPatchOperations = 10'000;
inline constexpr size_t kMaxJsonPatchCopyBytes = 3 * 1024 * 1024;

Result<Json> applyJsonPatch(const Json& doc, const Json& patchOps);

}  // namespace kubesim::patch
