// ServiceAccountTokens (kubesim/api/service_account_tokens.h): the tokens the TokenRequest API
// issued, their lookup with expiry, the limit, and their JWT shape.

#include "kubesim/api/service_account_tokens.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "api_test_util.h"
#include "kubesim/api/base64url.h"
#include "kubesim/common/api_error.h"

namespace kubesim::api {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using TimePoint = ServiceAccountTokens::TimePoint;

const TimePoint kNow = testing::fixedTime();

ServiceAccountTokens::Grant grant(const std::string& name, TimePoint expires,
                                  const std::string& uid = "uid-1") {
  return ServiceAccountTokens::Grant{"default", name, uid, expires, std::nullopt, {}};
}

std::vector<std::string> segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = token.find('.', start);
    out.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

Json decodeSegment(const std::string& segment) {
  auto raw = base64UrlDecode(segment);
  EXPECT_TRUE(raw.has_value()) << segment;
  return raw ? Json::parse(*raw, nullptr, false) : Json();
}

std::int64_t unixSeconds(TimePoint t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

TEST(ServiceAccountTokensTest, FindReturnsTheGrantOfAnIssuedToken) {
  ServiceAccountTokens tokens;
  ServiceAccountTokens::Grant g = grant("robot", kNow + hours(1), "sa-uid");
  g.bound = ServiceAccountTokens::BoundObject{"/pods", "default", "p", "pod-uid"};
  const std::string token =
      tokens.issue(g, {"https://kubernetes.default.svc.cluster.local"}, kNow, "jti-1");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(tokens.size(), 1u);

  auto found = tokens.find(token, kNow + minutes(30));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->ns, "default");
  EXPECT_EQ(found->name, "robot");
  EXPECT_EQ(found->uid, "sa-uid");
  EXPECT_EQ(found->expires, kNow + hours(1));
  ASSERT_TRUE(found->bound.has_value());
  EXPECT_EQ(found->bound->groupResource, "/pods");
  EXPECT_EQ(found->bound->ns, "default");
  EXPECT_EQ(found->bound->name, "p");
  EXPECT_EQ(found->bound->uid, "pod-uid");
  // Finding does not consume the token.
  EXPECT_TRUE(tokens.find(token, kNow).has_value());
  EXPECT_EQ(tokens.size(), 1u);
}

TEST(ServiceAccountTokensTest, UnknownTokensAreNotFound) {
  ServiceAccountTokens tokens;
  EXPECT_FALSE(tokens.find("", kNow).has_value());
  EXPECT_FALSE(tokens.find("not-a-token", kNow).has_value());
  const std::string token = tokens.issue(grant("robot", kNow + hours(1)), {"a"}, kNow, "j");
  EXPECT_FALSE(tokens.find(token + "x", kNow).has_value());
  EXPECT_FALSE(tokens.find(token.substr(0, token.size() - 1), kNow).has_value());
  EXPECT_TRUE(tokens.find(token, kNow).has_value());
}

TEST(ServiceAccountTokensTest, ATokenExpiresAtItsExpiryAndIsThenForgotten) {
  ServiceAccountTokens tokens;
  const std::string token = tokens.issue(grant("robot", kNow + hours(1)), {"a"}, kNow, "j");
  const std::string other = tokens.issue(grant("other", kNow + hours(2)), {"a"}, kNow, "k");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_TRUE(tokens.find(token, kNow + hours(1) - seconds(1)).has_value());
  EXPECT_FALSE(tokens.find(token, kNow + hours(1)).has_value());
  EXPECT_EQ(tokens.size(), 1u);
  // Forgotten: not even an earlier time brings it back.
  EXPECT_FALSE(tokens.find(token, kNow).has_value());
  EXPECT_TRUE(tokens.find(other, kNow + hours(1)).has_value());
}

TEST(ServiceAccountTokensTest, IssuingForgetsExpiredTokens) {
  ServiceAccountTokens tokens;
  const std::string old = tokens.issue(grant("a", kNow + minutes(10)), {"x"}, kNow, "1");
  const std::string live = tokens.issue(grant("b", kNow + hours(5)), {"x"}, kNow, "2");
  ASSERT_EQ(tokens.size(), 2u);
  const std::string fresh =
      tokens.issue(grant("c", kNow + hours(1)), {"x"}, kNow + minutes(20), "3");
  EXPECT_EQ(tokens.size(), 2u);
  EXPECT_FALSE(tokens.find(old, kNow).has_value());
  EXPECT_TRUE(tokens.find(live, kNow + minutes(20)).has_value());
  EXPECT_TRUE(tokens.find(fresh, kNow + minutes(20)).has_value());
}

TEST(ServiceAccountTokensTest, TheLimitEvictsTheSoonestExpiring) {
  ServiceAccountTokens tokens(2);
  const std::string late = tokens.issue(grant("late", kNow + hours(3)), {"x"}, kNow, "1");
  const std::string soon = tokens.issue(grant("soon", kNow + hours(1)), {"x"}, kNow, "2");
  ASSERT_EQ(tokens.size(), 2u);
  const std::string middle = tokens.issue(grant("middle", kNow + hours(2)), {"x"}, kNow, "3");
  EXPECT_EQ(tokens.size(), 2u);
  EXPECT_FALSE(tokens.find(soon, kNow).has_value());
  EXPECT_TRUE(tokens.find(late, kNow).has_value());
  EXPECT_TRUE(tokens.find(middle, kNow).has_value());

  // The newest token is kept even when it expires before every other one.
  const std::string soonest = tokens.issue(grant("soonest", kNow + minutes(15)), {"x"}, kNow, "4");
  EXPECT_EQ(tokens.size(), 2u);
  EXPECT_TRUE(tokens.find(soonest, kNow).has_value());
  EXPECT_TRUE(tokens.find(late, kNow).has_value());
  EXPECT_FALSE(tokens.find(middle, kNow).has_value());
}

TEST(ServiceAccountTokensTest, TokensAreJwtShapedWithTheServiceAccountsClaims) {
  ServiceAccountTokens tokens;
  const std::string token =
      tokens.issue(grant("robot", kNow + hours(1), "sa-uid"), {"aud-1", "aud-2"}, kNow, "the-jti");
  const auto parts = segments(token);
  ASSERT_EQ(parts.size(), 3u) << token;
  for (const std::string& p : parts) {
    EXPECT_FALSE(p.empty()) << token;
    // Unpadded base64url: no padding and no characters of the standard alphabet.
    EXPECT_EQ(
        p.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << p;
  }

  Json header = decodeSegment(parts[0]);
  ASSERT_TRUE(header.is_object()) << parts[0];
  EXPECT_EQ(header.value("alg", ""), "RS256");

  Json claims = decodeSegment(parts[1]);
  ASSERT_TRUE(claims.is_object()) << parts[1];
  EXPECT_EQ(claims["sub"], "system:serviceaccount:default:robot");
  EXPECT_EQ(claims["iss"], kServiceAccountIssuer);
  EXPECT_EQ(claims["iss"], "https://kubernetes.default.svc.cluster.local");
  EXPECT_EQ(claims["aud"], Json::array({"aud-1", "aud-2"}));
  EXPECT_EQ(claims["exp"], unixSeconds(kNow + hours(1)));
  EXPECT_EQ(claims["iat"], unixSeconds(kNow));
  EXPECT_EQ(claims["jti"], "the-jti");
  EXPECT_EQ(claims["kubernetes.io"]["namespace"], "default");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["name"], "robot");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["uid"], "sa-uid");

  auto signature = base64UrlDecode(parts[2]);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->size(), 32u);
}

TEST(ServiceAccountTokensTest, TwoTokensForTheSameGrantDiffer) {
  ServiceAccountTokens tokens;
  const auto g = grant("robot", kNow + hours(1));
  std::set<std::string> issued;
  for (int i = 0; i < 8; ++i) issued.insert(tokens.issue(g, {"x"}, kNow, "same-jti"));
  EXPECT_EQ(issued.size(), 8u);
  EXPECT_EQ(tokens.size(), 8u);
  for (const std::string& t : issued) {
    auto found = tokens.find(t, kNow);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, "robot");
  }
}

}  // namespace
}  // namespace kubesim::api
