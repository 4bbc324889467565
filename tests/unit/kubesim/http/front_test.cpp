#include "kubesim/http/front.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kubesim::http {
namespace {

api::Request get(const std::string& path, const std::string& authorization = "") {
  api::Request r;
  r.method = "GET";
  r.path = path;
  if (!authorization.empty()) r.headers["authorization"] = authorization;
  return r;
}

// frontResponse on a copy, for requests built inline.
std::optional<api::Response> answer(api::Request r, const FrontOptions& options) {
  return frontResponse(r, options);
}

std::string headerOf(const api::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

TEST(BearerToken, Table) {
  struct Case {
    std::string header;
    std::string token;
    bool ok;
  };
  const Case cases[] = {
      {"Bearer s3cret", "s3cret", true},
      {"bearer s3cret", "s3cret", true},
      {"BEARER  s3cret ", "s3cret", true},
      {"Bearer s3cre", "s3cret", false},
      {"Bearer s3cretX", "s3cret", false},
      {"Basic s3cret", "s3cret", false},
      {"Bearer", "s3cret", false},
      {"Bearer ", "s3cret", false},
      {"", "s3cret", false},
      {"s3cret", "s3cret", false},
      {"Bearer ", "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(bearerTokenMatches(c.header, c.token), c.ok) << "'" << c.header << "'";
  }
}

TEST(OpenPaths, Table) {
  const std::pair<std::string, bool> cases[] = {
      {"/version", true},   {"/healthz", true},     {"/livez", true},
      {"/readyz", true},    {"/readyz/ping", true}, {"/healthzz", false},
      {"/api", false},      {"/apis", false},       {"/api/v1/namespaces", false},
      {"/versions", false}, {"/", false},           {"/openapi/v3", false},
  };
  for (const auto& [path, open] : cases) EXPECT_EQ(isOpenPath(path), open) << path;
}

TEST(FrontResponse, MissingOrWrongTokenIs401WithTheRealStatusBody) {
  const FrontOptions options{"tok", kMaxBodyBytes};
  for (const std::string auth : {"", "Bearer nope", "Basic dG9rOg=="}) {
    auto r = answer(get("/api/v1/namespaces", auth), options);
    ASSERT_TRUE(r.has_value()) << auth;
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(headerOf(*r, "Content-Type"), "application/json");
    EXPECT_EQ(nlohmann::json::parse(r->body), nlohmann::json::parse(R"({
      "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
      "message": "Unauthorized", "reason": "Unauthorized", "code": 401})"));
  }
}

TEST(FrontResponse, RightTokenPassesToTheApiLayer) {
  const FrontOptions options{"tok", kMaxBodyBytes};
  EXPECT_FALSE(answer(get("/api/v1/namespaces", "Bearer tok"), options).has_value());
  EXPECT_FALSE(answer(get("/apis", "Bearer tok"), options).has_value());
}

TEST(FrontResponse, AdminTokenIsAMemberOfSystemMasters) {
  api::Request r = get("/api/v1/namespaces", "Bearer tok");
  ASSERT_FALSE(frontResponse(r, FrontOptions{"tok", kMaxBodyBytes}).has_value());
  EXPECT_EQ(r.user, "kubesim-admin");
  EXPECT_EQ(r.groups, (std::vector<std::string>{"system:masters", "system:authenticated"}));
}

TEST(FrontResponse, OtherTokensAreTheReviewersAndUnknownOnesAre401) {
  std::vector<std::string> asked;
  const TokenReviewer review = [&asked](const std::string& token) -> std::optional<api::UserInfo> {
    asked.push_back(token);
    if (token != "sa-token") return std::nullopt;
    return api::UserInfo{"system:serviceaccount:ns:robot", {"system:authenticated"}};
  };
  const FrontOptions options{"tok", kMaxBodyBytes};
  api::Request r = get("/api/v1/namespaces", "Bearer  sa-token ");
  ASSERT_FALSE(frontResponse(r, options, review).has_value());
  EXPECT_EQ(r.user, "system:serviceaccount:ns:robot");
  EXPECT_EQ(r.groups, (std::vector<std::string>{"system:authenticated"}));

  api::Request unknown = get("/api/v1/namespaces", "Bearer forged");
  auto refused = frontResponse(unknown, options, review);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);
  EXPECT_TRUE(unknown.user.empty());

  api::Request admin = get("/api/v1/namespaces", "Bearer tok");
  ASSERT_FALSE(frontResponse(admin, options, review).has_value());
  api::Request none = get("/api/v1/namespaces", "Bearer ");
  EXPECT_EQ(frontResponse(none, options, review)->status, 401);
  // The admin token never reaches the reviewer; an empty one is refused before it.
  EXPECT_EQ(asked, (std::vector<std::string>{"sa-token", "forged"}));
}

TEST(FrontResponse, EmptyConfiguredTokenDisablesAuthentication) {
  api::Request r = get("/api/v1/pods");
  ASSERT_FALSE(frontResponse(r, FrontOptions{"", kMaxBodyBytes}).has_value());
  EXPECT_EQ(r.user, "system:anonymous");
  EXPECT_TRUE(r.groups.empty());  // not authorized by the API core
}

TEST(FrontResponse, VersionIsOpenAndReports132) {
  auto r = answer(get("/version"), FrontOptions{"tok", kMaxBodyBytes});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  auto v = nlohmann::json::parse(r->body);
  EXPECT_EQ(v["major"], "1");
  EXPECT_EQ(v["minor"], "32");
  EXPECT_EQ(v["gitVersion"], "v1.32.0");
  EXPECT_EQ(v["platform"], "linux/amd64");
  for (const char* key : {"gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler"})
    EXPECT_TRUE(v.contains(key)) << key;
}

TEST(FrontResponse, HealthEndpointsAnswerOkWithoutToken) {
  for (const char* path : {"/healthz", "/livez", "/readyz"}) {
    auto r = answer(get(path), FrontOptions{"tok", kMaxBodyBytes});
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
    EXPECT_EQ(headerOf(*r, "Content-Type"), "text/plain; charset=utf-8");
  }
}

TEST(FrontResponse, OversizedBodyIs413AfterAuthentication) {
  api::Request r = get("/api/v1/namespaces/default/configmaps", "Bearer tok");
  r.method = "POST";
  r.body = std::string(11, 'x');
  auto tooBig = frontResponse(r, FrontOptions{"tok", 10});
  ASSERT_TRUE(tooBig.has_value());
  EXPECT_EQ(tooBig->status, 413);
  EXPECT_EQ(nlohmann::json::parse(tooBig->body), nlohmann::json::parse(R"({
      "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
      "message": "Request entity too large: limit is 10", "reason": "RequestEntityTooLarge",
      "code": 413})"));
  r.body.pop_back();
  EXPECT_FALSE(frontResponse(r, FrontOptions{"tok", 10}).has_value());
  r.headers.clear();  // unauthenticated: 401 wins over 413
  r.body = std::string(11, 'x');
  EXPECT_EQ(frontResponse(r, FrontOptions{"tok", 10})->status, 401);
}

TEST(InternalError, IsA500StatusCarryingTheCause) {
  auto r = internalErrorResponse("boom");
  EXPECT_EQ(r.status, 500);
  auto s = nlohmann::json::parse(r.body);
  EXPECT_EQ(s["reason"], "InternalError");
  EXPECT_EQ(s["message"], "Internal error occurred: boom");
  EXPECT_EQ(s["details"]["causes"][0]["message"], "boom");
  EXPECT_EQ(s["code"], 500);
}

}  // namespace
}  // namespace kubesim::http
