#pragma once
// RFC 7386 JSON merge patch (application/merge-patch+json): null deletes a key, objects merge
// recursively, arrays and scalars replace. A non-object patch replaces the whole document.

#include "kubesim/common/api_error.h"

namespace kubesim::patch {

Json applyMergePatch(const Json& doc, const Json& patch);

}  // namespace kubesim::patch
