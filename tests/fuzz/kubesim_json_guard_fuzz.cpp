// kubesim's request body guard (kubesim/api/json_guard.h), which runs before any parser sees a
// body, against independent references: the depth of the document nlohmann::json parsed, and
// the well-formed byte sequences of Unicode's table 3-7. Input: the body.
// Invariants: on valid JSON, excessiveNesting fires exactly when the document nests deeper than
// the limit (at a small limit, so inputs cross it, and at kMaxJsonDepth), naming a bracket;
// invalidUtf8At gives the offset of the first byte that starts no well-formed sequence; JSON that
// nlohmann accepts is well-formed UTF-8.

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "kubesim/api/json_guard.h"
#include "operator/base/bounded_json.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using tro::fuzz::require;
using Json = nlohmann::json;

// Length of the well-formed UTF-8 sequence at text[i] (Unicode table 3-7), 0 when none.
size_t sequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the second byte's range
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 == 0xe0) lo = 0xa0;
    if (b0 == 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 == 0xf0) lo = 0x90;
    if (b0 == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return n;
}

std::optional<size_t> firstIllFormed(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = sequenceLength(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

// Levels of arrays and objects, without recursion: the document may nest 30000 deep.
int depthOf(const Json& document) {
  int deepest = 0;
  std::vector<std::pair<const Json*, int>> stack{{&document, 0}};
  while (!stack.empty()) {
    auto [value, depth] = stack.back();
    stack.pop_back();
    if (!value->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const Json& child : *value) stack.push_back({&child, depth + 1});
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const std::string_view text = tro::fuzz::asText(data, size);
  const auto invalidAt = kubesim::api::invalidUtf8At(text);
  require(invalidAt == firstIllFormed(text));
  const auto deep = kubesim::api::excessiveNesting(text);
  const auto small = kubesim::api::excessiveNesting(text, 8);
  for (const auto& bracket : {deep, small}) require(!bracket || *bracket == '[' || *bracket == '{');
  // nlohmann stops at a NUL byte as if the input ended there (it accepted '""\0<invalid UTF-8>');
  // kubesim's body decoding and parseJsonBounded refuse any NUL before parsing, so the
  // comparison with nlohmann's reading holds only for texts without one.
  if (text.find('\0') != std::string_view::npos) return 0;
  const Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  require(!invalidAt);
  const int depth = depthOf(document);
  require(deep.has_value() == (depth > kubesim::api::kMaxJsonDepth));
  require(small.has_value() == (depth > 8));
  return 0;
}
