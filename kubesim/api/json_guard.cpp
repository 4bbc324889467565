#include "kubesim/api/json_guard.h"

#include "operator/base/bounded_json.h"
#include "operator/base/utf8.h"

namespace kubesim::api {

std::optional<char> excessiveNesting(std::string_view text, int maxDepth) {
  std::size_t at = 0;
  if (tro::base::jsonDepth(text, maxDepth, &at) >= 0) return std::nullopt;
  return text[at];
}

std::optional<std::size_t> invalidUtf8At(std::string_view text) {
  return tro::base::firstInvalidUtf8(text);
}

}  // namespace kubesim::api
