#include "kubesim/schema/selectors.h"

#include <gtest/gtest.h>

namespace kubesim::schema {
namespace {

using Op = LabelRequirement::Op;

TEST(LabelSelector, ParsesEveryOperator) {
  auto s = LabelSelector::parse("a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->requirements(), (std::vector<LabelRequirement>{{"a", Op::Equals, {"1"}},
                                                              {"b", Op::Equals, {"2"}},
                                                              {"c", Op::NotEquals, {"3"}},
                                                              {"d", Op::In, {"x", "y"}},
                                                              {"e", Op::NotIn, {"z"}},
                                                              {"f", Op::Exists, {}},
                                                              {"g", Op::DoesNotExist, {}}}));
  EXPECT_EQ(s->toString(), "a=1,b=2,c!=3,d in (x,y),e notin (z),f,!g");
}

struct MatchCase {
  const char* selector;
  const char* labels;
  bool matches;
};

class LabelMatch : public ::testing::TestWithParam<MatchCase> {};

TEST_P(LabelMatch, Matches) {
  const auto& c = GetParam();
  auto s = LabelSelector::parse(c.selector);
  ASSERT_TRUE(s.ok()) << c.selector << ": " << s.error().message;
  EXPECT_EQ(s->matches(Json::parse(c.labels)), c.matches) << c.selector << " vs " << c.labels;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LabelMatch,
    ::testing::Values(
        MatchCase{"", "null", true}, MatchCase{"tier=a", R"({"tier":"a"})", true},
        MatchCase{"tier=a", R"({"tier":"b"})", false}, MatchCase{"tier=a", "null", false},
        MatchCase{"tier!=a", R"({})", true}, MatchCase{"tier!=a", R"({"tier":"a"})", false},
        MatchCase{"tier in (a,b)", R"({"tier":"b"})", true},
        MatchCase{"tier in (a,b)", R"({})", false}, MatchCase{"tier notin (a,b)", R"({})", true},
        MatchCase{"tier notin (a,b)", R"({"tier":"a"})", false},
        MatchCase{"tier", R"({"tier":""})", true}, MatchCase{"!tier", R"({"tier":""})", false},
        MatchCase{"tier=", R"({"tier":""})", true},
        MatchCase{"app.kubernetes.io/name=web,tier",
                  R"({"app.kubernetes.io/name":"web","tier":"x"})", true},
        MatchCase{"app=web,tier=a", R"({"app":"web"})", false}));

TEST(LabelSelector, RejectsMalformedWithRealParserMessages) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"},
      {"=a", "found '=', expected: !, identifier, or 'end of string'"},
      {"a,", "found '', expected: identifier after ','"},
      {"a in x", "unable to parse requirement: found 'x' expected: '('"},
      {"a in (x", "unable to parse requirement: found '', expected: ',' or ')'"},
      {"a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"},
      {"a=(", "unable to parse requirement: found '(', expected: identifier"},
      {"a=b=c", "found '=', expected: ',' or 'end of string'"},
      {"a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"},
      {"Bad_@=x",
       "unable to parse requirement: <nil>: Invalid value: \"Bad_@\": name part must consist of "
       "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
       "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
       "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"},
      {"a=" + std::string(64, 'x'), "unable to parse requirement: values[0][a]: Invalid value: \"" +
                                        std::string(64, 'x') +
                                        "\": must be no more than 63 characters"},
      {"a in (ok,b@d)",  // values are a sorted set: b@d comes first
       "unable to parse requirement: values[0][a]: Invalid value: \"b@d\": a valid label must be "
       "an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
       "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
       "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"},
  };
  for (const auto& [selector, message] : cases) {
    auto s = LabelSelector::parse(selector);
    ASSERT_FALSE(s.ok()) << selector;
    EXPECT_EQ(s.error().code, 400) << selector;
    EXPECT_EQ(s.error().reason, "BadRequest") << selector;
    EXPECT_EQ(s.error().message, message) << selector;
  }
}

TEST(LabelSelector, EmptyValuesInSetsAsTheRealParser) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"a in ()", {""}},
      {"a in (,x)", {"", "x"}},
      {"a in (y,x,)", {"", "x", "y"}},
      {"a notin (b,b)", {"b"}}};
  for (const auto& [selector, values] : cases) {
    auto s = LabelSelector::parse(selector);
    ASSERT_TRUE(s.ok()) << selector << ": " << s.error().message;
    EXPECT_EQ(s->requirements().at(0).values, values) << selector;
  }
}

TEST(LabelSelector, FromJsonSortsLikeKubectl) {
  auto s = LabelSelector::fromJson(Json::parse(R"({"matchLabels":{"z":"1","app":"web"},
      "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},
                          {"key":"gone","operator":"DoesNotExist"}]})"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->toString(), "app=web,env in (dev,prod),!gone,z=1");
  EXPECT_TRUE(s->matches(Json::parse(R"({"app":"web","env":"dev","z":"1"})")));
  EXPECT_FALSE(s->matches(Json::parse(R"({"app":"web","env":"dev","z":"1","gone":"x"})")));
  EXPECT_FALSE(LabelSelector::fromJson(
                   Json::parse(R"({"matchExpressions":[{"key":"a","operator":"Near"}]})"))
                   .ok());
  EXPECT_TRUE(LabelSelector::fromJson(nullptr)->empty());
}

TEST(FieldSelector, UnsupportedFieldMatchesReference40) {
  KindRegistry r;
  auto s = FieldSelector::parse("spec.bogus=x", *r.byResource("", "v1", "configmaps"));
  ASSERT_FALSE(s.ok());
  const Json expected = Json::parse(R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "\"spec.bogus\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
 "reason": "BadRequest", "code": 400})");
  EXPECT_EQ(s.error().toStatus(), expected);
  auto ev = FieldSelector::parse("spec.bogus=x", *r.byResource("", "v1", "events"));
  ASSERT_FALSE(ev.ok());
  EXPECT_EQ(ev.error().message, "field label not supported: spec.bogus");
  auto garbage = FieldSelector::parse("metadata.name", *r.byResource("", "v1", "pods"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().message,
            "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
}

TEST(FieldSelector, MatchesPerKindFields) {
  KindRegistry r;
  const Json event = Json::parse(R"({"metadata":{"name":"web.1","namespace":"default"},
    "involvedObject":{"kind":"Deployment","name":"web","namespace":"default","uid":"u1"},
    "reason":"TelemetryEnabled","type":"Normal","source":{"component":"op"}})");
  const KindInfo& events = *r.byResource("", "v1", "events");
  struct Case {
    const char* selector;
    bool matches;
  };
  const std::vector<Case> cases = {
      {"involvedObject.name=web", true},
      {"involvedObject.name=other", false},
      {"involvedObject.kind==Deployment,involvedObject.namespace=default", true},
      {"involvedObject.uid!=u1", false},
      {"reason=TelemetryEnabled,type=Normal", true},
      {"source=op", true},
      {"metadata.name=web.1", true},
      {"metadata.namespace!=default", false},
      {"", true},
  };
  for (const auto& c : cases) {
    auto s = FieldSelector::parse(c.selector, events);
    ASSERT_TRUE(s.ok()) << c.selector;
    EXPECT_EQ(s->matches(event), c.matches) << c.selector;
  }
  const Json pod = Json::parse(
      R"({"metadata":{"name":"p"},"spec":{"nodeName":"n1"},"status":{"phase":"Running"}})");
  auto ps = FieldSelector::parse("status.phase=Running,spec.nodeName=n1",
                                 *r.byResource("", "v1", "pods"));
  ASSERT_TRUE(ps.ok());
  EXPECT_TRUE(ps->matches(pod));
  auto dep = FieldSelector::parse("metadata.name=x", *r.byResource("apps", "v1", "deployments"));
  ASSERT_TRUE(dep.ok());
  EXPECT_TRUE(dep->matches(Json::parse(R"({"metadata":{"name":"x"}})")));
  EXPECT_FALSE(dep->matches(Json::parse(R"({"metadata":{"name":"y"}})")));
  auto escaped =
      FieldSelector::parse(R"(metadata.name=a\,b)", *r.byResource("", "v1", "configmaps"));
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped->requirements().at(0).value, "a,b");
  EXPECT_FALSE(
      FieldSelector::parse("metadata.namespace=x", *r.byResource("", "v1", "namespaces")).ok());
}

}  // namespace
}  // namespace kubesim::schema
