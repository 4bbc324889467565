#include "kubesim/http/request_target.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

using Query = std::multimap<std::string, std::string>;

TEST(PercentDecode, Table) {
  struct Case {
    std::string in;
    bool plusIsSpace;
    std::string out;
  };
  const Case cases[] = {
      {"app%3Dweb", true, "app=web"},
      {"a+b", true, "a b"},
      {"a+b", false, "a+b"},
      {"%2f%2F", false, "//"},
      {"100%", true, "100%"},  // truncated escape kept verbatim
      {"%zz", true, "%zz"},    // invalid escape kept verbatim
      {"%4", true, "%4"},
      {"", true, ""},
      {"%E2%9C%93", true, "\xE2\x9C\x93"},
  };
  for (const auto& c : cases) EXPECT_EQ(percentDecode(c.in, c.plusIsSpace), c.out) << c.in;
}

TEST(ParseRequestTarget, Table) {
  struct Case {
    std::string target;
    std::string path;
    Query query;
  };
  const Case cases[] = {
      {"/api/v1/namespaces", "/api/v1/namespaces", {}},
      {"", "/", {}},
      {"/apis?timeout=32s", "/apis", {{"timeout", "32s"}}},
      {"/api/v1/pods?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29&limit=500",
       "/api/v1/pods",
       {{"labelSelector", "app=web,tier in (a,b)"}, {"limit", "500"}}},
      {"/x?watch&watch=1", "/x", {{"watch", ""}, {"watch", "1"}}},
      {"/x?&&a=1&", "/x", {{"a", "1"}}},
      {"/x?a=1=2", "/x", {{"a", "1=2"}}},
      {"/api/v1/namespaces/a%20b", "/api/v1/namespaces/a b", {}},
      {"/x?fieldSelector=involvedObject.name%3Dp%2B1",
       "/x",
       {{"fieldSelector", "involvedObject.name=p+1"}}},
  };
  for (const auto& c : cases) {
    RequestTarget t = parseRequestTarget(c.target);
    EXPECT_EQ(t.path, c.path) << c.target;
    EXPECT_EQ(t.query, c.query) << c.target;
  }
}

}  // namespace
}  // namespace kubesim::http
