// The test controls of InProcessApi, the in-process cluster the runtime and controller tests run
// against: what each one does to the real client stack and the server behind it.
#include "tests/support/in_process_api.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/runtime/gadget_cluster.h"

namespace tro::testing {
namespace {

using kube::Json;

TEST(InProcessApi, AnswersAsTheServerDoes) {
  InProcessApi api(gadgetCluster());
  auto created = api.create(kGadgets, "default", gadget("g1"), {});
  ASSERT_TRUE(created.ok()) << created.error().toString();
  EXPECT_EQ((*created)["metadata"]["generation"], 1);
  EXPECT_EQ((*created)["metadata"]["resourceVersion"], api.currentResourceVersion());
  EXPECT_TRUE(kube::isAlreadyExists(api.create(kGadgets, "default", gadget("g1"), {}).error()));
  EXPECT_TRUE(kube::isNotFound(api.get(kGadgets, "default", "nope").error()));
  Json elsewhere = gadget("g1");
  elsewhere["metadata"].erase("namespace");
  auto absent = api.create(kGadgets, "absent", elsewhere, {});
  ASSERT_FALSE(absent.ok());
  EXPECT_TRUE(kube::isNotFound(absent.error())) << absent.error().toString();
  Json stale = *created;
  stale["spec"]["size"] = 3;
  ASSERT_TRUE(
      api.patch(kGadgets, "default", "g1", kube::PatchType::Merge, R"({"spec":{"size":2}})", {})
          .ok());
  EXPECT_TRUE(kube::isConflict(api.update(kGadgets, "default", stale, {}).error()));
}

TEST(InProcessApi, InjectedErrorsAreConsumedInOrderAndEveryCallIsCounted) {
  InProcessApi api(gadgetCluster());
  api.failNext(Verb::Get, apiError(500, "InternalError", "x"), 2);
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g1"), {}).ok());
  EXPECT_TRUE(kube::isServerError(api.get(kGadgets, "default", "g1").error()));
  EXPECT_TRUE(kube::isServerError(api.get(kGadgets, "default", "g1").error()));
  EXPECT_TRUE(api.get(kGadgets, "default", "g1").ok());
  EXPECT_EQ(api.calls(Verb::Get), 3);
  EXPECT_EQ(api.calls(Verb::Create), 1);
}

TEST(InProcessApi, ASharedClientSeesTheSameServerWithItsOwnCounters) {
  InProcessApi api(gadgetCluster());
  auto second = api.share();
  ASSERT_TRUE(second->create(kGadgets, "default", gadget("g1"), {}).ok());
  EXPECT_TRUE(api.get(kGadgets, "default", "g1").ok());
  EXPECT_EQ(api.calls(Verb::Create), 0);
  EXPECT_EQ(second->calls(Verb::Create), 1);
}

TEST(InProcessApi, CloseEndsWatchesCleanlyAfterWhatWasQueued) {
  InProcessApi api(gadgetCluster());
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g1"), {}).ok());
  kube::WatchOptions opts;
  opts.resourceVersion = api.currentResourceVersion();
  auto stream = api.watch(kGadgets, "default", opts);
  ASSERT_TRUE(stream.ok()) << stream.error().toString();
  EXPECT_EQ(api.openWatches(), 1u);
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g2"), {}).ok());
  api.closeWatches();
  EXPECT_EQ(api.openWatches(), 0u);
  auto queued = (*stream)->next();
  ASSERT_TRUE(queued.ok() && queued->has_value());
  EXPECT_EQ((*queued)->object["metadata"]["name"], "g2");
  auto end = (*stream)->next();
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(end->has_value());
}

TEST(InProcessApi, BookmarksCarryTheCurrentVersionAndErrorsEndTheStream) {
  InProcessApi api(gadgetCluster());
  auto stream = api.watch(kGadgets, "default", {});
  ASSERT_TRUE(stream.ok());
  ASSERT_TRUE(
      api.create(
             kOthers, "default",
             {{"apiVersion", "example.test/v1"}, {"kind", "Other"}, {"metadata", {{"name", "o"}}}},
             {})
          .ok());
  api.sendBookmark();
  auto bookmark = (*stream)->next();
  ASSERT_TRUE(bookmark.ok() && bookmark->has_value());
  EXPECT_EQ((*bookmark)->type, kube::WatchEventType::Bookmark);
  EXPECT_EQ((*bookmark)->object["metadata"]["resourceVersion"], api.currentResourceVersion());
  api.sendWatchError(apiError(410, "Expired", "too old resource version: 1 (50)"));
  EXPECT_EQ(api.openWatches(), 0u);
  auto gone = (*stream)->next();
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(kube::isGone(gone.error()));
}

TEST(InProcessApi, CompactionExpiresOlderWatchAndContinueStartingPoints) {
  InProcessApi api(gadgetCluster());
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g1"), {}).ok());
  const std::string before = api.currentResourceVersion();
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g2"), {}).ok());
  kube::ListOptions page;
  page.limit = 1;
  auto first = api.list(kGadgets, "default", page);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g3"), {}).ok());
  api.compact();

  page.continueToken = (*first)["metadata"].value("continue", "");
  ASSERT_FALSE(page.continueToken.empty());
  auto expired = api.list(kGadgets, "default", page);
  ASSERT_FALSE(expired.ok());
  EXPECT_TRUE(kube::isGone(expired.error())) << expired.error().toString();

  kube::WatchOptions opts;
  opts.resourceVersion = before;
  auto old = api.watch(kGadgets, "default", opts);
  ASSERT_TRUE(old.ok());
  auto gone = (*old)->next();
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(kube::isGone(gone.error())) << gone.error().toString();
}

TEST(InProcessApi, CancelUnblocksNext) {
  InProcessApi api(gadgetCluster());
  auto stream = api.watch(kGadgets, "default", {});
  ASSERT_TRUE(stream.ok());
  std::jthread canceller([&] { (*stream)->cancel(); });
  auto r = (*stream)->next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, kube::ErrorKind::Cancelled);
}

}  // namespace
}  // namespace tro::testing
