// kubesim's strategic merge patch (kubesim/patch/strategic_merge.h), with the patch metadata of
// the stored object's kind as the server picks it (builtinPatchMeta: Deployment, Pod, ConfigMap
// ...; other kinds get the ObjectMeta rules). Input: the stored object, then (after the first
// blank line or NUL) the patch. Invariants: errors are 4xx; a result serialises.

#include "kubesim/patch/strategic_merge.h"
#include "tests/fuzz/kubesim_fuzz_util.h"

using namespace tro::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const auto [objectText, patchText] = splitAt(asText(data, size), "\n\n");
  const auto object = decodeLikeKubesim(objectText);
  const auto patch = decodeLikeKubesim(patchText);
  if (!object || !object->is_object() || !patch) return 0;
  const auto meta = kubesim::patch::builtinPatchMeta(stringField(*object, "apiVersion"),
                                                     stringField(*object, "kind"));
  const auto result = kubesim::patch::applyStrategicMergePatch(*object, *patch, meta);
  if (!result.ok()) {
    requireClientError(result.error());
    return 0;
  }
  requireSerialisable(*result);
  return 0;
}
