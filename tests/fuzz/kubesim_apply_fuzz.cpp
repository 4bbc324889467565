// kubesim's server-side apply and managedFields (kubesim/patch/managed_fields.h), with the patch
// metadata of the object's kind. Input: the live object (null: the apply creates it), then (after
// the first blank line or NUL) the applied configuration. The same pair also runs as an update
// (updateManagedFields: live -> applied, as a PUT would store it).
// Invariants: errors are 4xx; a forced apply never conflicts; results serialise.

#include "kubesim/patch/managed_fields.h"
#include "tests/fuzz/kubesim_fuzz_util.h"

using namespace tro::fuzz;
using kubesim::Json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const auto [liveText, appliedText] = splitAt(asText(data, size), "\n\n");
  const auto live = decodeLikeKubesim(liveText);
  const auto applied = decodeLikeKubesim(appliedText);
  if (!live || !(live->is_object() || live->is_null()) || !applied) return 0;
  const Json& kindOf = live->is_object() ? *live : *applied;
  const std::string apiVersion = stringField(kindOf, "apiVersion");
  const auto meta = kubesim::patch::builtinPatchMeta(apiVersion, stringField(kindOf, "kind"));
  const kubesim::patch::WriteContext ctx{"fuzz", apiVersion, "2026-11-21T05:39:24Z", ""};
  const Json* livePtr = live->is_null() ? nullptr : &*live;
  for (bool force : {false, true}) {
    const auto result = kubesim::patch::serverSideApply(livePtr, *applied, force, meta, ctx);
    if (result.ok()) {
      require(result->object.is_object() && result->created == (livePtr == nullptr));
      requireSerialisable(result->object);
      break;
    }
    requireClientError(result.error());
    if (result.error().code != 409) break;  // only a conflict is worth forcing
    require(!force);
  }
  if (applied->is_object()) {
    (void)kubesim::patch::fieldsOf(*applied, meta);
    requireSerialisable(kubesim::patch::updateManagedFields(livePtr, *applied, meta, ctx));
  }
  return 0;
}
