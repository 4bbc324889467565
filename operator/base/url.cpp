#include "operator/base/url.h"

#include <cctype>

namespace tro::base {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool isHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool isIpv6Char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

}  // namespace

std::string HttpUrl::hostForDisplay() const { return ipv6 ? "[" + host + "]" : host; }

std::string HttpUrl::origin() const {
  const int defaultPort = scheme == "https" ? 443 : 80;
  std::string out = scheme + "://" + hostForDisplay();
  if (port != defaultPort) out += ":" + std::to_string(port);
  return out;
}

Result<HttpUrl, std::string> parseHttpUrl(std::string_view text, UrlOptions options) {
  if (text.empty()) return fail(std::string("Required value"));
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) return fail(std::string("must not contain non-ASCII characters"));
    if (std::isspace(u) || std::iscntrl(u)) {
      return fail(std::string("must not contain whitespace or control characters"));
    }
  }
  HttpUrl url;
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return fail(std::string("must be an http:// or https:// URL"));
  url.scheme = std::string(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    return fail(std::string("must be an http:// or https:// URL"));
  }
  std::string_view rest = text.substr(sep + 3);
  const size_t authorityEnd = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authorityEnd);
  std::string_view tail = authorityEnd == std::string_view::npos ? "" : rest.substr(authorityEnd);
  if (authority.find('@') != std::string_view::npos) {
    return fail(std::string("must not carry user info (user:password@)"));
  }
  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(std::string("has an unterminated IPv6 host"));
    std::string_view host = authority.substr(1, close - 1);
    if (host.empty()) return fail(std::string("must name a host"));
    for (char c : host) {
      if (!isIpv6Char(c)) return fail(std::string("has an invalid IPv6 host"));
    }
    url.host = lower(host);
    url.ipv6 = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(std::string("has an invalid host"));
      portText = after.substr(1);
      if (portText.empty()) return fail(std::string("has an invalid port"));
    }
  } else {
    const size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) return fail(std::string("has an invalid port"));
    }
    if (host.empty()) return fail(std::string("must name a host"));
    if (host.size() > 253) return fail(std::string("has a host name longer than 253 characters"));
    for (char c : host) {
      if (!isHostChar(c)) return fail(std::string("has an invalid host name"));
    }
    if (host.front() == '.' || host.front() == '-' || host.find("..") != std::string_view::npos) {
      return fail(std::string("has an invalid host name"));
    }
    url.host = lower(host);
  }
  url.port = url.scheme == "https" ? 443 : 80;
  if (!portText.empty()) {
    auto port = parsePort(portText);
    if (!port.ok()) return fail(port.error());
    url.port = *port;
  }
  tail = tail.substr(0, tail.find('#'));  // a fragment is never sent
  const size_t q = tail.find('?');
  if (q != std::string_view::npos) {
    if (!options.allowQuery) return fail(std::string("must not have a query string"));
    url.query = std::string(tail.substr(q + 1));
    tail = tail.substr(0, q);
  }
  url.path = std::string(tail);
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  return url;
}

Result<int, std::string> parsePort(std::string_view port) {
  if (port.empty() || port.size() > 5) return fail(std::string("has an invalid port"));
  int value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return fail(std::string("has an invalid port"));
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return fail(std::string("has an invalid port"));
  return value;
}

std::string redactUrl(std::string_view text) {
  std::string out(text);
  if (const size_t hash = out.find('#'); hash != std::string::npos) {
    out = out.substr(0, hash) + "#REDACTED";  // fragments carry tokens too (OAuth)
  }
  const size_t sep = out.find("://");
  const size_t start = sep == std::string::npos ? 0 : sep + 3;
  const size_t authorityEnd = out.find_first_of("/?#", start);
  const size_t at = out.rfind('@', authorityEnd == std::string::npos ? out.size() : authorityEnd);
  if (at != std::string::npos && at >= start) out.replace(start, at - start, "REDACTED");
  const size_t q = out.find('?');
  if (q == std::string::npos) return out;
  const size_t hash = out.find('#', q);
  const std::string fragment = hash == std::string::npos ? "" : out.substr(hash);
  std::string query =
      out.substr(q + 1, hash == std::string::npos ? std::string::npos : hash - q - 1);
  std::string redacted;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view pair(query.data() + pos,
                          (amp == std::string::npos ? query.size() : amp) - pos);
    const size_t eq = pair.find('=');
    if (!redacted.empty()) redacted += '&';
    redacted += eq == std::string_view::npos ? std::string(pair)
                                             : std::string(pair.substr(0, eq)) + "=REDACTED";
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out.substr(0, q + 1) + redacted + fragment;
}

std::string percentEncode(std::string_view s, std::string_view alsoKeep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' ||
                            alsoKeep.find(static_cast<char>(c)) != std::string_view::npos;
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

}  // namespace tro::base
