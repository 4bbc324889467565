#include "operator/base/untrusted_text.h"

#include <algorithm>

namespace tro::base {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0.
size_t utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

struct Cleaned {
  std::string kept;
  std::string suffix;  // "... (N bytes)" when cut
};

Cleaned clean(std::string_view text, size_t maxBytes) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 24);
  size_t i = 0;
  while (i < text.size() && out.size() < maxBytes) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7F) ? (c == '\n' || c == '\t' ? ' ' : '?') : static_cast<char>(c);
      ++i;
      continue;
    }
    const size_t n = utf8Length(text, i);
    if (n == 0 || out.size() + n > maxBytes) {
      out += '?';
      ++i;
      if (n != 0) break;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  Cleaned result{std::move(out), ""};
  if (i < text.size()) result.suffix = "... (" + std::to_string(text.size()) + " bytes)";
  return result;
}

}  // namespace

std::string cleanExcerpt(std::string_view text, size_t maxBytes) {
  Cleaned c = clean(text, maxBytes);
  return c.kept + c.suffix;
}

std::string quoteExcerpt(std::string_view text, size_t maxBytes) {
  Cleaned c = clean(text, maxBytes);
  std::string out = "\"";
  for (char ch : c.kept) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"" + c.suffix;
}

}  // namespace tro::base
