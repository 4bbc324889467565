#include "kubesim/world/template_hash.h"

namespace kubesim::world {

std::uint32_t fnv32a(const std::string& bytes) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string safeEncode(const std::string& s) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  constexpr std::size_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) out.push_back(kAlphabet[c % kSize]);
  return out;
}

std::string podTemplateHash(const Json& podTemplate) {
  Json t = podTemplate;
  // The hash label is derived from the template, so it cannot be part of its input.
  if (t.is_object() && t.contains("metadata") && t["metadata"].is_object() &&
      t["metadata"].contains("labels") && t["metadata"]["labels"].is_object()) {
    t["metadata"]["labels"].erase("pod-template-hash");
    if (t["metadata"]["labels"].empty()) t["metadata"].erase("labels");
  }
  // nlohmann's object is a sorted map, so dump() is canonical.
  return safeEncode(std::to_string(fnv32a(t.dump())));
}

}  // namespace kubesim::world
