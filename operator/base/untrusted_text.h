#pragma once
// Text that came from outside (a Prometheus or webhook answer, an API server's message), made
// fit for status, Events and logs: at most `maxBytes` bytes of it, control characters and
// invalid UTF-8 replaced by '?', double-quoted, and "... (N bytes)" when cut. Never copies more
// of the input than it keeps, so a gigabyte answer costs nothing extra to describe.

#include <cstddef>
#include <string>
#include <string_view>

namespace tro::base {

inline constexpr size_t kExcerptBytes = 256;

std::string quoteExcerpt(std::string_view text, size_t maxBytes = kExcerptBytes);

// The same cleaning without quotes; for messages already framed by the caller.
std::string cleanExcerpt(std::string_view text, size_t maxBytes = kExcerptBytes);

}  // namespace tro::base
