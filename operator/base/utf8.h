#pragma once
// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800..DFFF), nothing past
// U+10FFFF. Text from outside is checked with these before it is echoed or stored, so that a
// JSON serialiser never meets a byte sequence it refuses.

#include <cstddef>
#include <optional>
#include <string_view>

namespace tro::base {

// Length of the well-formed UTF-8 sequence starting at text[i] (1 for ASCII), or 0 when none
// starts there. i < text.size().
std::size_t utf8SequenceLength(std::string_view text, std::size_t i);

// Offset of the first byte that does not start a well-formed sequence; nullopt when all do.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

}  // namespace tro::base
