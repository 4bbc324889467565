// kubesim's RFC 7386 JSON merge patch (kubesim/patch/merge_patch.h). Input: the stored object,
// then (after the first blank line or NUL) the patch. Invariants: a merge patch is idempotent
// (applying it twice gives what applying it once gave); the result serialises.

#include "kubesim/patch/merge_patch.h"
#include "tests/fuzz/kubesim_fuzz_util.h"

using namespace tro::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const auto [objectText, patchText] = splitAt(asText(data, size), "\n\n");
  const auto object = decodeLikeKubesim(objectText);
  const auto patch = decodeLikeKubesim(patchText);
  if (!object || !object->is_object() || !patch) return 0;
  const kubesim::Json once = kubesim::patch::applyMergePatch(*object, *patch);
  require(kubesim::patch::applyMergePatch(once, *patch) == once);
  requireSerialisable(once);
  return 0;
}
