#include "kubesim/patch/merge_patch.h"

namespace kubesim::patch {

Json applyMergePatch(const Json& doc, const Json& patch) {
  if (!patch.is_object()) return patch;
  Json result = doc.is_object() ? doc : Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      result.erase(key);
    } else {
      auto it = result.find(key);
      result[key] = applyMergePatch(it == result.end() ? Json() : *it, value);
    }
  }
  return result;
}

}  // namespace kubesim::patch
