// Watch: initial ADDED events, live events, resume from a resourceVersion, 410 Expired, bookmarks,
// selector filtering, timeouts.

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;
using std::chrono::milliseconds;

Response call(ApiServer& s, const std::string& method, const std::string& target,
              const std::string& body = "", const std::string& ct = "application/json") {
  return s.handle(makeRequest(method, target, body, ct));
}

WatchPtr startWatch(ApiServer& s, const std::string& query) {
  auto r = s.watch(makeRequest("GET", std::string(kConfigMaps) + "?watch=true&" + query));
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : nullptr;
}

// Next event, waiting up to 5 s (a deadline, not a sleep).
Json next(Watch& w) {
  auto line = w.nextLine(milliseconds(5000));
  return line ? Json::parse(*line) : Json();
}

std::string rvOf(const Response& r) { return bodyOf(r)["metadata"]["resourceVersion"]; }

TEST(WatchTest, FromZeroSendsCurrentStateThenLiveEvents) {
  ApiServer s(testOptions());
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("a")).status, 201);
  auto w = startWatch(s, "resourceVersion=0");
  auto added = next(*w);
  EXPECT_EQ(added["type"], "ADDED");
  EXPECT_EQ(added["object"]["metadata"]["name"], "a");
  EXPECT_EQ(added["object"]["kind"], "ConfigMap");
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("b")).status, 201);
  ASSERT_EQ(call(s, "PATCH", std::string(kConfigMaps) + "/b", R"({"data": {"k": "2"}})",
                 "application/merge-patch+json")
                .status,
            200);
  auto delRv = call(s, "DELETE", std::string(kConfigMaps) + "/a");
  ASSERT_EQ(delRv.status, 200);
  auto e1 = next(*w);
  auto e2 = next(*w);
  auto e3 = next(*w);
  EXPECT_EQ(e1["type"], "ADDED");
  EXPECT_EQ(e2["type"], "MODIFIED");
  EXPECT_EQ(e2["object"]["data"]["k"], "2");
  EXPECT_EQ(e3["type"], "DELETED");
  EXPECT_EQ(e3["object"]["metadata"]["name"], "a");
  EXPECT_FALSE(w->finished());
  EXPECT_FALSE(w->nextLine(milliseconds(10)).has_value());
}

TEST(WatchTest, FromAResourceVersionReplaysNewerChanges) {
  ApiServer s(testOptions());
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("a")).status, 201);
  std::string rv = rvOf(call(s, "GET", kConfigMaps));
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("b")).status, 201);
  auto w = startWatch(s, "resourceVersion=" + rv);
  auto e = next(*w);
  EXPECT_EQ(e["type"], "ADDED");
  EXPECT_EQ(e["object"]["metadata"]["name"], "b");
  EXPECT_FALSE(w->nextLine(milliseconds(10)).has_value());
}

TEST(WatchTest, TooOldResourceVersionIs410Expired) {
  auto o = testOptions();
  o.watchHistory = 2;
  ApiServer s(o);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("c" + std::to_string(i))).status, 201);
  }
  auto w = startWatch(s, "resourceVersion=1");
  auto e = next(*w);
  EXPECT_EQ(e["type"], "ERROR");
  EXPECT_EQ(e["object"]["code"], 410);
  EXPECT_EQ(e["object"]["reason"], "Expired");
  EXPECT_EQ(e["object"]["message"].get<std::string>().rfind("too old resource version: 1 (", 0),
            0u);
  EXPECT_FALSE(w->nextLine(milliseconds(10)).has_value());
  EXPECT_TRUE(w->finished());
}

TEST(WatchTest, BookmarksCarryTheLatestResourceVersion) {
  auto o = testOptions();
  o.bookmarkInterval = milliseconds(1);
  ApiServer s(o);
  auto w = startWatch(s, "allowWatchBookmarks=true&resourceVersion=0");
  std::string rv =
      rvOf(call(s, "POST", "/api/v1/namespaces/kube-system/configmaps", configMap("x")));
  Json e = Json::object();
  for (int i = 0; i < 100 && e.is_object() && e.value("type", "") != "BOOKMARK"; ++i) {
    e = next(*w);
  }
  ASSERT_EQ(e["type"], "BOOKMARK");
  EXPECT_EQ(e["object"]["kind"], "ConfigMap");
  EXPECT_EQ(e["object"]["metadata"]["resourceVersion"], rv);
  EXPECT_EQ(e["object"]["metadata"].size(), 1u);
}

TEST(WatchTest, LabelSelectorFiltersAndReportsObjectsThatStopMatching) {
  ApiServer s(testOptions());
  auto w = startWatch(s, "labelSelector=tier=a&resourceVersion=0");
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("other")).status, 201);
  ASSERT_EQ(call(s, "POST", kConfigMaps, configMap("m", R"("labels": {"tier": "a"})")).status, 201);
  ASSERT_EQ(call(s, "PATCH", std::string(kConfigMaps) + "/m",
                 R"({"metadata": {"labels": {"tier": "b"}}})", "application/merge-patch+json")
                .status,
            200);
  auto e1 = next(*w);
  auto e2 = next(*w);
  EXPECT_EQ(e1["type"], "ADDED");
  EXPECT_EQ(e1["object"]["metadata"]["name"], "m");
  EXPECT_EQ(e2["type"], "DELETED");
  EXPECT_EQ(e2["object"]["metadata"]["labels"]["tier"], "b");
}

TEST(WatchTest, TimeoutAndCancelFinishTheStream) {
  ApiServer s(testOptions());
  auto timed = startWatch(s, "timeoutSeconds=0");
  EXPECT_FALSE(timed->nextLine(milliseconds(1000)).has_value());
  EXPECT_TRUE(timed->finished());
  auto w = startWatch(s, "resourceVersion=");
  w->cancel();
  EXPECT_FALSE(w->nextLine(milliseconds(1000)).has_value());
  EXPECT_TRUE(w->finished());
}

TEST(WatchTest, UnknownResourceFailsBeforeStreaming) {
  ApiServer s(testOptions());
  auto r = s.watch(makeRequest("GET", "/apis/none.example/v1/things?watch=true"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 404);
  EXPECT_TRUE(ApiServer::isWatch(makeRequest("GET", "/api/v1/watch/namespaces/d/pods")));
  EXPECT_FALSE(ApiServer::isWatch(makeRequest("GET", "/api/v1/namespaces/d/pods")));
}

}  // namespace
}  // namespace kubesim::api

namespace kubesim::api {
namespace {

TEST(WatchBackpressureTest, AWatcherThatFallsBehindIsClosed) {
  auto o = testing::testOptions();
  o.watchQueueLimit = 2;
  ApiServer s(o);
  auto w = startWatch(s, "resourceVersion=");
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(
        call(s, "POST", testing::kConfigMaps, testing::configMap("q" + std::to_string(i))).status,
        201);
  }
  EXPECT_FALSE(w->nextLine(milliseconds(1000)).has_value());
  EXPECT_TRUE(w->finished());
}

// kubectl get -w asks for Tables: every event is a one-row Table with the CRD's printer columns,
// and only the first carries columnDefinitions (kubectl reuses them; a plain object would make
// it fall back to NAME/AGE).
TEST(WatchTest, TableWatchSendsRowsWithPrinterColumnsAndHeadersOnce) {
  ApiServer s(testOptions());
  ASSERT_EQ(
      call(s, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", kGadgetCrd).status,
      201);
  ASSERT_EQ(call(s, "POST", kGadgets, gadget("g1", 3)).status, 201);
  Request req = makeRequest("GET", std::string(kGadgets) + "?watch=true");
  req.headers["accept"] = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  auto started = s.watch(req);
  ASSERT_TRUE(started.ok());
  WatchPtr w = std::move(started).value();
  Json added = next(*w);
  EXPECT_EQ(added["type"], "ADDED");
  EXPECT_EQ(added["object"]["kind"], "Table");
  ASSERT_EQ(added["object"]["columnDefinitions"].size(), 4u) << added.dump();
  EXPECT_EQ(added["object"]["columnDefinitions"][1]["name"], "Size");
  EXPECT_EQ(added["object"]["rows"][0]["cells"][0], "g1");
  EXPECT_EQ(added["object"]["rows"][0]["cells"][1], 3);

  ASSERT_EQ(call(s, "PATCH", std::string(kGadgets) + "/g1", R"({"spec": {"size": 5}})",
                 "application/merge-patch+json")
                .status,
            200);
  Json modified = next(*w);
  EXPECT_EQ(modified["type"], "MODIFIED");
  EXPECT_EQ(modified["object"]["kind"], "Table");
  EXPECT_TRUE(modified["object"]["columnDefinitions"].is_null()) << modified.dump();
  EXPECT_EQ(modified["object"]["rows"][0]["cells"][1], 5);
  EXPECT_FALSE(modified["object"]["metadata"]["resourceVersion"].get<std::string>().empty());
}

}  // namespace
}  // namespace kubesim::api
