#pragma once
// Server-side apply and metadata.managedFields, after structured-merge-diff as kube-apiserver uses
// it (reference §17-22, real-ssa-gitops.md):
// - Apply: the applied configuration is merged into the live object (keyed lists by key, sets by
//   value, other lists and scalars replaced); the applier owns exactly the fields it sent.
//   A field owned by another manager whose value would change is a conflict: 409 Conflict with
//   FieldManagerConflict causes, unless force, which moves ownership to the applier. Applying an
//   equal value shares ownership. Fields the applier owned before, no longer sends, and nobody
//   else owns are removed from the object.
// - Update (POST/PUT/PATCH of other types): the writer takes ownership of the fields it added or
//   changed; every other manager loses them; removed fields leave all sets.
// - Managers whose set becomes empty are dropped. Entries carry manager, operation, apiVersion,
//   time, fieldsType FieldsV1, fieldsV1, and the subresource written through ("status", "scale").
// Ignored (never owned): apiVersion, kind, metadata.name/namespace/uid/resourceVersion/generation/
// creationTimestamp/selfLink/managedFields — and, for main-resource writes, status (the caller
// strips it from `applied` when the kind has a status subresource).
// Callers (simapi) run defaulting/validation on the returned object and stamp system metadata.

#include <string>

#include "kubesim/common/api_error.h"
#include "kubesim/patch/field_set.h"
#include "kubesim/patch/patch_meta.h"

namespace kubesim::patch {

// The fields an applied configuration owns (structured-merge-diff's ToFieldSet).
FieldSet fieldsOf(const Json& appliedObject, const PatchMeta& meta);

struct WriteContext {
  std::string manager;      // fieldManager; required for Apply (the caller answers 422 otherwise)
  std::string apiVersion;   // of the request, e.g. "apps/v1"
  std::string time;         // RFC 3339, seconds precision
  std::string subresource;  // "", "status" or "scale"
};

struct ApplyResult {
  Json object;  // merged object, metadata.managedFields updated
  bool created = false;
};

// `live` is nullptr when the object does not exist (the result is then a create, 201).
// Conflicts -> 409 Conflict "Apply failed with N conflict(s): ..." (message format of §18).
// A malformed live managedFields is tolerated (reset, as the real server does).
Result<ApplyResult> serverSideApply(const Json* live, const Json& applied, bool force,
                                    const PatchMeta& meta, const WriteContext& ctx);

// For non-apply writes: `newObj` is the object about to be stored (its own managedFields, if any,
// are ignored in favour of oldObj's); `oldObj` is null for a create. Returns newObj with updated
// metadata.managedFields. An empty manager leaves managedFields as they were.
Json updateManagedFields(const Json* oldObj, const Json& newObj, const PatchMeta& meta,
                         const WriteContext& ctx, const std::string& operation = "Update");

// Storage form of managedFields. A FieldsV1 tree is hundreds of small JSON nodes (most of them
// empty objects), which as a parsed tree cost more memory than the rest of the object; a real
// server keeps it as raw bytes too. Stored objects hold each entry's fieldsV1 as its compact JSON
// text (a string); responses and watch events unpack it back into the tree clients see.
// decodeManagers reads both forms. Both functions are idempotent and never throw.
void packManagedFields(Json& object);
void unpackManagedFields(Json& object);

}  // namespace kubesim::patch
