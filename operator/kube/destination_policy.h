#pragma once
// Where the operator may send requests on a namespaced resource's behalf: the admin's decision,
// not the tenant's (docs/security.md).
//  - An allow-list of host patterns (--allowed-prometheus-hosts, --allowed-webhook-hosts):
//    "host", "host:port", "[ipv6]:port", "*.suffix" (any name under suffix, not suffix itself).
//    An empty list allows any host; the operator warns at start.
//  - Loopback (127.0.0.0/8, ::1, "localhost"), link-local (169.254.0.0/16 with the cloud
//    metadata address, fe80::/10) and unspecified (0.0.0.0, ::) destinations are refused unless
//    a pattern names that exact host (a wildcard never admits them). This holds for the URL's
//    host and for every address its name resolves to, at each request.
// check() is pure (a URL against the list); guardResolved() adds the DNS answer and is what the
// transport calls before every request (transport/cpprest_transport.h destinationGuard).

#include <optional>
#include <string>
#include <vector>

#include "operator/base/result.h"
#include "operator/base/url.h"
#include "operator/kube/error.h"

namespace tro::kube {

struct HostPattern {
  std::string host;  // lower-cased; for a wildcard, the suffix without "*."
  bool wildcard = false;
  std::optional<int> port;
  bool operator==(const HostPattern&) const = default;
};

// "loopback", "link-local", "unspecified" for such an IP literal or name, nullopt otherwise.
std::optional<std::string> specialAddressKind(const std::string& host);

class DestinationPolicy {
 public:
  DestinationPolicy() = default;  // allows any host that is not special
  // `flag` names the flag in messages ("--allowed-prometheus-hosts").
  static base::Result<DestinationPolicy, std::string> parse(
      const std::vector<std::string>& patterns, std::string flag);

  // Always allows exactly this host and port, loopback included, without narrowing an empty
  // list: for a destination the admin set (--notification-webhook-url).
  void exempt(const base::HttpUrl& url);

  bool allowsAnyHost() const { return patterns_.empty(); }
  const std::string& flag() const { return flag_; }

  // Why `url` may not be used ("host 10.0.0.1 is not in --allowed-prometheus-hosts"), or
  // nullopt when it may.
  std::optional<std::string> check(const base::HttpUrl& url) const;
  // The same for a host and port as the transport sees them, plus every address the host
  // resolves to now. A name that does not resolve passes (the request then fails to connect).
  Result<void> guardResolved(const std::string& host, int port) const;

 private:
  bool exactlyNamed(const std::string& host, int port) const;
  std::vector<HostPattern> patterns_;
  std::vector<HostPattern> exempt_;  // exact host and port
  std::string flag_ = "the allowed hosts";
};

}  // namespace tro::kube
