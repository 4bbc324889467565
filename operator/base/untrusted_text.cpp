#include "operator/base/untrusted_text.h"

#include <algorithm>

#include "operator/base/utf8.h"

namespace tro::base {
namespace {

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
    const size_t n = utf8SequenceLength(text, i);
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
