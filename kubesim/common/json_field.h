#pragma once
// The one tolerant reader of a string field in kubesim: objects come from clients kubesim does
// not control, so a missing field, a value that is not a string, or a parent that is not an
// object all read as "".

#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim {

inline std::string stringField(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace kubesim
