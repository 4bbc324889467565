#include "operator/base/url.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace tro::base {
namespace {

struct GoodCase {
  const char* text;
  const char* scheme;
  const char* host;
  int port;
  bool ipv6;
  const char* path;
  const char* origin;
  const char* display;
};

TEST(UrlTest, ParsesHttpAndHttpsUrls) {
  const GoodCase cases[] = {
      {"http://prometheus.monitoring.svc:9090", "http", "prometheus.monitoring.svc", 9090, false,
       "", "http://prometheus.monitoring.svc:9090", "prometheus.monitoring.svc"},
      {"https://prom.example.com", "https", "prom.example.com", 443, false, "",
       "https://prom.example.com", "prom.example.com"},
      // An explicit default port is omitted from origin().
      {"http://example.com:80/", "http", "example.com", 80, false, "", "http://example.com",
       "example.com"},
      {"https://example.com:443/api/v1/", "https", "example.com", 443, false, "/api/v1",
       "https://example.com", "example.com"},
      // The other scheme's default port is not this scheme's default.
      {"http://example.com:443", "http", "example.com", 443, false, "", "http://example.com:443",
       "example.com"},
      {"https://example.com:80", "https", "example.com", 80, false, "", "https://example.com:80",
       "example.com"},
      {"http://[::1]:9090", "http", "::1", 9090, true, "", "http://[::1]:9090", "[::1]"},
      {"http://[::1]", "http", "::1", 80, true, "", "http://[::1]", "[::1]"},
      {"https://[2001:DB8::1]/prom/", "https", "2001:db8::1", 443, true, "/prom",
       "https://[2001:db8::1]", "[2001:db8::1]"},
      // The host is lower-cased, the path kept as written (without its trailing slash).
      {"http://Prom.Example.COM/API/v1/", "http", "prom.example.com", 80, false, "/API/v1",
       "http://prom.example.com", "prom.example.com"},
      {"http://prom/prefix//", "http", "prom", 80, false, "/prefix", "http://prom", "prom"},
      {"http://prom/", "http", "prom", 80, false, "", "http://prom", "prom"},
      {"http://10.0.0.1:1", "http", "10.0.0.1", 1, false, "", "http://10.0.0.1:1", "10.0.0.1"},
      {"http://prom:65535", "http", "prom", 65535, false, "", "http://prom:65535", "prom"},
      {"http://my_host-1.svc", "http", "my_host-1.svc", 80, false, "", "http://my_host-1.svc",
       "my_host-1.svc"},
      // An '@' after the authority is part of the path, not user info.
      {"http://prom/a@b", "http", "prom", 80, false, "/a@b", "http://prom", "prom"},
      // A fragment is dropped, also when it holds a '?'.
      {"http://prom/graph#frag", "http", "prom", 80, false, "/graph", "http://prom", "prom"},
      {"http://prom#frag", "http", "prom", 80, false, "", "http://prom", "prom"},
      {"http://prom/p#frag?x=1", "http", "prom", 80, false, "/p", "http://prom", "prom"},
  };
  for (const auto& c : cases) {
    auto got = parseHttpUrl(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error();
    EXPECT_EQ(got->scheme, c.scheme) << c.text;
    EXPECT_EQ(got->host, c.host) << c.text;
    EXPECT_EQ(got->port, c.port) << c.text;
    EXPECT_EQ(got->ipv6, c.ipv6) << c.text;
    EXPECT_EQ(got->path, c.path) << c.text;
    EXPECT_EQ(got->query, "") << c.text;
    EXPECT_EQ(got->origin(), c.origin) << c.text;
    EXPECT_EQ(got->hostForDisplay(), c.display) << c.text;
  }
}

TEST(UrlTest, RefusesQueryStringsUnlessAllowed) {
  for (const char* text : {"http://prom/api?x=1", "http://prom?x=1", "https://prom/?"}) {
    auto refused = parseHttpUrl(text);
    ASSERT_FALSE(refused.ok()) << "accepted: " << text;
    EXPECT_EQ(refused.error(), "must not have a query string") << text;
  }

  struct QueryCase {
    const char* text;
    const char* path;
    const char* query;
  };
  const QueryCase cases[] = {
      {"https://hooks.example.com/services/T0?token=abc&x=1#frag", "/services/T0", "token=abc&x=1"},
      {"http://prom?x=1", "", "x=1"},
      {"http://prom/api/?", "/api", ""},
      {"http://prom/api", "/api", ""},
  };
  for (const auto& c : cases) {
    auto got = parseHttpUrl(c.text, UrlOptions{.allowQuery = true});
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error();
    EXPECT_EQ(got->path, c.path) << c.text;
    EXPECT_EQ(got->query, c.query) << c.text;
  }
}

struct BadCase {
  const char* text;
  const char* message;
};

TEST(UrlTest, RefusesMalformedUrlsWithAMessage) {
  const BadCase cases[] = {
      {"", "Required value"},
      // Scheme.
      {"prom.example.com", "must be an http:// or https:// URL"},
      {"prom:9090", "must be an http:// or https:// URL"},
      {"ftp://prom.example.com", "must be an http:// or https:// URL"},
      {"HTTP://prom.example.com", "must be an http:// or https:// URL"},
      {"://prom", "must be an http:// or https:// URL"},
      {"http:/prom", "must be an http:// or https:// URL"},
      {"https//prom", "must be an http:// or https:// URL"},
      // Host.
      {"http://", "must name a host"},
      {"http:///x", "must name a host"},
      {"https://:8080/x", "must name a host"},
      {"http://?x=1", "must name a host"},
      {"http://a..b/", "has an invalid host name"},
      {"http://.prom", "has an invalid host name"},
      {"http://-prom", "has an invalid host name"},
      {"http://pr!om", "has an invalid host name"},
      {"http://prom\\evil", "has an invalid host name"},
      // IPv6.
      {"http://[::1", "has an unterminated IPv6 host"},
      {"http://[]", "must name a host"},
      {"http://[]:9090", "must name a host"},
      {"http://[::g]", "has an invalid IPv6 host"},
      {"http://[fe80::1%25eth0]", "has an invalid IPv6 host"},
      {"http://[::1]x", "has an invalid host"},
      {"http://[::1]:", "has an invalid port"},
      {"http://[::1]:0", "has an invalid port"},
      // Port.
      {"http://prom:0", "has an invalid port"},
      {"http://prom:65536", "has an invalid port"},
      {"http://prom:99999", "has an invalid port"},
      {"http://prom:123456", "has an invalid port"},
      {"http://prom:80a", "has an invalid port"},
      {"http://prom:-1", "has an invalid port"},
      {"http://prom:+80", "has an invalid port"},
      {"http://prom:/", "has an invalid port"},
      {"http://prom:", "has an invalid port"},
      {"http://prom:8080:9090", "has an invalid port"},
      // User info.
      {"http://user:pw@prom/", "must not carry user info (user:password@)"},
      {"http://user@prom", "must not carry user info (user:password@)"},
      {"https://:pw@prom:9090/api", "must not carry user info (user:password@)"},
      // Whitespace and control characters, anywhere.
      {"http://prom/a b", "must not contain whitespace or control characters"},
      {" http://prom", "must not contain whitespace or control characters"},
      {"http://prom\r\n", "must not contain whitespace or control characters"},
      {"http://prom/a\tb", "must not contain whitespace or control characters"},
      {"http://prom/\x01", "must not contain whitespace or control characters"},
      {"http://prom/\x7f", "must not contain whitespace or control characters"},
      // Non-ASCII (an IDN must be given in its xn-- form).
      {"http://pr\xc3\xb6m/", "must not contain non-ASCII characters"},
      {"http://prom/caf\xc3\xa9", "must not contain non-ASCII characters"},
      {"http://prom/\xff", "must not contain non-ASCII characters"},
  };
  for (const auto& c : cases) {
    auto got = parseHttpUrl(c.text);
    ASSERT_FALSE(got.ok()) << "accepted: \"" << c.text << "\"";
    EXPECT_EQ(got.error(), c.message) << "\"" << c.text << "\"";
  }
}

TEST(UrlTest, RefusesAnEmbeddedNul) {
  const std::string text("http://prom\0.evil.com/", 22);
  auto got = parseHttpUrl(text);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "must not contain whitespace or control characters");
}

TEST(UrlTest, HostNamesAreLimitedTo253Characters) {
  const std::string longest(253, 'a');
  auto got = parseHttpUrl("http://" + longest + ":9090/x");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got->host, longest);
  EXPECT_EQ(got->port, 9090);

  auto tooLong = parseHttpUrl("http://" + std::string(254, 'a') + "/x");
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error(), "has a host name longer than 253 characters");
}

TEST(UrlTest, RedactsUserInfoAndQueryValues) {
  const std::pair<const char*, const char*> cases[] = {
      {"http://user:pw@prom:9090/api", "http://REDACTED@prom:9090/api"},
      {"https://prom/api?token=abc&x=1", "https://prom/api?token=REDACTED&x=REDACTED"},
      {"https://u:p@prom/api?token=abc", "https://REDACTED@prom/api?token=REDACTED"},
      {"http://u:p@prom?x=1", "http://REDACTED@prom?x=REDACTED"},
      {"http://prom/?flag&k=v", "http://prom/?flag&k=REDACTED"},
      {"ftp://u:secret@host/", "ftp://REDACTED@host/"},
      {"user:pw@prom", "REDACTED@prom"},
      // The last '@' of the authority ends the user info.
      {"http://a:secret@b@c/d?e=secret", "http://REDACTED@c/d?e=REDACTED"},
      // Nothing to redact: unchanged.
      {"http://prom:9090/api/v1", "http://prom:9090/api/v1"},
      {"https://[::1]:9090/", "https://[::1]:9090/"},
      {"http://prom/a@b", "http://prom/a@b"},
      {"http://prom#frag", "http://prom#REDACTED"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(redactUrl(in), want) << in;
}

TEST(UrlTest, RedactsQueryValuesBeforeAFragment) {
  const std::string got = redactUrl("http://prom/p?token=abc#frag");
  EXPECT_TRUE(got.starts_with("http://prom/p?token=REDACTED")) << got;
  EXPECT_EQ(got.find("abc"), std::string::npos) << got;
}

TEST(UrlTest, RedactsFragments) {
  EXPECT_EQ(redactUrl("http://h/#access_token=SECRET"), "http://h/#REDACTED");
  EXPECT_EQ(redactUrl("http://h/p?a=1#t=2"), "http://h/p?a=REDACTED#REDACTED");
}

TEST(UrlTest, RedactSurvivesGarbage) {
  const std::string garbage[] = {
      "?",
      "@",
      "://",
      "://@",
      "?&&=",
      "=&?",
      "@@@",
      "http://@",
      "#?x=1",
      "\xff\xfe@\x01",
      "http://[::1",
      "::::",
      "?a=&=b",
      "&&&",
      "http://",
      "@?@?@",
      std::string(1000, '@'),
      std::string(1000, '?'),
      std::string("a\0b?c=d", 7),
  };
  for (const std::string& text : garbage) {
    const std::string got = redactUrl(text);
    // Without '@' or '?' there is nothing to redact.
    if (text.find_first_of("@?") == std::string::npos) {
      EXPECT_EQ(got, text);
    }
  }
  EXPECT_EQ(redactUrl("?"), "?");
  EXPECT_EQ(redactUrl("@"), "REDACTED@");
  EXPECT_EQ(redactUrl("http://secret@"), "http://REDACTED@");
  EXPECT_EQ(redactUrl("?token=secret"), "?token=REDACTED");
}

TEST(PercentEncode, KeepsUnreservedAndWhatTheCallerKeeps) {
  EXPECT_EQ(percentEncode("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(percentEncode("kubectl set"), "kubectl%20set");
  EXPECT_EQ(percentEncode("tier=web,x/y"), "tier%3Dweb%2Cx%2Fy");
  EXPECT_EQ(percentEncode("/apis/apps/v1/x y", "/"), "/apis/apps/v1/x%20y");
  EXPECT_EQ(percentEncode(std::string("\x00\xff", 2)), "%00%FF");
}

}  // namespace
}  // namespace tro::base
