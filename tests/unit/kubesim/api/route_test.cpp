#include <gtest/gtest.h>

#include "kubesim/api/continue_token.h"
#include "kubesim/api/route.h"

namespace kubesim::api {
namespace {

struct RouteCase {
  std::string path;
  Route::Type type;
  std::string group;
  std::string version;
  std::string resource;
  std::optional<std::string> ns;
  std::string name;
  std::string subresource;
  bool legacyWatch = false;
};

TEST(RouteTest, ParsesEveryPathShape) {
  using T = Route::Type;
  const RouteCase cases[] = {
      {"/api", T::LegacyRoot, "", "", "", std::nullopt, "", ""},
      {"/api/v1", T::ResourceList, "", "v1", "", std::nullopt, "", ""},
      {"/apis", T::GroupList, "", "", "", std::nullopt, "", ""},
      {"/apis/apps", T::Group, "apps", "", "", std::nullopt, "", ""},
      {"/apis/apps/v1", T::ResourceList, "apps", "v1", "", std::nullopt, "", ""},
      {"/openapi/v3", T::OpenApiIndex, "", "", "", std::nullopt, "", ""},
      {"/openapi/v3/api/v1", T::OpenApiDoc, "", "v1", "", std::nullopt, "", ""},
      {"/openapi/v3/apis/apps/v1", T::OpenApiDoc, "apps", "v1", "", std::nullopt, "", ""},
      {"/openapi/v2", T::OpenApiV2, "", "", "", std::nullopt, "", ""},
      {"/api/v1/namespaces", T::Resource, "", "v1", "namespaces", std::nullopt, "", ""},
      {"/api/v1/namespaces/default", T::Resource, "", "v1", "namespaces", std::nullopt, "default",
       ""},
      {"/api/v1/namespaces/x/status", T::Resource, "", "v1", "namespaces", std::nullopt, "x",
       "status"},
      {"/api/v1/namespaces/default/pods", T::Resource, "", "v1", "pods", "default", "", ""},
      {"/apis/apps/v1/namespaces/d/deployments/web/status", T::Resource, "apps", "v1",
       "deployments", "d", "web", "status"},
      {"/apis/apps/v1/deployments", T::Resource, "apps", "v1", "deployments", std::nullopt, "", ""},
      {"/api/v1/watch/namespaces/d/pods", T::Resource, "", "v1", "pods", "d", "", "", true},
      {"/apis/a/v1/namespaces/d/x/y/z/w", T::Unknown, "", "", "", std::nullopt, "", ""},
      {"/healthz", T::Unknown, "", "", "", std::nullopt, "", ""},
  };
  for (const auto& c : cases) {
    Route r = parseRoute(c.path);
    EXPECT_EQ(r.type, c.type) << c.path;
    if (r.type != c.type || c.type == T::Unknown) continue;
    EXPECT_EQ(r.group, c.group) << c.path;
    EXPECT_EQ(r.version, c.version) << c.path;
    EXPECT_EQ(r.resource, c.resource) << c.path;
    EXPECT_EQ(r.ns, c.ns) << c.path;
    EXPECT_EQ(r.name, c.name) << c.path;
    EXPECT_EQ(r.subresource, c.subresource) << c.path;
    EXPECT_EQ(r.legacyWatch, c.legacyWatch) << c.path;
  }
}

TEST(ContinueTokenTest, RoundTripsAndRejectsGarbage) {
  ContinueToken t{61, std::string("p2") + '\0'};
  auto back = decodeContinue(encodeContinue(t));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->rv, 61u);
  EXPECT_EQ(back->start, t.start);
  EXPECT_FALSE(decodeContinue("!!!").has_value());
  EXPECT_FALSE(decodeContinue("eyJ4IjoxfQ").has_value());  // {"x":1}
}

TEST(ContinueTokenTest, DecodesTheRealServersToken) {
  auto t = decodeContinue("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NjEsInN0YXJ0IjoicDJcdTAwMDAifQ");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->rv, 61u);
  EXPECT_EQ(t->start, std::string("p2") + '\0');
}

}  // namespace
}  // namespace kubesim::api
