#pragma once
// What kubesim's harnesses share: bodies decoded the way kubesim decodes them, and the promises
// its patch engines make about their answers.

#include <optional>
#include <string>
#include <string_view>

#include "kubesim/api/json_guard.h"
#include "kubesim/common/api_error.h"
#include "tests/fuzz/fuzz_util.h"

namespace tro::fuzz {

// A body as body_decode.cpp reads a patch: refused when not UTF-8 or nested deeper than
// kMaxJsonDepth, then parsed. nullopt when refused or not JSON (kubesim answers 400).
inline std::optional<kubesim::Json> decodeLikeKubesim(std::string_view text) {
  if (kubesim::api::invalidUtf8At(text) || kubesim::api::excessiveNesting(text) ||
      text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  kubesim::Json value = kubesim::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

// The engines answer malformed or inapplicable patches with 4xx; a 5xx is an exception they
// caught (internalError): a bug, as FuzzCorpusTest holds for the whole server.
inline void requireClientError(const kubesim::ApiError& error) {
  require(error.code >= 400 && error.code < 500);
}

// A result is stored and served: it must serialise and read back as the same value.
inline void requireSerialisable(const kubesim::Json& value) {
  require(kubesim::Json::parse(value.dump(), nullptr, false) == value);
}

inline std::string stringField(const kubesim::Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace tro::fuzz
