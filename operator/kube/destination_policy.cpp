#include "operator/kube/destination_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

namespace tro::kube {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> kindOfV4(const in_addr& a) {
  const uint32_t v = ntohl(a.s_addr);
  if ((v >> 24) == 127) return "loopback";
  if ((v >> 16) == 0xA9FE) return "link-local";  // 169.254.0.0/16, with 169.254.169.254
  if (v == 0) return "unspecified";
  return std::nullopt;
}

std::optional<std::string> kindOfV6(const in6_addr& a) {
  if (IN6_IS_ADDR_LOOPBACK(&a)) return "loopback";
  if (IN6_IS_ADDR_LINKLOCAL(&a)) return "link-local";
  if (IN6_IS_ADDR_UNSPECIFIED(&a)) return "unspecified";
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    in_addr v4{};
    std::memcpy(&v4.s_addr, &a.s6_addr[12], 4);
    return kindOfV4(v4);
  }
  return std::nullopt;
}

const char* article(const std::string& word) { return word.front() == 'u' ? "an" : "a"; }

Error refused(std::string message) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "DestinationRefused";
  e.message = std::move(message);
  return e;
}

}  // namespace

std::optional<std::string> specialAddressKind(const std::string& rawHost) {
  const std::string host = lower(rawHost);
  if (host == "localhost" || host.ends_with(".localhost") || host == "localhost.") {
    return "loopback";
  }
  // inet_aton also reads the shorthand forms a resolver accepts (127.1, 2130706433, 0x7f.1).
  in_addr v4{};
  if (inet_aton(host.c_str(), &v4) == 1) return kindOfV4(v4);
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return kindOfV6(v6);
  return std::nullopt;
}

base::Result<DestinationPolicy, std::string> DestinationPolicy::parse(
    const std::vector<std::string>& patterns, std::string flag) {
  DestinationPolicy policy;
  policy.flag_ = std::move(flag);
  for (const std::string& raw : patterns) {
    if (raw.empty()) continue;
    HostPattern p;
    std::string text = lower(raw);
    std::string hostPart = text;
    if (!text.empty() && text.front() == '[') {
      const size_t close = text.find(']');
      if (close == std::string::npos)
        return base::fail(policy.flag_ + ": bad pattern \"" + raw + "\"");
      hostPart = text.substr(1, close - 1);
      const std::string rest = text.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') return base::fail(policy.flag_ + ": bad pattern \"" + raw + "\"");
        text = rest;  // ":port"
      } else {
        text.clear();
      }
    } else if (std::count(text.begin(), text.end(), ':') > 1) {
      text.clear();  // a bare IPv6 address: no port (write [addr]:port for one)
    } else if (const size_t colon = text.rfind(':'); colon != std::string::npos) {
      hostPart = text.substr(0, colon);
      text = text.substr(colon);
    } else {
      text.clear();
    }
    if (!text.empty()) {
      auto port = base::parsePort(std::string_view(text).substr(1));
      if (!port.ok()) return base::fail(policy.flag_ + ": bad port in \"" + raw + "\"");
      p.port = *port;
    }
    if (hostPart.starts_with("*.")) {
      p.wildcard = true;
      p.host = hostPart.substr(2);
    } else {
      p.host = hostPart;
    }
    if (p.host.empty() || p.host.find('*') != std::string::npos) {
      return base::fail(policy.flag_ + ": bad pattern \"" + raw +
                        "\" (use host, host:port or *.domain)");
    }
    policy.patterns_.push_back(std::move(p));
  }
  return policy;
}

void DestinationPolicy::exempt(const base::HttpUrl& url) {
  exempt_.push_back({lower(url.host), false, url.port});
}

bool DestinationPolicy::exactlyNamed(const std::string& host, int port) const {
  for (const auto* list : {&patterns_, &exempt_}) {
    for (const HostPattern& p : *list) {
      if (!p.wildcard && p.host == host && (!p.port || *p.port == port)) return true;
    }
  }
  return false;
}

std::optional<std::string> DestinationPolicy::check(const base::HttpUrl& url) const {
  const std::string host = lower(url.host);
  for (const HostPattern& p : exempt_) {
    if (p.host == host && p.port == url.port) return std::nullopt;
  }
  if (auto special = specialAddressKind(host)) {
    if (exactlyNamed(host, url.port)) return std::nullopt;
    return "host " + url.hostForDisplay() + " is " + article(*special) + " " + *special +
           " address, refused unless " + flag_ + " names it";
  }
  if (patterns_.empty()) return std::nullopt;
  for (const HostPattern& p : patterns_) {
    if (p.port && *p.port != url.port) continue;
    if (!p.wildcard && p.host == host) return std::nullopt;
    if (p.wildcard && host.size() > p.host.size() + 1 && host.ends_with("." + p.host)) {
      return std::nullopt;
    }
  }
  return "host " + url.hostForDisplay() + ":" + std::to_string(url.port) + " is not in " + flag_;
}

Result<void> DestinationPolicy::guardResolved(const std::string& host, int port) const {
  base::HttpUrl url;
  url.host = lower(host);
  url.ipv6 = host.find(':') != std::string::npos;
  url.port = port;
  if (auto why = check(url)) return fail(refused(*why));
  if (exactlyNamed(url.host, port) || specialAddressKind(url.host)) return {};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(url.host.c_str(), nullptr, &hints, &found) != 0) return {};
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  std::optional<std::string> special;
  for (addrinfo* a = found; a != nullptr && !special; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      special = kindOfV4(reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr);
    } else if (a->ai_family == AF_INET6) {
      special = kindOfV6(reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    }
  }
  if (special) {
    return fail(refused("host " + url.hostForDisplay() + " resolves to " + article(*special) + " " +
                        *special + " address, refused unless " + flag_ + " names it"));
  }
  return {};
}

}  // namespace tro::kube
