#pragma once
// Strategic merge patch (application/strategic-merge-patch+json) for built-in kinds, as
// apimachinery's strategicpatch applies it: maps merge (null deletes a key), lists merge by key or
// as sets or are replaced according to PatchMeta, and the directives
//   $patch: replace | merge | delete   (in a map, or in a keyed list item)
//   $setElementOrder/<list>            (order of the merged list; kubectl set env sends it)
//   $deleteFromPrimitiveList/<list>    (remove values from a set-like primitive list)
//   $retainKeys                        (keys of a map to keep; the rest are cleared)
// Merged keyed lists: order follows $setElementOrder when present, otherwise existing items stay
// in place and new ones are appended. Callers decide whether a kind accepts SMP at all (custom
// resources answer 415 before calling this). Malformed patches -> 400 BadRequest; directives
// that do not apply -> 422/400 as the real server words them.

#include "kubesim/common/api_error.h"
#include "kubesim/patch/patch_meta.h"

namespace kubesim::patch {

Result<Json> applyStrategicMergePatch(const Json& doc, const Json& patch, const PatchMeta& meta);

}  // namespace kubesim::patch
