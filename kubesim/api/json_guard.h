#pragma once
// Checks on a request body before any parser sees it, so hostile input becomes a 400 instead of
// exhausting the stack or producing strings nlohmann::json cannot serialise:
//   excessiveNesting  the opening bracket that makes arrays/objects nest deeper than `maxDepth`
//                     (Go's encoding/json allows 10000 and answers "exceeded max depth";
//                     kubesim stops at 1000 because its patch engines recurse per level, and a
//                     strategic merge patch 9990 levels deep overflowed a server thread's stack),
//                     ignoring brackets inside JSON strings; nullopt when within the limit
//   invalidUtf8At     the offset of the first byte that is not well-formed UTF-8 (overlongs,
//                     surrogates and code points past U+10FFFF included), nullopt when valid
// Both scan bytes only and never allocate.

#include <cstddef>
#include <optional>
#include <string_view>

namespace kubesim::api {

inline constexpr int kMaxJsonDepth = 1000;

std::optional<char> excessiveNesting(std::string_view text, int maxDepth = kMaxJsonDepth);
std::optional<std::size_t> invalidUtf8At(std::string_view text);

}  // namespace kubesim::api
