#include "operator/kube/rest_client.h"

#include <gtest/gtest.h>

#include "tests/unit/kube/fake_transport.h"

namespace tro::kube {
namespace {

using testing::FakeTransport;
using Query = std::vector<std::pair<std::string, std::string>>;

const char* kNotFound = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
  "message":"deployments.apps \"api\" not found","reason":"NotFound",
  "details":{"name":"api","group":"apps","kind":"deployments"},"code":404})";

class RestClientTest : public ::testing::Test {
 protected:
  FakeTransport transport_;
  RestClient client_{transport_, std::chrono::seconds(5)};

  const HttpRequest& only() {
    EXPECT_EQ(transport_.requests.size(), 1u);
    return transport_.requests.back();
  }
};

TEST_F(RestClientTest, GetSendsTheRequestWithTimeoutAndDecodes) {
  transport_.respond(200, R"({"kind":"Deployment","metadata":{"name":"api"}})");
  auto object = client_.get(resources::deployments(), "shop", "api");
  ASSERT_TRUE(object.ok()) << object.error().toString();
  EXPECT_EQ((*object)["metadata"]["name"], "api");
  EXPECT_EQ(only().describe(), "GET /apis/apps/v1/namespaces/shop/deployments/api");
  EXPECT_EQ(only().headers,
            (std::vector<std::pair<std::string, std::string>>{{"Accept", "application/json"}}));
  EXPECT_EQ(transport_.timeouts.at(0), std::chrono::seconds(5));
}

TEST_F(RestClientTest, ApiErrorsCarryStatusAndContext) {
  transport_.respond(404, kNotFound);
  auto object = client_.get(resources::deployments(), "shop", "api");
  ASSERT_FALSE(object.ok());
  EXPECT_TRUE(isNotFound(object.error()));
  EXPECT_EQ(object.error().toString(),
            "NotFound (404): get deployments shop/api: deployments.apps \"api\" not found");
}

TEST_F(RestClientTest, TransportErrorsKeepTheirKindAndGainContext) {
  Error refused;
  refused.kind = ErrorKind::Transport;
  refused.message = "connection refused";
  transport_.failWith(refused);
  auto list = client_.list(resources::deployments(), "", {});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().kind, ErrorKind::Transport);
  EXPECT_TRUE(isRetryable(list.error()));
  EXPECT_EQ(list.error().message, "list deployments in all namespaces: connection refused");
}

TEST_F(RestClientTest, InvalidRequestsNeverReachTheTransport) {
  auto object = client_.get(resources::deployments(), "shop", "../secrets");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.error().kind, ErrorKind::Config);
  EXPECT_TRUE(transport_.requests.empty());
  auto update =
      client_.update(resources::deployments(), "shop", Json{{"metadata", {{"name", "api"}}}}, {});
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().message.find("update deployments shop/api"), std::string::npos);
  EXPECT_TRUE(transport_.requests.empty());
}

TEST_F(RestClientTest, ListWithOptions) {
  transport_.respond(200, R"({"kind":"DeploymentList","items":[],"metadata":{"continue":"c2"}})");
  ListOptions options;
  options.labelSelector = "app=web";
  options.limit = 2;
  auto list = client_.list(resources::deployments(), "shop", options);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["metadata"]["continue"], "c2");
  EXPECT_EQ(only().describe(),
            "GET /apis/apps/v1/namespaces/shop/deployments?labelSelector=app%3Dweb&limit=2");
}

TEST_F(RestClientTest, WriteVerbsSendExactRequests) {
  Json object = {{"metadata", {{"name", "api"}, {"resourceVersion", "5"}}}};
  WriteOptions write;
  write.fieldManager = "tro";
  for (int i = 0; i < 5; ++i) transport_.respond(200, R"({"ok":true})");
  ASSERT_TRUE(client_.create(resources::deployments(), "shop", object, write).ok());
  ASSERT_TRUE(client_.update(resources::deployments(), "shop", object, write).ok());
  ASSERT_TRUE(client_.updateStatus(resources::deployments(), "shop", object, write).ok());
  PatchOptions patch;
  patch.fieldManager = "tro";
  patch.force = true;
  ASSERT_TRUE(
      client_.patch(resources::deployments(), "shop", "api", PatchType::Apply, "{}", patch).ok());
  DeleteOptions del;
  del.propagationPolicy = "Background";
  ASSERT_TRUE(client_.remove(resources::deployments(), "shop", "api", del).ok());

  ASSERT_EQ(transport_.requests.size(), 5u);
  const std::string base = "/apis/apps/v1/namespaces/shop/deployments";
  EXPECT_EQ(transport_.requests[0].describe(), "POST " + base + "?fieldManager=tro");
  EXPECT_EQ(transport_.requests[1].describe(), "PUT " + base + "/api?fieldManager=tro");
  EXPECT_EQ(transport_.requests[2].describe(), "PUT " + base + "/api/status?fieldManager=tro");
  EXPECT_EQ(transport_.requests[3].describe(),
            "PATCH " + base + "/api?fieldManager=tro&force=true");
  EXPECT_EQ(transport_.requests[4].describe(), "DELETE " + base + "/api");
  EXPECT_EQ(transport_.requests[0].body, object.dump());
  EXPECT_EQ(transport_.requests[3].headers.at(1).second, "application/apply-patch+yaml");
  EXPECT_EQ(transport_.requests[4].body, R"({"propagationPolicy":"Background"})");
}

TEST_F(RestClientTest, ApplyConflictKeepsCauses) {
  transport_.respond(409, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
    "message":"Apply failed with 1 conflict: conflict with \"alice\": .spec.size",
    "reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict",
    "message":"conflict with \"alice\"","field":".spec.size"}]},"code":409})");
  PatchOptions options;
  options.fieldManager = "bob";
  auto r = client_.patch(resources::deployments(), "shop", "api", PatchType::Apply, "{}", options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(isConflict(r.error()));
  ASSERT_EQ(r.error().causes.size(), 1u);
  EXPECT_EQ(r.error().causes[0].reason, "FieldManagerConflict");
  EXPECT_EQ(r.error().message.rfind("apply deployments shop/api: Apply failed", 0), 0u);
}

TEST_F(RestClientTest, WatchDecodesLinesSkipsBlanksAndEndsCleanly) {
  transport_.streamLines({
      R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"10"}}})",
      "",
      R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"12"}}})",
  });
  WatchOptions options;
  options.resourceVersion = "9";
  auto stream = client_.watch(resources::deployments(), "shop", options);
  ASSERT_TRUE(stream.ok()) << stream.error().toString();
  EXPECT_EQ(only().describe(),
            "GET /apis/apps/v1/namespaces/shop/deployments?watch=true&allowWatchBookmarks=true&"
            "resourceVersion=9&timeoutSeconds=300");
  auto first = (*stream)->next();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->type, WatchEventType::Added);
  EXPECT_EQ((*first)->object["metadata"]["name"], "a");
  auto second = (*stream)->next();
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->type, WatchEventType::Bookmark);
  auto end = (*stream)->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST_F(RestClientTest, WatchErrorEventIsGone) {
  transport_.streamLines({
      R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1",
    "metadata":{},"status":"Failure","message":"too old resource version: 1 (50)",
      "reason" : "Expired", "code" : 410}})json"});
  auto stream = client_.watch(resources::deployments(), "", {});
  ASSERT_TRUE(stream.ok());
  auto event = (*stream)->next();
  ASSERT_FALSE(event.ok());
  EXPECT_TRUE(isGone(event.error()));
  EXPECT_NE(event.error().message.find("watch deployments in all namespaces"), std::string::npos);
}

TEST_F(RestClientTest, WatchRefusedWithStatusIsDecoded) {
  transport_.streamRefused(403, R"({"kind":"Status","apiVersion":"v1","metadata":{},
    "status":"Failure","message":"forbidden","reason":"Forbidden","code":403})");
  auto stream = client_.watch(resources::namespaces(), "", {});
  ASSERT_FALSE(stream.ok());
  EXPECT_TRUE(isForbidden(stream.error()));
  EXPECT_EQ(stream.error().message, "watch namespaces: forbidden");
}

TEST_F(RestClientTest, WatchBrokenConnectionAndCancel) {
  Error broken;
  broken.kind = ErrorKind::Transport;
  broken.message = "connection reset";
  transport_.streamLines({R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"}, broken);
  auto stream = client_.watch(resources::deployments(), "shop", {});
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE((*stream)->next().ok());
  auto failed = (*stream)->next();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::Transport);

  transport_.streamLines({R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})"});
  auto second = client_.watch(resources::deployments(), "shop", {});
  ASSERT_TRUE(second.ok());
  (*second)->cancel();
  auto cancelled = (*second)->next();
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().kind, ErrorKind::Cancelled);
}

TEST_F(RestClientTest, WatchGarbageLineIsDecodeError) {
  transport_.streamLines({"not json"});
  auto stream = client_.watch(resources::deployments(), "shop", {});
  ASSERT_TRUE(stream.ok());
  auto event = (*stream)->next();
  ASSERT_FALSE(event.ok());
  EXPECT_EQ(event.error().kind, ErrorKind::Decode);
}

}  // namespace
}  // namespace tro::kube
