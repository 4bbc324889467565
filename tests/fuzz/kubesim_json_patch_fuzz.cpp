// kubesim's RFC 6902 JSON patch engine (kubesim/patch/json_patch.h). Input: the stored object,
// then (after the first blank line or NUL) the patch, each decoded as kubesim decodes bodies.
// Invariants: errors are 4xx; a result serialises.

#include "kubesim/patch/json_patch.h"
#include "tests/fuzz/kubesim_fuzz_util.h"

using namespace tro::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const auto [objectText, patchText] = splitAt(asText(data, size), "\n\n");
  const auto object = decodeLikeKubesim(objectText);
  const auto patch = decodeLikeKubesim(patchText);
  if (!object || !object->is_object() || !patch) return 0;  // stored objects are objects
  const auto result = kubesim::patch::applyJsonPatch(*object, *patch);
  if (!result.ok()) {
    requireClientError(result.error());
    return 0;
  }
  requireSerialisable(*result);
  return 0;
}
