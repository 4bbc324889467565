#include "kubesim/http/request_target.h"

#include <optional>

namespace kubesim::http {
namespace {

std::optional<int> hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

}  // namespace

std::string percentDecode(const std::string& text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plusIsSpace) {
      out += ' ';
      continue;
    }
    if (c == '%' && i + 2 < text.size()) {
      auto hi = hexValue(text[i + 1]);
      auto lo = hexValue(text[i + 2]);
      if (hi && lo) {
        out += static_cast<char>(*hi * 16 + *lo);
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

RequestTarget parseRequestTarget(const std::string& target) {
  RequestTarget out;
  const std::size_t q = target.find('?');
  out.path = percentDecode(target.substr(0, q), false);
  if (out.path.empty()) out.path.push_back('/');  // not `= "/"`: GCC 12 -Wrestrict false positive
  if (q == std::string::npos) return out;
  std::string_view query(target);
  query.remove_prefix(q + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    std::string name(part.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    out.query.emplace(percentDecode(name, true), percentDecode(value, true));
  }
  return out;
}

}  // namespace kubesim::http
