#pragma once
// http(s) URLs from untrusted input (a namespaced spec, an answer's Location), parsed strictly,
// and URLs made safe to echo.
//  - parseHttpUrl(): scheme http or https; a host (DNS name, IPv4, or [IPv6]); an optional port
//    1..65535; no user info (credentials never travel in a URL); no whitespace or control
//    characters (a fragment is dropped: it is never sent). Query strings are refused unless
//    allowQuery.
//  - redactUrl(): the same URL with user info and query values replaced by "REDACTED", for
//    status, Events, logs and metric labels. Works on anything, parseable or not.

#include <string>
#include <string_view>

#include "operator/base/result.h"

namespace tro::base {

struct HttpUrl {
  std::string scheme;  // "http" | "https"
  std::string host;    // lower-cased; an IPv6 literal without its brackets
  int port = 0;        // explicit or the scheme's default
  bool ipv6 = false;
  std::string path;   // "" or "/prefix" (no trailing slash), as written
  std::string query;  // without '?'; empty unless allowQuery
  // scheme://host[:port]: where connections go.
  std::string origin() const;
  // host, or [host] for IPv6: the form patterns and messages use.
  std::string hostForDisplay() const;
};

struct UrlOptions {
  bool allowQuery = false;
};

// The problem, phrased to follow the field name ("must name a host"), or the parsed URL.
Result<HttpUrl, std::string> parseHttpUrl(std::string_view text, UrlOptions options = {});

std::string redactUrl(std::string_view text);

// Escapes everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) and those in
// `alsoKeep` (a path keeps "/") as %XX, upper-case hex; a space becomes %20, never '+'.
std::string percentEncode(std::string_view s, std::string_view alsoKeep = "");

// A decimal TCP port 1..65535 ("has an invalid port" otherwise).
Result<int, std::string> parsePort(std::string_view port);

}  // namespace tro::base
