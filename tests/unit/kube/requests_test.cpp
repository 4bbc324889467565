#include "operator/kube/requests.h"

#include <gtest/gtest.h>

#include "operator/kube/names.h"

namespace tro::kube {
namespace {

using Query = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

const Headers kAccept = {{"Accept", "application/json"}};
const Headers kJsonBody = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};

HttpRequest expected(std::string method, std::string path, Query query = {},
                     Headers headers = kAccept, std::string body = "") {
  return HttpRequest{std::move(method), std::move(path), std::move(query), std::move(headers),
                     std::move(body)};
}

void expectRequest(const Result<HttpRequest>& actual, const HttpRequest& want) {
  ASSERT_TRUE(actual.ok()) << actual.error().toString();
  EXPECT_EQ(actual->method, want.method);
  EXPECT_EQ(actual->path, want.path);
  EXPECT_EQ(actual->query, want.query);
  EXPECT_EQ(actual->headers, want.headers);
  EXPECT_EQ(actual->body, want.body);
}

void expectInvalid(const Result<HttpRequest>& actual, const std::string& fragment) {
  ASSERT_FALSE(actual.ok()) << actual->describe();
  EXPECT_EQ(actual.error().kind, ErrorKind::Config);
  EXPECT_EQ(actual.error().reason, "InvalidRequest");
  EXPECT_NE(actual.error().message.find(fragment), std::string::npos) << actual.error().message;
  EXPECT_FALSE(isRetryable(actual.error()));
}

TEST(ResourcePath, CoreGroupAppsGroupAndClusterScope) {
  struct Case {
    ResourceType type;
    std::string ns, name, sub, want;
  };
  const std::vector<Case> cases = {
      {resources::events(), "default", "", "", "/api/v1/namespaces/default/events"},
      {resources::events(), "", "", "", "/api/v1/events"},
      {resources::deployments(), "shop", "api", "",
       "/apis/apps/v1/namespaces/shop/deployments/api"},
      {resources::deployments(), "shop", "api", "scale",
       "/apis/apps/v1/namespaces/shop/deployments/api/scale"},
      {resources::namespaces(), "ignored", "kube-system", "", "/api/v1/namespaces/kube-system"},
      {resources::telemetryRollouts(), "a", "r.1", "status",
       "/apis/rollout.telemetry.io/v1alpha1/namespaces/a/telemetryrollouts/r.1/status"},
  };
  for (const auto& c : cases) {
    auto path = resourcePath(c.type, c.ns, c.name, c.sub);
    ASSERT_TRUE(path.ok()) << c.want << ": " << path.error().toString();
    EXPECT_EQ(*path, c.want);
  }
}

TEST(ResourcePath, RejectsNamesThatCouldEscapeThePath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"default", "../secrets"},
      {"default", "a/b"},
      {"default", "A"},
      {"..", "x"},
      {"a.b", "x"},
      {"default", "x?watch=true"},
      {"default", "x%2F"},
      {"default", "-x"},
      {"default", std::string(254, 'a')},
      {std::string(64, 'a'), "x"},
  };
  for (const auto& [ns, name] : cases) {
    EXPECT_FALSE(resourcePath(resources::deployments(), ns, name).ok()) << ns << "/" << name;
  }
  ResourceType bad = resources::deployments();
  bad.resource = "deployments/../secrets";
  EXPECT_FALSE(resourcePath(bad, "default").ok());
  bad = resources::deployments();
  bad.group = "apps/../..";
  EXPECT_FALSE(resourcePath(bad, "default").ok());
}

TEST(Names, DnsLabelAndSubdomainTable) {
  struct Case {
    std::string s;
    bool label, subdomain;
  };
  const std::vector<Case> cases = {
      {"a", true, true},
      {"web-1", true, true},
      {"a.b", false, true},
      {"", false, false},
      {"-a", false, false},
      {"a-", false, false},
      {"A", false, false},
      {"a..b", false, false},
      {".a", false, false},
      {"a_b", false, false},
      {std::string(63, 'a'), true, true},
      {std::string(64, 'a'), false, true},  // a subdomain's parts are not limited to 63
      {std::string(253, 'a'), false, true},
      {std::string(254, 'a'), false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(isDnsLabel(c.s), c.label) << c.s;
    EXPECT_EQ(isDnsSubdomain(c.s), c.subdomain) << c.s;
  }
}

TEST(GetRequest, NamespacedAndClusterScoped) {
  expectRequest(getRequest(resources::deployments(), "shop", "api"),
                expected("GET", "/apis/apps/v1/namespaces/shop/deployments/api"));
  expectRequest(getRequest(resources::namespaces(), "", "shop"),
                expected("GET", "/api/v1/namespaces/shop"));
  expectInvalid(getRequest(resources::deployments(), "", "api"), "namespace is required");
  expectInvalid(getRequest(resources::deployments(), "shop", ""), "name is required");
}

TEST(ListRequest, AllOptionsInOrder) {
  ListOptions options;
  options.labelSelector = "app=web,tier in (a,b)";
  options.fieldSelector = "metadata.name=x";
  options.limit = 500;
  options.continueToken = "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ";
  options.resourceVersion = "0";
  options.resourceVersionMatch = "NotOlderThan";
  expectRequest(listRequest(resources::deployments(), "shop", options),
                expected("GET", "/apis/apps/v1/namespaces/shop/deployments",
                         {{"labelSelector", "app=web,tier in (a,b)"},
                          {"fieldSelector", "metadata.name=x"},
                          {"limit", "500"},
                          {"continue", "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"},
                          {"resourceVersion", "0"},
                          {"resourceVersionMatch", "NotOlderThan"}}));
}

TEST(ListRequest, EmptyNamespaceListsAllNamespacesWithoutQuery) {
  expectRequest(listRequest(resources::deployments(), "", {}),
                expected("GET", "/apis/apps/v1/deployments"));
  ListOptions negative;
  negative.limit = -1;
  expectInvalid(listRequest(resources::deployments(), "", negative), "limit");
}

TEST(WatchRequest, WatchBookmarksSelectorsResourceVersionTimeout) {
  WatchOptions options;
  options.labelSelector = "app=web";
  options.fieldSelector = "metadata.name=api";
  options.resourceVersion = "61";
  options.timeoutSeconds = 290;
  expectRequest(watchRequest(resources::deployments(), "shop", options),
                expected("GET", "/apis/apps/v1/namespaces/shop/deployments",
                         {{"watch", "true"},
                          {"allowWatchBookmarks", "true"},
                          {"labelSelector", "app=web"},
                          {"fieldSelector", "metadata.name=api"},
                          {"resourceVersion", "61"},
                          {"timeoutSeconds", "290"}}));
}

TEST(WatchRequest, MinimalWatchOfAllNamespaces) {
  WatchOptions options;
  options.allowBookmarks = false;
  options.timeoutSeconds = 0;
  expectRequest(watchRequest(resources::telemetryRollouts(), "", options),
                expected("GET", "/apis/rollout.telemetry.io/v1alpha1/telemetryrollouts",
                         {{"watch", "true"}}));
}

TEST(CreateRequest, PostsTheObjectWithWriteOptions) {
  Json object = {{"apiVersion", "v1"}, {"kind", "Event"}, {"metadata", {{"name", "e1"}}}};
  WriteOptions options;
  options.fieldManager = "telemetry-rollout-operator";
  options.dryRun = true;
  options.fieldValidation = "Strict";
  expectRequest(createRequest(resources::events(), "shop", object, options),
                expected("POST", "/api/v1/namespaces/shop/events",
                         {{"dryRun", "All"},
                          {"fieldManager", "telemetry-rollout-operator"},
                          {"fieldValidation", "Strict"}},
                         kJsonBody, object.dump()));
}

TEST(CreateRequest, NamespaceFromObjectAndMismatch) {
  Json object = {{"metadata", {{"generateName", "e-"}, {"namespace", "shop"}}}};
  expectRequest(createRequest(resources::events(), "", object, {}),
                expected("POST", "/api/v1/namespaces/shop/events", {}, kJsonBody, object.dump()));
  expectInvalid(createRequest(resources::events(), "other", object, {}), "does not match");
  expectInvalid(createRequest(resources::events(), "", Json{{"metadata", Json::object()}}, {}),
                "namespace is required");
  expectInvalid(createRequest(resources::events(), "shop", Json::array(), {}), "JSON object");
  expectRequest(
      createRequest(resources::namespaces(), "", Json{{"metadata", {{"name", "n"}}}}, {}),
      expected("POST", "/api/v1/namespaces", {}, kJsonBody, R"({"metadata":{"name":"n"}})"));
}

TEST(CreateRequest, InvalidUtf8BodyIsAnErrorNotAThrow) {
  Json object = {{"metadata", {{"name", "x"}}}, {"data", std::string("\xff\xfe")}};
  expectInvalid(createRequest(resources::events(), "shop", object, {}), "serialise");
}

TEST(UpdateRequest, PutsToTheNamedObjectAndRequiresResourceVersion) {
  Json object = {{"metadata", {{"name", "api"}, {"namespace", "shop"}, {"resourceVersion", "51"}}},
                 {"spec", {{"replicas", 3}}}};
  WriteOptions options;
  options.fieldManager = "tro";
  expectRequest(updateRequest(resources::deployments(), "shop", object, options),
                expected("PUT", "/apis/apps/v1/namespaces/shop/deployments/api",
                         {{"fieldManager", "tro"}}, kJsonBody, object.dump()));
  Json noVersion = object;
  noVersion["metadata"].erase("resourceVersion");
  expectInvalid(updateRequest(resources::deployments(), "shop", noVersion, {}),
                "metadata.resourceVersion");
  Json noName = object;
  noName["metadata"].erase("name");
  expectInvalid(updateRequest(resources::deployments(), "shop", noName, {}), "name is required");
}

TEST(UpdateStatusRequest, PutsToTheStatusSubresource) {
  Json object = {{"metadata", {{"name", "r1"}, {"resourceVersion", "7"}}},
                 {"status", {{"phase", "Progressing"}}}};
  expectRequest(updateStatusRequest(resources::telemetryRollouts(), "shop", object, {}),
                expected("PUT",
                         "/apis/rollout.telemetry.io/v1alpha1/namespaces/shop/telemetryrollouts/"
                         "r1/status",
                         {}, kJsonBody, object.dump()));
}

TEST(PatchRequest, ContentTypePerPatchType) {
  const std::vector<std::pair<PatchType, std::string>> cases = {
      {PatchType::Json, "application/json-patch+json"},
      {PatchType::Merge, "application/merge-patch+json"},
      {PatchType::StrategicMerge, "application/strategic-merge-patch+json"},
      {PatchType::Apply, "application/apply-patch+yaml"},
  };
  for (const auto& [type, contentType] : cases) {
    PatchOptions options;
    options.fieldManager = "tro";
    expectRequest(
        patchRequest(resources::deployments(), "shop", "api", type, R"({"a":1})", options),
        expected("PATCH", "/apis/apps/v1/namespaces/shop/deployments/api",
                 {{"fieldManager", "tro"}},
                 {{"Accept", "application/json"}, {"Content-Type", contentType}}, R"({"a":1})"));
  }
}

TEST(PatchRequest, ForcedApplyToStatusWithDryRun) {
  PatchOptions options;
  options.fieldManager = "tro";
  options.force = true;
  options.subresource = "status";
  options.dryRun = true;
  expectRequest(
      patchRequest(resources::telemetryRollouts(), "shop", "r1", PatchType::Apply, "{}", options),
      expected("PATCH",
               "/apis/rollout.telemetry.io/v1alpha1/namespaces/shop/telemetryrollouts/r1/status",
               {{"dryRun", "All"}, {"fieldManager", "tro"}, {"force", "true"}},
               {{"Accept", "application/json"}, {"Content-Type", "application/apply-patch+yaml"}},
               "{}"));
}

TEST(PatchRequest, ApplyNeedsFieldManagerAndForceNeedsApply) {
  expectInvalid(patchRequest(resources::deployments(), "shop", "api", PatchType::Apply, "{}", {}),
                "fieldManager");
  PatchOptions force;
  force.force = true;
  expectInvalid(
      patchRequest(resources::deployments(), "shop", "api", PatchType::Merge, "{}", force),
      "force");
  PatchOptions sub;
  sub.subresource = "../x";
  expectInvalid(patchRequest(resources::deployments(), "shop", "api", PatchType::Merge, "{}", sub),
                "subresource");
}

TEST(DeleteRequest, DeleteOptionsBody) {
  struct Case {
    DeleteOptions options;
    std::string body;
  };
  DeleteOptions all;
  all.propagationPolicy = "Foreground";
  all.preconditionUid = "0ccbe420";
  all.preconditionResourceVersion = "51";
  all.gracePeriodSeconds = 0;
  DeleteOptions background;
  background.propagationPolicy = "Background";
  const std::vector<Case> cases = {
      {{}, "{}"},
      {background, R"({"propagationPolicy":"Background"})"},
      {all, R"({"gracePeriodSeconds":0,"preconditions":{"resourceVersion":"51","uid":"0ccbe420"},)"
            R"("propagationPolicy":"Foreground"})"},
  };
  for (const auto& c : cases) {
    expectRequest(
        deleteRequest(resources::deployments(), "shop", "api", c.options),
        expected("DELETE", "/apis/apps/v1/namespaces/shop/deployments/api", {}, kJsonBody, c.body));
  }
  DeleteOptions bad;
  bad.propagationPolicy = "Sometimes";
  expectInvalid(deleteRequest(resources::deployments(), "shop", "api", bad), "propagationPolicy");
}

TEST(Query, PercentEncodingAndDescribe) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc-._~XYZ09", "abc-._~XYZ09"},
      {"spec.bogus=x", "spec.bogus%3Dx"},
      {"tier in (a,b)", "tier%20in%20%28a%2Cb%29"},
      {"!a&b+c/d?", "%21a%26b%2Bc%2Fd%3F"},
      {"\xc3\xa9", "%C3%A9"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(percentEncode(in), out) << in;

  HttpRequest request = expected("GET", "/api/v1/namespaces/default/configmaps",
                                 {{"fieldSelector", "spec.bogus=x"}, {"limit", "5"}});
  EXPECT_EQ(encodeQuery(request), "fieldSelector=spec.bogus%3Dx&limit=5");
  EXPECT_EQ(request.describe(),
            "GET /api/v1/namespaces/default/configmaps?fieldSelector=spec.bogus%3Dx&limit=5");
  EXPECT_EQ(expected("GET", "/api/v1/namespaces").describe(), "GET /api/v1/namespaces");
}

}  // namespace
}  // namespace tro::kube
