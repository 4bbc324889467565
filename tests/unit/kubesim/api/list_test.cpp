// list: selectors, paging with consistent snapshots, expired continue tokens.

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

Response call(ApiServer& s, const std::string& method, const std::string& target,
              const std::string& body = "", const std::string& ct = "application/json") {
  return s.handle(makeRequest(method, target, body, ct));
}

std::vector<std::string> names(const Json& list) {
  std::vector<std::string> out;
  for (const auto& i : list["items"]) out.push_back(i["metadata"]["name"]);
  return out;
}

TEST(ListTest, PagesFromAConsistentSnapshot) {
  ApiServer s(testOptions());
  for (const char* n : {"a", "b", "c", "d", "e"}) {
    ASSERT_EQ(call(s, "POST", kConfigMaps, configMap(n)).status, 201);
  }
  auto first = bodyOf(call(s, "GET", std::string(kConfigMaps) + "?limit=2"));
  EXPECT_EQ(names(first), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(first["metadata"]["remainingItemCount"], 3);
  std::string token = first["metadata"]["continue"];
  ASSERT_FALSE(token.empty());
  // Changes after the first page must not show up in later pages.
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("bb")).status, 201);
  ASSERT_EQ(call(s, "DELETE", std::string(kConfigMaps) + "/d").status, 200);
  auto second = bodyOf(call(s, "GET", std::string(kConfigMaps) + "?limit=2&continue=" + token));
  EXPECT_EQ(names(second), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(second["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"]);
  auto third = bodyOf(call(s, "GET",
                           std::string(kConfigMaps) + "?limit=2&continue=" +
                               second["metadata"]["continue"].get<std::string>()));
  EXPECT_EQ(names(third), (std::vector<std::string>{"e"}));
  EXPECT_FALSE(third["metadata"].contains("continue"));
}

TEST(ListTest, ExpiredContinueIs410) {
  auto o = testOptions();
  o.watchHistory = 3;
  ApiServer s(o);
  for (const char* n : {"a", "b", "c"})
    ASSERT_EQ(call(s, "POST", kConfigMaps, configMap(n)).status, 201);
  std::string token =
      bodyOf(call(s, "GET", std::string(kConfigMaps) + "?limit=1"))["metadata"]["continue"];
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("x" + std::to_string(i))).status, 201);
  }
  auto r = call(s, "GET", std::string(kConfigMaps) + "?limit=1&continue=" + token);
  ASSERT_EQ(r.status, 410);
  auto st = bodyOf(r);
  EXPECT_EQ(st["reason"], "Expired");
  EXPECT_EQ(st["message"].get<std::string>().rfind("The provided continue parameter is too old", 0),
            0u);
}

TEST(ListTest, LabelAndFieldSelectors) {
  ApiServer s(testOptions());
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("a", R"("labels": {"tier": "a"})")).status, 201);
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("b", R"("labels": {"tier": "b"})")).status, 201);
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("c")).status, 201);
  EXPECT_EQ(names(bodyOf(call(s, "GET", std::string(kConfigMaps) + "?labelSelector=tier=a"))),
            (std::vector<std::string>{"a"}));
  EXPECT_EQ(names(bodyOf(call(s, "GET", std::string(kConfigMaps) + "?labelSelector=tier"))),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(names(bodyOf(call(s, "GET", std::string(kConfigMaps) + "?labelSelector=!tier"))),
            (std::vector<std::string>{"c"}));
  EXPECT_EQ(
      names(bodyOf(call(s, "GET", std::string(kConfigMaps) + "?fieldSelector=metadata.name=b"))),
      (std::vector<std::string>{"b"}));
  auto bad = call(s, "GET", std::string(kConfigMaps) + "?fieldSelector=spec.bogus=x");
  EXPECT_EQ(bad.status, 400);
  auto list = bodyOf(call(s, "GET", kConfigMaps));
  EXPECT_EQ(list["kind"], "ConfigMapList");
  EXPECT_EQ(list["apiVersion"], "v1");
}

TEST(ListTest, AllNamespacesListSpansNamespaces) {
  ApiServer s(testOptions());
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("a")).status, 201);
  ASSERT_EQ(call(s, "POST", "/api/v1/namespaces/kube-system/configmaps", configMap("b")).status,
            201);
  EXPECT_EQ(names(bodyOf(call(s, "GET", "/api/v1/configmaps"))),
            (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace kubesim::api
