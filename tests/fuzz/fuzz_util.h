#pragma once
// Helpers shared by the libFuzzer harnesses (tests/fuzz/*_fuzz.cpp). A harness calls the product's
// entry points exactly as production does, catches nothing the product promises not to throw,
// and checks the cheap invariants the entry points document with require(): an exception, a
// sanitizer report or a failed invariant is a finding, reported by libFuzzer with its input.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace tro::fuzz {

// Larger inputs are skipped: the parsers' own byte limits are unit-tested, and large inputs only
// slow the search down.
inline constexpr std::size_t kMaxInput = 64u << 10;

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A documented invariant of the code under test; a violation stops the run as a crash.
inline void require(bool invariant) {
  if (!invariant) __builtin_trap();
}

// (before, after) the first `separator` or NUL, whichever comes first; (text, "") when neither
// occurs. Harnesses with two inputs (pattern and subject, object and patch) split with it.
inline std::pair<std::string_view, std::string_view> splitAt(std::string_view text,
                                                             std::string_view separator) {
  std::size_t at = text.find(separator);
  std::size_t nul = text.find('\0');
  std::size_t skip = separator.size();
  if (nul < at) {
    at = nul;
    skip = 1;
  }
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + skip)};
}

}  // namespace tro::fuzz
