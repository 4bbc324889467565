#include "operator/base/bounded_json.h"

#include "operator/base/untrusted_text.h"

#include <algorithm>

namespace tro::base {

int jsonDepth(std::string_view text, int limit, size_t* exceededAt) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        break;
      case '[':
      case '{':
        if (++depth > limit) {
          if (exceededAt != nullptr) *exceededAt = i;
          return -1;
        }
        deepest = std::max(deepest, depth);
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;  // a stray closer cannot buy depth for later openers
        break;
      default:
        break;
    }
  }
  return deepest;
}

Result<nlohmann::json, std::string> parseJsonBounded(std::string_view text, JsonLimits limits) {
  return parseJsonBounded(text, limits, nullptr);
}

Result<nlohmann::json, std::string> parseJsonBounded(
    std::string_view text, JsonLimits limits, const nlohmann::json::parser_callback_t& callback) {
  if (text.size() > limits.maxBytes) {
    return fail("JSON of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                std::to_string(limits.maxBytes) + " bytes");
  }
  if (jsonDepth(text, limits.maxDepth) < 0) {
    return fail("JSON nests deeper than " + std::to_string(limits.maxDepth) + " levels");
  }
  // nlohmann's lexer takes a NUL byte for the end of input, so '{"a":1}\0<anything>' would
  // parse; no JSON text holds a raw NUL (in strings it must be escaped), so it is refused here.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return fail("not valid JSON: a NUL byte at offset " + std::to_string(nul));
  }
  nlohmann::json value = nlohmann::json::parse(text, callback, /*allow_exceptions=*/false);
  if (value.is_discarded()) return fail("not valid JSON: " + quoteExcerpt(text, 64));
  return value;
}

}  // namespace tro::base
