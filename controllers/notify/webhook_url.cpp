#include "controllers/notify/webhook_url.h"

#include <cctype>

namespace tro::controllers::notify {

namespace {

std::optional<std::string> portProblem(const std::string& port) {
  if (port.empty() || port.size() > 5) return "has an invalid port";
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "has an invalid port";
  }
  const long value = std::stol(port);
  if (value < 1 || value > 65535) return "has an invalid port";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> webhookUrlProblem(const std::string& url) {
  if (url.empty()) return "Required value";
  size_t schemeEnd = 0;
  if (url.rfind("http://", 0) == 0) {
    schemeEnd = 7;
  } else if (url.rfind("https://", 0) == 0) {
    schemeEnd = 8;
  } else {
    return "must be an http:// or https:// URL";
  }
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return "must not contain whitespace or control characters";
  }
  const size_t authorityEnd = url.find_first_of("/?#", schemeEnd);
  const std::string authority = url.substr(
      schemeEnd, authorityEnd == std::string::npos ? std::string::npos : authorityEnd - schemeEnd);
  if (authority.find('@') != std::string::npos) return "must not carry user info (user:password@)";
  std::string host = authority;
  std::string port;
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
    const size_t close = authority.find(']');
    if (close == std::string::npos) return "has an unterminated IPv6 host";
    host = authority.substr(0, close + 1);
    const std::string rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "has an invalid host";
      port = rest.substr(1);
      if (auto p = portProblem(port)) return p;
    }
    if (host.size() <= 2) return "must name a host";
    return std::nullopt;
  }
  if (const size_t colon = authority.find(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (auto p = portProblem(port)) return p;
  }
  if (host.empty()) return "must name a host";
  return std::nullopt;
}

}  // namespace tro::controllers::notify
