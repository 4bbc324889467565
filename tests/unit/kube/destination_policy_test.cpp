#include "operator/kube/destination_policy.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tro::kube {
namespace {

const std::string kFlag = "--allowed-prometheus-hosts";

base::HttpUrl url(const std::string& text) {
  auto parsed = base::parseHttpUrl(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error();
  return parsed.ok() ? *parsed : base::HttpUrl{};
}

DestinationPolicy policy(const std::vector<std::string>& patterns) {
  auto parsed = DestinationPolicy::parse(patterns, kFlag);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.ok() ? *parsed : DestinationPolicy();
}

std::string notListed(const std::string& hostPort) {
  return "host " + hostPort + " is not in " + kFlag;
}

std::string special(const std::string& host, const std::string& kind, const std::string& flag) {
  const std::string article = kind == "unspecified" ? "an " : "a ";
  return "host " + host + " is " + article + kind + " address, refused unless " + flag +
         " names it";
}

TEST(DestinationPolicyTest, SpecialAddressKinds) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1", "loopback"},
      {"127.255.0.9", "loopback"},
      {"::1", "loopback"},
      {"0:0:0:0:0:0:0:1", "loopback"},
      {"::ffff:127.0.0.1", "loopback"},
      {"localhost", "loopback"},
      {"LOCALHOST", "loopback"},
      {"localhost.", "loopback"},
      {"foo.localhost", "loopback"},
      {"169.254.169.254", "link-local"},
      {"169.254.0.1", "link-local"},
      {"fe80::1", "link-local"},
      {"FE80::1", "link-local"},
      {"::ffff:169.254.169.254", "link-local"},
      {"0.0.0.0", "unspecified"},
      {"::", "unspecified"},
  };
  for (const auto& [host, kind] : cases) {
    EXPECT_EQ(specialAddressKind(host), std::optional<std::string>(kind)) << host;
  }
  for (const char* host :
       {"10.0.0.1", "8.8.8.8", "128.0.0.1", "126.255.255.255", "169.253.255.255", "169.255.0.1",
        "192.168.1.1", "2001:db8::1", "::ffff:8.8.8.8", "prometheus.monitoring.svc", "notlocalhost",
        "localhost.example.com", ""}) {
    EXPECT_EQ(specialAddressKind(host), std::nullopt) << host;
  }
}

TEST(DestinationPolicyTest, ParsesGoodPatterns) {
  for (const char* pattern :
       {"prometheus.monitoring.svc", "prom:9090", "*.monitoring.svc", "*.monitoring.svc:9090",
        "[::1]:9090", "[::1]", "127.0.0.1", "127.0.0.1:9090", "PROM.Example:443"}) {
    auto got = DestinationPolicy::parse({pattern}, kFlag);
    ASSERT_TRUE(got.ok()) << pattern << ": " << got.error();
    EXPECT_FALSE(got->allowsAnyHost()) << pattern;
    EXPECT_EQ(got->flag(), kFlag);
  }
}

TEST(DestinationPolicyTest, AnEmptyListAllowsAnyHost) {
  for (const std::vector<std::string>& patterns :
       {std::vector<std::string>{}, std::vector<std::string>{""}}) {
    auto got = DestinationPolicy::parse(patterns, kFlag);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_TRUE(got->allowsAnyHost());
    EXPECT_EQ(got->flag(), kFlag);
  }
  EXPECT_TRUE(DestinationPolicy().allowsAnyHost());
}

TEST(DestinationPolicyTest, RefusesBadPatterns) {
  const std::pair<const char*, std::string> cases[] = {
      {"*", kFlag + R"(: bad pattern "*" (use host, host:port or *.domain))"},
      {"a*b", kFlag + R"(: bad pattern "a*b" (use host, host:port or *.domain))"},
      {"*.", kFlag + R"(: bad pattern "*." (use host, host:port or *.domain))"},
      {"*.*.svc", kFlag + R"(: bad pattern "*.*.svc" (use host, host:port or *.domain))"},
      {":9090", kFlag + R"(: bad pattern ":9090" (use host, host:port or *.domain))"},
      {"host:0", kFlag + R"(: bad port in "host:0")"},
      {"host:99999", kFlag + R"(: bad port in "host:99999")"},
      {"host:123456", kFlag + R"(: bad port in "host:123456")"},
      {"host:x", kFlag + R"(: bad port in "host:x")"},
      {"host:", kFlag + R"(: bad port in "host:")"},
      {"[::1]:0", kFlag + R"(: bad port in "[::1]:0")"},
      {"[::1", kFlag + R"(: bad pattern "[::1")"},
      {"[::1]x", kFlag + R"(: bad pattern "[::1]x")"},
  };
  for (const auto& [pattern, message] : cases) {
    auto got = DestinationPolicy::parse({pattern}, kFlag);
    ASSERT_FALSE(got.ok()) << "accepted: " << pattern;
    EXPECT_EQ(got.error(), message) << pattern;
  }
  // One bad pattern spoils the list.
  auto mixed = DestinationPolicy::parse({"prom:9090", "host:x"}, kFlag);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error(), kFlag + R"(: bad port in "host:x")");
}

TEST(DestinationPolicyTest, AnEmptyPolicyAllowsOrdinaryHostsOnly) {
  const DestinationPolicy named = policy({});
  const DestinationPolicy unnamed;
  for (const char* text : {"http://prometheus.monitoring.svc:9090", "https://8.8.8.8",
                           "http://10.0.0.1", "http://[2001:db8::1]:9090"}) {
    EXPECT_EQ(named.check(url(text)), std::nullopt) << text;
    EXPECT_EQ(unnamed.check(url(text)), std::nullopt) << text;
  }

  struct Refused {
    const char* url;
    const char* display;
    const char* kind;
  };
  const Refused cases[] = {
      {"http://127.0.0.1:9090", "127.0.0.1", "loopback"},
      {"http://127.0.0.2", "127.0.0.2", "loopback"},
      {"http://localhost:9090", "localhost", "loopback"},
      {"http://LOCALHOST", "localhost", "loopback"},
      {"http://foo.localhost", "foo.localhost", "loopback"},
      {"http://[::1]:9090", "[::1]", "loopback"},
      {"http://[::ffff:127.0.0.1]", "[::ffff:127.0.0.1]", "loopback"},
      {"http://169.254.169.254/latest/meta-data", "169.254.169.254", "link-local"},
      {"http://[fe80::1]", "[fe80::1]", "link-local"},
      {"http://0.0.0.0:8080", "0.0.0.0", "unspecified"},
      {"http://[::]", "[::]", "unspecified"},
  };
  for (const auto& c : cases) {
    const auto why = named.check(url(c.url));
    ASSERT_TRUE(why.has_value()) << "allowed: " << c.url;
    EXPECT_TRUE(why->starts_with(std::string("host ") + c.display + " ")) << *why;
    EXPECT_NE(why->find(std::string(c.kind) + " address"), std::string::npos) << *why;
    EXPECT_NE(why->find("unless " + kFlag + " names it"), std::string::npos) << *why;

    const auto unnamedWhy = unnamed.check(url(c.url));
    ASSERT_TRUE(unnamedWhy.has_value()) << "allowed: " << c.url;
    EXPECT_NE(unnamedWhy->find("the allowed hosts"), std::string::npos) << *unnamedWhy;
  }
  EXPECT_EQ(named.check(url("http://127.0.0.1:9090")), special("127.0.0.1", "loopback", kFlag));
  EXPECT_EQ(unnamed.check(url("http://[fe80::1]")),
            special("[fe80::1]", "link-local", "the allowed hosts"));
}

struct CheckCase {
  const char* url;
  std::optional<std::string> want;  // nullopt: allowed
};

void expectChecks(const std::vector<std::string>& patterns, const std::vector<CheckCase>& cases) {
  const DestinationPolicy p = policy(patterns);
  for (const auto& c : cases) {
    EXPECT_EQ(p.check(url(c.url)), c.want) << c.url << " against " << patterns.front();
  }
}

TEST(DestinationPolicyTest, ExactHostMatchesAnyPort) {
  expectChecks(
      {"prometheus.monitoring.svc"},
      {
          {"http://prometheus.monitoring.svc:9090", std::nullopt},
          {"https://prometheus.monitoring.svc/prom", std::nullopt},
          {"http://PROMETHEUS.Monitoring.svc", std::nullopt},
          {"http://other.monitoring.svc:9090", notListed("other.monitoring.svc:9090")},
          {"http://prometheus.monitoring.svc.evil.com",
           notListed("prometheus.monitoring.svc.evil.com:80")},
          {"http://x.prometheus.monitoring.svc", notListed("x.prometheus.monitoring.svc:80")},
          {"http://8.8.8.8", notListed("8.8.8.8:80")},
          {"http://[2001:db8::1]:9090", notListed("[2001:db8::1]:9090")},
      });
  expectChecks({"PROM.Example"}, {{"https://prom.example", std::nullopt}});
}

TEST(DestinationPolicyTest, PortRestrictedMatch) {
  expectChecks({"prom:9090"}, {
                                  {"http://prom:9090", std::nullopt},
                                  {"https://prom:9090/api", std::nullopt},
                                  {"http://prom:9091", notListed("prom:9091")},
                                  {"http://prom", notListed("prom:80")},
                                  {"https://prom", notListed("prom:443")},
                              });
  expectChecks({"prom:443"}, {
                                 {"https://prom", std::nullopt},
                                 {"http://prom", notListed("prom:80")},
                             });
}

TEST(DestinationPolicyTest, WildcardMatchesNamesUnderTheDomainOnly) {
  expectChecks({"*.monitoring.svc"},
               {
                   {"http://prometheus.monitoring.svc:9090", std::nullopt},
                   {"https://a.b.monitoring.svc", std::nullopt},
                   {"http://monitoring.svc", notListed("monitoring.svc:80")},
                   {"http://evilmonitoring.svc", notListed("evilmonitoring.svc:80")},
                   {"http://monitoring.svc.evil.com", notListed("monitoring.svc.evil.com:80")},
                   {"http://svc", notListed("svc:80")},
               });
  expectChecks({"*.monitoring.svc:9090"},
               {
                   {"http://prometheus.monitoring.svc:9090", std::nullopt},
                   {"http://prometheus.monitoring.svc", notListed("prometheus.monitoring.svc:80")},
               });
}

TEST(DestinationPolicyTest, AWildcardNeverAdmitsASpecialAddress) {
  expectChecks({"*.localhost", "*.0.0.1", "*.254.169.254", "*.monitoring.svc"},
               {
                   {"http://foo.localhost", special("foo.localhost", "loopback", kFlag)},
                   {"http://127.0.0.1", special("127.0.0.1", "loopback", kFlag)},
                   {"http://localhost", special("localhost", "loopback", kFlag)},
                   {"http://169.254.169.254", special("169.254.169.254", "link-local", kFlag)},
                   {"http://prometheus.monitoring.svc", std::nullopt},
               });
}

TEST(DestinationPolicyTest, AnExactPatternAdmitsASpecialAddress) {
  expectChecks({"127.0.0.1"}, {
                                  {"http://127.0.0.1", std::nullopt},
                                  {"http://127.0.0.1:9090", std::nullopt},
                                  {"https://127.0.0.1:1", std::nullopt},
                                  {"http://127.0.0.2", special("127.0.0.2", "loopback", kFlag)},
                                  {"http://localhost", special("localhost", "loopback", kFlag)},
                                  {"http://prom", notListed("prom:80")},
                              });
  expectChecks({"127.0.0.1:9090"},
               {
                   {"http://127.0.0.1:9090", std::nullopt},
                   {"http://127.0.0.1:9091", special("127.0.0.1", "loopback", kFlag)},
                   {"http://127.0.0.1", special("127.0.0.1", "loopback", kFlag)},
               });
  expectChecks({"[::1]:9090"}, {
                                   {"http://[::1]:9090", std::nullopt},
                                   {"http://[::1]:9091", special("[::1]", "loopback", kFlag)},
                               });
  expectChecks({"localhost"}, {
                                  {"http://localhost:9090", std::nullopt},
                                  {"http://LOCALHOST", std::nullopt},
                                  {"http://127.0.0.1", special("127.0.0.1", "loopback", kFlag)},
                              });
  expectChecks({"169.254.169.254:80"},
               {
                   {"http://169.254.169.254/latest", std::nullopt},
                   {"https://169.254.169.254", special("169.254.169.254", "link-local", kFlag)},
               });
}

void expectRefused(const Result<void>& got, const std::string& message) {
  ASSERT_FALSE(got.ok()) << "allowed; wanted: " << message;
  EXPECT_EQ(got.error().kind, ErrorKind::Config);
  EXPECT_EQ(got.error().reason, "DestinationRefused");
  EXPECT_EQ(got.error().message, message);
}

TEST(DestinationPolicyTest, GuardResolvedRefusesSpecialHostsByDefault) {
  const DestinationPolicy any;
  expectRefused(any.guardResolved("localhost", 80),
                special("localhost", "loopback", "the allowed hosts"));
  expectRefused(any.guardResolved("LOCALHOST", 80),
                special("localhost", "loopback", "the allowed hosts"));
  expectRefused(any.guardResolved("127.0.0.1", 9090),
                special("127.0.0.1", "loopback", "the allowed hosts"));
  expectRefused(any.guardResolved("::1", 9090), special("[::1]", "loopback", "the allowed hosts"));
  expectRefused(any.guardResolved("169.254.169.254", 80),
                special("169.254.169.254", "link-local", "the allowed hosts"));
}

TEST(DestinationPolicyTest, ShorthandIpv4FormsAreRecognisedWithoutALookup) {
  // Shorthand forms a resolver reads as 127.0.0.1: the pure check catches them already.
  const DestinationPolicy any = policy({});
  for (const char* host : {"127.1", "2130706433", "0x7f.1"}) {
    expectRefused(any.guardResolved(host, 80), special(host, "loopback", kFlag));
  }
  // Named exactly, it is allowed without looking it up.
  const Result<void> named = policy({"127.1"}).guardResolved("127.1", 80);
  EXPECT_TRUE(named.ok()) << named.error().message;
}

TEST(DestinationPolicyTest, AnExemptDestinationIsAllowedWithoutNarrowingTheList) {
  DestinationPolicy any = policy({});
  any.exempt(base::parseHttpUrl("http://127.0.0.1:9000/hook").value());
  EXPECT_TRUE(any.allowsAnyHost());
  const Result<void> exempt = any.guardResolved("127.0.0.1", 9000);
  EXPECT_TRUE(exempt.ok()) << exempt.error().message;
  expectRefused(any.guardResolved("127.0.0.1", 9001), special("127.0.0.1", "loopback", kFlag));
  EXPECT_EQ(any.check(base::parseHttpUrl("http://hooks.example").value()), std::nullopt);

  DestinationPolicy listed = policy({"hooks.example"});
  listed.exempt(base::parseHttpUrl("https://admin.example/x").value());
  EXPECT_EQ(listed.check(base::parseHttpUrl("https://admin.example/y").value()), std::nullopt);
  EXPECT_NE(listed.check(base::parseHttpUrl("http://admin.example/y").value()), std::nullopt)
      << "exempt is that port only";
}

TEST(DestinationPolicyTest, GuardResolvedAllowsNamedSpecialHosts) {
  const Result<void> localhost = policy({"localhost"}).guardResolved("localhost", 80);
  EXPECT_TRUE(localhost.ok()) << localhost.error().message;
  const Result<void> loopback = policy({"127.0.0.1"}).guardResolved("127.0.0.1", 9090);
  EXPECT_TRUE(loopback.ok()) << loopback.error().message;
  const Result<void> port = policy({"127.0.0.1:9090"}).guardResolved("127.0.0.1", 9090);
  EXPECT_TRUE(port.ok()) << port.error().message;
  expectRefused(policy({"127.0.0.1:9090"}).guardResolved("127.0.0.1", 9091),
                special("127.0.0.1", "loopback", kFlag));
  const Result<void> ipv6 = policy({"[::1]:9090"}).guardResolved("::1", 9090);
  EXPECT_TRUE(ipv6.ok()) << ipv6.error().message;
}

TEST(DestinationPolicyTest, GuardResolvedAppliesTheList) {
  // IP literals: getaddrinfo answers without a DNS query.
  const Result<void> anyHost = DestinationPolicy().guardResolved("8.8.8.8", 443);
  EXPECT_TRUE(anyHost.ok()) << anyHost.error().message;
  const Result<void> listed = policy({"10.0.0.1:80"}).guardResolved("10.0.0.1", 80);
  EXPECT_TRUE(listed.ok()) << listed.error().message;
  expectRefused(policy({"prom"}).guardResolved("10.0.0.1", 80), notListed("10.0.0.1:80"));
  expectRefused(policy({"10.0.0.1:80"}).guardResolved("10.0.0.1", 81), notListed("10.0.0.1:81"));
}

}  // namespace
}  // namespace tro::kube
