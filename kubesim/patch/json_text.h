#pragma once
// Compact JSON text that never throws: strings that are not valid UTF-8 (possible from YAML
// bodies) are written with U+FFFD instead of making nlohmann::json throw.

#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim::patch {

inline std::string compactJson(const Json& v) {
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace kubesim::patch
