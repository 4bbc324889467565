#include "operator/runtime/watcher.h"

#include <gtest/gtest.h>

#include <thread>

#include "operator/runtime/store.h"
#include "tests/support/in_process_api.h"
#include "tests/unit/runtime/gadget_cluster.h"

namespace tro::runtime {
namespace {

using testing::apiError;
using testing::InProcessApi;
using testing::Verb;
using Kind = WatcherEvent::Kind;
using std::chrono::milliseconds;

using testing::gadget;
using testing::kGadgets;
using testing::kOthers;

std::vector<Kind> kinds(const StepResult& r) {
  std::vector<Kind> out;
  for (const auto& e : r.events) out.push_back(e.kind);
  return out;
}

class WatcherTest : public ::testing::Test {
 protected:
  void seed(int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_TRUE(api.create(kGadgets, "default", gadget("g" + std::to_string(i)), {}).ok());
  }
  WatcherConfig config(int pageSize = 500) {
    WatcherConfig c;
    c.type = kGadgets;
    c.ns = "default";
    c.pageSize = pageSize;
    c.maxBackoff = std::chrono::seconds(5);
    return c;
  }
  // Steps through the initial list until the watch is open.
  void driveToWatching(Watcher& w) {
    for (int i = 0; i < 20 && w.state() != WatcherState::Watching; ++i) (void)w.step();
    ASSERT_EQ(w.state(), WatcherState::Watching);
  }
  InProcessApi api{testing::gadgetCluster()};
};

TEST_F(WatcherTest, DefaultsMatchKubeRs) {
  WatcherConfig c;
  EXPECT_EQ(c.pageSize, 500);
  EXPECT_EQ(c.initialBackoff, milliseconds(800));
}

TEST_F(WatcherTest, InitialListIsPaged) {
  seed(5);
  Watcher w(api, config(2));
  EXPECT_EQ(kinds(w.step()), (std::vector<Kind>{Kind::InitBegin}));
  EXPECT_EQ(w.state(), WatcherState::InitListing);
  auto page1 = w.step();
  ASSERT_EQ(kinds(page1), (std::vector<Kind>{Kind::InitApply}));
  EXPECT_EQ(page1.events[0].objects.size(), 2u);
  EXPECT_EQ(api.lastListOptions().limit, 2);
  EXPECT_TRUE(api.lastListOptions().continueToken.empty());
  auto page2 = w.step();
  ASSERT_EQ(kinds(page2), (std::vector<Kind>{Kind::InitApply}));
  EXPECT_FALSE(api.lastListOptions().continueToken.empty());
  auto page3 = w.step();
  ASSERT_EQ(kinds(page3), (std::vector<Kind>{Kind::InitApply, Kind::InitDone}));
  EXPECT_EQ(page3.events[0].objects.size(), 1u);
  EXPECT_EQ(page3.events[1].resourceVersion, api.currentResourceVersion());
  EXPECT_EQ(w.state(), WatcherState::InitListed);
  EXPECT_EQ(api.calls(Verb::List), 3);
}

TEST_F(WatcherTest, WatchesFromListVersionAndEmitsEvents) {
  seed(1);
  Watcher w(api, config());
  driveToWatching(w);
  std::string listVersion = api.currentResourceVersion();
  EXPECT_EQ(api.lastWatchOptions().resourceVersion, listVersion);
  EXPECT_TRUE(api.lastWatchOptions().allowBookmarks);

  ASSERT_TRUE(api.create(kGadgets, "default", gadget("new"), {}).ok());
  auto added = w.step();
  ASSERT_EQ(kinds(added), (std::vector<Kind>{Kind::Apply}));
  EXPECT_EQ(added.events[0].object["metadata"]["name"], "new");

  Json changed = api.get(kGadgets, "default", "new").value();
  changed["spec"]["size"] = 2;
  ASSERT_TRUE(api.update(kGadgets, "default", changed, {}).ok());
  auto modified = w.step();
  ASSERT_EQ(kinds(modified), (std::vector<Kind>{Kind::Apply}));
  EXPECT_EQ(modified.events[0].object["spec"]["size"], 2);

  ASSERT_TRUE(api.remove(kGadgets, "default", "g0", {}).ok());
  auto deleted = w.step();
  ASSERT_EQ(kinds(deleted), (std::vector<Kind>{Kind::Delete}));
  EXPECT_EQ(deleted.events[0].object["metadata"]["name"], "g0");
  EXPECT_EQ(w.resourceVersion(), api.currentResourceVersion());
}

TEST_F(WatcherTest, CleanCloseResumesFromBookmarkWithoutRelist) {
  seed(2);
  int restartsSeen = 0;
  WatcherConfig c = config();
  c.onRestart = [&] { ++restartsSeen; };
  Watcher w(api, c);
  driveToWatching(w);
  // Writes to another type move the global resourceVersion; a bookmark carries it to us.
  ASSERT_TRUE(
      api.create(
             kOthers, "default",
             {{"apiVersion", "example.test/v1"}, {"kind", "Other"}, {"metadata", {{"name", "x"}}}},
             {})
          .ok());
  api.sendBookmark();
  auto bookmark = w.step();
  EXPECT_TRUE(bookmark.events.empty());
  std::string bookmarkVersion = api.currentResourceVersion();
  EXPECT_EQ(w.resourceVersion(), bookmarkVersion);

  api.closeWatches();
  auto closed = w.step();
  EXPECT_TRUE(closed.events.empty());
  EXPECT_EQ(closed.backoff, base::Duration{0});
  EXPECT_EQ(w.state(), WatcherState::InitListed);
  EXPECT_EQ(w.watchRestarts(), 1u);
  EXPECT_EQ(restartsSeen, 1);

  (void)w.step();
  EXPECT_EQ(w.state(), WatcherState::Watching);
  EXPECT_EQ(api.lastWatchOptions().resourceVersion, bookmarkVersion);
  EXPECT_EQ(api.calls(Verb::List), 1);
  EXPECT_EQ(w.relists(), 0u);
}

TEST_F(WatcherTest, GoneErrorEventRelists) {
  seed(2);
  int restartsSeen = 0;
  WatcherConfig c = config();
  c.onRestart = [&] { ++restartsSeen; };
  Watcher w(api, c);
  driveToWatching(w);
  api.sendWatchError(apiError(410, "Expired", "too old resource version: 1 (50)"));
  auto gone = w.step();
  ASSERT_EQ(kinds(gone), (std::vector<Kind>{Kind::Error}));
  EXPECT_TRUE(kube::isGone(*gone.events[0].error));
  EXPECT_EQ(gone.backoff, base::Duration{0});
  EXPECT_EQ(w.state(), WatcherState::Empty);
  EXPECT_EQ(w.relists(), 1u);
  EXPECT_EQ(restartsSeen, 1);
  EXPECT_EQ(kinds(w.step()), (std::vector<Kind>{Kind::InitBegin}));
  EXPECT_EQ(kinds(w.step()), (std::vector<Kind>{Kind::InitApply, Kind::InitDone}));
  EXPECT_EQ(api.calls(Verb::List), 2);
}

TEST_F(WatcherTest, CompactedResumePointRelistsWithoutDeletedObjects) {
  seed(3);
  Watcher w(api, config());
  driveToWatching(w);
  api.closeWatches();
  (void)w.step();  // clean close
  ASSERT_TRUE(api.remove(kGadgets, "default", "g1", {}).ok());
  api.compact();
  (void)w.step();  // re-open from the old resourceVersion: the server answers 410 in the stream
  auto gone = w.step();
  ASSERT_EQ(kinds(gone), (std::vector<Kind>{Kind::Error}));
  EXPECT_EQ(w.state(), WatcherState::Empty);
  (void)w.step();
  auto relisted = w.step();
  ASSERT_EQ(kinds(relisted), (std::vector<Kind>{Kind::InitApply, Kind::InitDone}));
  Store store;
  store.replace(relisted.events[0].objects, relisted.events[1].resourceVersion);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.get("default/g1"), nullptr);
}

TEST_F(WatcherTest, GoneOnWatchOpenRelists) {
  Watcher w(api, config());
  (void)w.step();
  (void)w.step();
  api.failNext(Verb::Watch, apiError(410, "Gone", "gone"));
  auto gone = w.step();
  ASSERT_EQ(kinds(gone), (std::vector<Kind>{Kind::Error}));
  EXPECT_EQ(w.state(), WatcherState::Empty);
  EXPECT_EQ(w.relists(), 1u);
}

TEST_F(WatcherTest, ExpiredContinueTokenRelists) {
  seed(5);
  Watcher w(api, config(2));
  (void)w.step();
  (void)w.step();  // first page
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("late"), {}).ok());
  api.compact();
  auto expired = w.step();
  ASSERT_EQ(kinds(expired), (std::vector<Kind>{Kind::Error}));
  EXPECT_TRUE(kube::isGone(*expired.events[0].error));
  EXPECT_EQ(w.state(), WatcherState::Empty);
  EXPECT_EQ(w.relists(), 1u);
  EXPECT_EQ(kinds(w.step()), (std::vector<Kind>{Kind::InitBegin}));
  (void)w.step();
  EXPECT_TRUE(api.lastListOptions().continueToken.empty());
}

TEST_F(WatcherTest, ErrorsBackOffExponentiallyCappedAndResetOnSuccess) {
  Watcher w(api, config());
  (void)w.step();
  api.failNext(Verb::List, apiError(500, "InternalError", "etcd"), 5);
  std::vector<base::Duration> delays;
  for (int i = 0; i < 5; ++i) {
    auto r = w.step();
    ASSERT_EQ(kinds(r), (std::vector<Kind>{Kind::Error}));
    EXPECT_EQ(w.state(), WatcherState::InitListing);  // state kept
    delays.push_back(r.backoff);
  }
  EXPECT_EQ(delays,
            (std::vector<base::Duration>{milliseconds(800), milliseconds(1600), milliseconds(3200),
                                         milliseconds(5000), milliseconds(5000)}));
  auto ok = w.step();
  EXPECT_EQ(kinds(ok), (std::vector<Kind>{Kind::InitApply, Kind::InitDone}));
  EXPECT_EQ(ok.backoff, base::Duration{0});
  api.failNext(Verb::Watch, apiError(503, "ServiceUnavailable", "down"));
  auto again = w.step();
  EXPECT_EQ(again.backoff, milliseconds(800));
  EXPECT_EQ(w.state(), WatcherState::InitListed);
  EXPECT_EQ(w.relists(), 0u);
  (void)w.step();
  EXPECT_EQ(w.state(), WatcherState::Watching);
}

TEST_F(WatcherTest, NonGoneStreamErrorReopensFromLastVersion) {
  seed(1);
  Watcher w(api, config());
  driveToWatching(w);
  std::string rv = w.resourceVersion();
  api.sendWatchError(apiError(500, "InternalError", "boom"));
  auto r = w.step();
  ASSERT_EQ(kinds(r), (std::vector<Kind>{Kind::Error}));
  EXPECT_GT(r.backoff, base::Duration{0});
  EXPECT_EQ(w.state(), WatcherState::InitListed);
  (void)w.step();
  EXPECT_EQ(api.lastWatchOptions().resourceVersion, rv);
  EXPECT_EQ(api.calls(Verb::List), 1);
}

TEST_F(WatcherTest, CancelUnblocksTheOpenWatch) {
  Watcher w(api, config());
  driveToWatching(w);
  std::jthread canceller([&] { w.cancel(); });
  auto r = w.step();  // blocks until cancelled
  ASSERT_EQ(kinds(r), (std::vector<Kind>{Kind::Error}));
  EXPECT_EQ(r.events[0].error->kind, kube::ErrorKind::Cancelled);
  (void)w.step();  // a watch opened after cancel() is cancelled at once
  auto again = w.step();
  ASSERT_EQ(kinds(again), (std::vector<Kind>{Kind::Error}));
  EXPECT_EQ(again.events[0].error->kind, kube::ErrorKind::Cancelled);
}

}  // namespace
}  // namespace tro::runtime
