#include "operator/kube/label_selector.h"

#include <gtest/gtest.h>

namespace tro::kube {
namespace {

LabelSelector parse(const char* json) {
  auto selector = LabelSelector::fromJson(Json::parse(json));
  EXPECT_TRUE(selector.ok()) << json << ": " << selector.error().toString();
  return selector.ok() ? *selector : LabelSelector();
}

TEST(LabelSelector, ToQueryStringTable) {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"{}", ""},
      {R"({"matchLabels":{"app":"web"}})", "app=web"},
      {R"({"matchLabels":{"b":"2","a":"1"}})", "a=1,b=2"},
      {R"({"matchLabels":{"a":"b"},"matchExpressions":[
          {"key":"d","operator":"DoesNotExist"},
          {"key":"c","operator":"In","values":["y","x"]}]})",
       "a=b,c in (x,y),!d"},
      {R"({"matchExpressions":[{"key":"env","operator":"NotIn","values":["prod"]},
          {"key":"example.com/team","operator":"Exists"}]})",
       "env notin (prod),example.com/team"},
      {R"({"matchLabels":null,"matchExpressions":null})", ""},
  };
  for (const auto& [json, query] : cases) EXPECT_EQ(parse(json).toQueryString(), query) << json;
}

TEST(LabelSelector, MatchesTable) {
  const char* selector = R"({"matchLabels":{"app":"web"},"matchExpressions":[
      {"key":"tier","operator":"In","values":["a","b"]},
      {"key":"env","operator":"NotIn","values":["prod"]},
      {"key":"team","operator":"Exists"},
      {"key":"legacy","operator":"DoesNotExist"}]})";
  struct Case {
    const char* labels;
    bool matches;
  };
  const std::vector<Case> cases = {
      {R"({"app":"web","tier":"a","team":"x"})", true},
      {R"({"app":"web","tier":"b","team":"x","env":"dev"})", true},
      {R"({"app":"web","tier":"c","team":"x"})", false},               // In
      {R"({"app":"web","tier":"a","team":"x","env":"prod"})", false},  // NotIn
      {R"({"app":"web","tier":"a"})", false},                          // Exists
      {R"({"app":"web","tier":"a","team":"x","legacy":""})", false},   // DoesNotExist
      {R"({"app":"api","tier":"a","team":"x"})", false},               // matchLabels
      {"null", false},
  };
  LabelSelector s = parse(selector);
  for (const auto& c : cases) EXPECT_EQ(s.matches(Json::parse(c.labels)), c.matches) << c.labels;
}

TEST(LabelSelector, EmptyMatchesEverything) {
  LabelSelector s = parse("{}");
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(s.matches(Json::parse(R"({"a":"b"})")));
  EXPECT_TRUE(s.matches(Json()));
  EXPECT_TRUE(LabelSelector().matches(Json::object()));
}

TEST(LabelSelector, NotInAndDoesNotExistMatchMissingLabels) {
  LabelSelector s =
      parse(R"({"matchExpressions":[{"key":"env","operator":"NotIn","values":["prod"]},
      {"key":"x","operator":"DoesNotExist"}]})");
  EXPECT_TRUE(s.matches(Json()));
  EXPECT_TRUE(s.matches(Json::object()));
}

TEST(LabelSelector, ValidationErrorsTable) {
  const std::vector<const char*> cases = {
      "null",
      "[]",
      R"({"matchLabels":[]})",
      R"({"matchLabels":{"app":3}})",
      R"({"matchLabels":{"bad key":"x"}})",
      R"({"matchLabels":{"app":"bad value"}})",
      R"({"matchLabels":{"app":"-x"}})",
      R"({"matchLabels":{"Bad_Prefix/x":"y"}})",
      R"({"matchExpressions":{}})",
      R"({"matchExpressions":[{"key":"a","operator":"Equals","values":["x"]}]})",
      R"({"matchExpressions":[{"key":"a","operator":"In"}]})",
      R"({"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]})",
      R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})",
      R"({"matchExpressions":[{"key":"","operator":"Exists"}]})",
      R"({"matchExpressions":[{"key":"a","operator":"In","values":[1]}]})",
      R"({"matchExpressions":["a"]})",
      // Wrong types where strings belong used to throw out of fromJson (a tenant's selector or
      // a server's answer could take down the thread that parsed it).
      R"({"matchExpressions":[{"key":7,"operator":"Exists"}]})",
      R"({"matchExpressions":[{"key":"a","operator":["In"],"values":["x"]}]})",
      R"({"matchExpressions":[{"operator":"Exists"}]})",
      R"({"matchExpressions":[{"key":"a"}]})",
  };
  for (const char* json : cases) {
    auto s = LabelSelector::fromJson(Json::parse(json));
    ASSERT_FALSE(s.ok()) << json;
    EXPECT_EQ(s.error().kind, ErrorKind::Config);
    EXPECT_EQ(s.error().reason, "InvalidSelector");
  }
}

TEST(LabelSelector, ErrorsQuoteAtMostAnExcerptOfTheInput) {
  const std::string huge(100'000, 'k');
  for (const Json& selector :
       {Json{{"matchLabels", {{huge, "x"}}}}, Json{{"matchLabels", {{"app", huge + " "}}}},
        Json{{"matchExpressions", {{{"key", huge}, {"operator", "Exists"}}}}},
        Json{{"matchExpressions", {{{"key", "a"}, {"operator", huge}}}}}}) {
    auto s = LabelSelector::fromJson(selector);
    ASSERT_FALSE(s.ok());
    EXPECT_LT(s.error().message.size(), 300u) << s.error().message.substr(0, 300);
  }
}

TEST(LabelSelector, LabelKeyAndValueSyntax) {
  EXPECT_TRUE(isValidLabelKey("app.kubernetes.io/name"));
  EXPECT_TRUE(isValidLabelKey("A_b.c-D"));
  EXPECT_FALSE(isValidLabelKey("a/b/c"));
  EXPECT_FALSE(isValidLabelKey("/a"));
  EXPECT_FALSE(isValidLabelKey(std::string(64, 'a')));
  EXPECT_TRUE(isValidLabelValue(""));
  EXPECT_TRUE(isValidLabelValue("v1.2_x-Y"));
  EXPECT_FALSE(isValidLabelValue("a b"));
  EXPECT_FALSE(isValidLabelValue("x."));
}

}  // namespace
}  // namespace tro::kube
