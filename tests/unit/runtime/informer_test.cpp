#include "operator/runtime/informer.h"

#include <gtest/gtest.h>

#include <functional>

#include "operator/base/simulated_clock.h"
#include "operator/runtime/informer_set.h"
#include "tests/support/eventually.h"
#include "tests/support/in_process_api.h"
#include "tests/unit/runtime/gadget_cluster.h"

namespace tro::runtime {
namespace {

using testing::apiError;
using testing::eventually;
using testing::InProcessApi;
using testing::Verb;

using testing::gadget;  // the server gives each one managedFields, which the store drops
using testing::kGadgets;

// Handler calls recorded as "add:key", "update:key:oldRv->newRv", "delete:key"; each handler also
// checks that the store already reflects the event.
class Recorder {
 public:
  explicit Recorder(const Store& store) : store_(store) {}
  InformerHandlers handlers() {
    return {[this](const ObjectPtr& o) { add("add:" + objectKey(*o), store_.get(objectKey(*o))); },
            [this](const ObjectPtr& old, const ObjectPtr& now) {
              add("update:" + objectKey(*now) + ":" + resourceVersionOf(*old) + "->" +
                      resourceVersionOf(*now),
                  store_.get(objectKey(*now)));
            },
            [this](const ObjectPtr& o) {
              add("delete:" + objectKey(*o), store_.get(objectKey(*o)) ? nullptr : o);
            }};
  }
  // Records "synced:<objects in the store>".
  std::function<void()> synced() {
    return [this] {
      std::lock_guard l(mu_);
      calls_.push_back("synced:" + std::to_string(store_.size()));
    };
  }
  std::vector<std::string> calls() const {
    std::lock_guard l(mu_);
    return calls_;
  }
  size_t count() const { return calls().size(); }
  int inconsistent() const {
    std::lock_guard l(mu_);
    return inconsistent_;
  }

 private:
  void add(std::string call, const ObjectPtr& consistent) {
    std::lock_guard l(mu_);
    calls_.push_back(std::move(call));
    if (!consistent) inconsistent_++;
  }
  const Store& store_;
  mutable std::mutex mu_;
  std::vector<std::string> calls_;
  int inconsistent_ = 0;
};

class InformerTest : public ::testing::Test {
 protected:
  WatcherConfig config() {
    WatcherConfig c;
    c.type = kGadgets;
    c.ns = "default";
    return c;
  }
  base::SimulatedClock clock;
  InProcessApi api{testing::gadgetCluster()};
};

TEST_F(InformerTest, SyncsThenFollowsEventsAndCallsHandlersAfterStoreUpdate) {
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("a"), {}).ok());
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("b"), {}).ok());
  Informer informer(api, clock, config());
  Recorder rec(informer.store());
  informer.setHandlers(rec.handlers());
  EXPECT_FALSE(informer.hasSynced());
  informer.start();
  ASSERT_TRUE(eventually([&] { return informer.hasSynced(); }));
  EXPECT_TRUE(informer.waitForSync(clock.monotonicNow()));
  EXPECT_EQ(informer.store().size(), 2u);
  EXPECT_FALSE(informer.store().get("default/a")->at("metadata").contains("managedFields"));
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{"add:default/a", "add:default/b"}));

  ASSERT_TRUE(eventually([&] { return api.openWatches() == 1; }));
  auto created = api.create(kGadgets, "default", gadget("c"), {});
  ASSERT_TRUE(created.ok());
  Json changed = api.get(kGadgets, "default", "a").value();
  std::string oldRv = changed["metadata"]["resourceVersion"];
  changed["spec"]["size"] = 3;
  auto updated = api.update(kGadgets, "default", changed, {});
  ASSERT_TRUE(updated.ok());
  ASSERT_TRUE(api.remove(kGadgets, "default", "b", {}).ok());
  ASSERT_TRUE(eventually([&] { return rec.count() == 5; }));
  auto calls = rec.calls();
  EXPECT_EQ(calls[2], "add:default/c");
  EXPECT_EQ(calls[3], "update:default/a:" + oldRv + "->" +
                          updated->at("metadata").at("resourceVersion").get<std::string>());
  EXPECT_EQ(calls[4], "delete:default/b");
  EXPECT_EQ(rec.inconsistent(), 0);
  EXPECT_EQ(informer.store().get("default/a")->at("spec").at("size"), 3);
  EXPECT_EQ(informer.store().get("default/b"), nullptr);
  EXPECT_EQ(informer.store().lastResourceVersion(), api.currentResourceVersion());
}

TEST_F(InformerTest, RelistAfterGoneReplacesStore) {
  for (auto name : {"a", "b", "c"})
    ASSERT_TRUE(api.create(kGadgets, "default", gadget(name), {}).ok());
  Informer informer(api, clock, config());
  Recorder rec(informer.store());
  informer.setHandlers(rec.handlers());
  informer.start();
  ASSERT_TRUE(eventually([&] { return informer.hasSynced() && api.openWatches() == 1; }));

  // Break the watch, keep it broken (backoff on the simulated clock) while "b" is deleted and
  // the history is compacted, so the deletion can only be learnt by relisting.
  api.failNext(Verb::Watch, apiError(503, "ServiceUnavailable", "restarting"));
  api.closeWatches();
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  ASSERT_TRUE(api.remove(kGadgets, "default", "b", {}).ok());
  api.compact();
  clock.advance(std::chrono::seconds(1));

  ASSERT_TRUE(eventually([&] { return informer.relists() == 1 && api.openWatches() == 1; }));
  ASSERT_TRUE(eventually([&] { return rec.count() == 4; }));
  EXPECT_EQ(rec.calls()[3], "delete:default/b");
  EXPECT_EQ(informer.store().size(), 2u);
  EXPECT_EQ(informer.store().get("default/b"), nullptr);
  EXPECT_NE(informer.store().get("default/a"), nullptr);
  EXPECT_GE(informer.errors(), 2u);
  EXPECT_NE(informer.lastError().find("Expired"), std::string::npos);
}

TEST_F(InformerTest, TheSyncedHandlerRunsAfterEachCompleteListAndItsHandlers) {
  for (auto name : {"a", "b"}) ASSERT_TRUE(api.create(kGadgets, "default", gadget(name), {}).ok());
  Informer informer(api, clock, config());
  Recorder rec(informer.store());
  informer.setHandlers(rec.handlers());
  informer.setSyncedHandler(rec.synced());
  informer.start();
  ASSERT_TRUE(eventually([&] { return rec.count() == 3 && api.openWatches() == 1; }));
  EXPECT_EQ(rec.calls(), (std::vector<std::string>{"add:default/a", "add:default/b", "synced:2"}));

  // An event is not a list: no synced call. A relist is.
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("c"), {}).ok());
  ASSERT_TRUE(eventually([&] { return rec.count() == 4; }));
  api.failNext(Verb::Watch, apiError(503, "ServiceUnavailable", "restarting"));
  api.closeWatches();
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  ASSERT_TRUE(api.remove(kGadgets, "default", "a", {}).ok());
  api.compact();
  clock.advance(std::chrono::seconds(1));
  ASSERT_TRUE(eventually([&] { return rec.count() == 6; }));
  EXPECT_EQ(rec.calls(),
            (std::vector<std::string>{"add:default/a", "add:default/b", "synced:2", "add:default/c",
                                      "delete:default/a", "synced:2"}));
}

TEST_F(InformerTest, ListErrorsBackOffOnTheClock) {
  api.failNext(Verb::List, apiError(500, "InternalError", "etcd"));
  Informer informer(api, clock, config());
  informer.start();
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_FALSE(informer.hasSynced());
  EXPECT_EQ(api.calls(Verb::List), 1);
  clock.advance(std::chrono::milliseconds(799));
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(api.calls(Verb::List), 1);  // not before the backoff elapsed
  clock.advance(std::chrono::milliseconds(1));
  ASSERT_TRUE(eventually([&] { return informer.hasSynced(); }));
  EXPECT_EQ(api.calls(Verb::List), 2);
  EXPECT_NE(informer.lastError().find("InternalError"), std::string::npos);
  ASSERT_TRUE(informer.lastFailure().has_value());
  EXPECT_EQ(informer.lastFailure()->code, 500);
}

// A resource the server does not serve (its CRD not installed): the failure says NotFound, which
// RolloutController reads to keep its readiness without ClusterTelemetryRollouts.
TEST_F(InformerTest, AnUnservedResourceIsANotFoundFailure) {
  WatcherConfig c = config();
  c.type = kube::ResourceType{"example.test", "v1", "absents", "Absent", true};
  Informer informer(api, clock, c);
  EXPECT_FALSE(informer.lastFailure().has_value());
  informer.start();
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));  // backing off
  EXPECT_FALSE(informer.hasSynced());
  ASSERT_TRUE(informer.lastFailure().has_value());
  EXPECT_TRUE(kube::isNotFound(*informer.lastFailure())) << informer.lastError();
}

// InformerSet::listProblem: a namespace whose list keeps failing says why; once listed, nothing.
TEST_F(InformerTest, AnInformerSetSaysWhyANamespaceIsNotListed) {
  api.failNext(Verb::List, apiError(403, "Forbidden", "cannot list resource"));
  InformerSet set(api, clock, config(), StoreOptions{});
  EXPECT_EQ(set.listProblem("default"), "");  // not watched
  set.want("default");
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));  // backing off after the 403
  EXPECT_FALSE(set.synced("default"));
  EXPECT_NE(set.listProblem("default").find("Forbidden"), std::string::npos)
      << set.listProblem("default");
  clock.advance(std::chrono::seconds(1));
  ASSERT_TRUE(eventually([&] { return set.synced("default"); }));
  EXPECT_EQ(set.listProblem("default"), "");
  set.stopAll();
}

TEST_F(InformerTest, WaitForSyncGivesUpAtDeadline) {
  api.failNext(Verb::List, apiError(500, "InternalError", "etcd"), 100);
  Informer informer(api, clock, config());
  informer.start();
  std::atomic<int> result{-1};
  std::jthread waiter(
      [&] { result = informer.waitForSync(clock.monotonicNow() + std::chrono::seconds(5)); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 2; }));  // informer backoff + waiter
  clock.advance(std::chrono::seconds(5));
  waiter.join();
  EXPECT_EQ(result.load(), 0);
}

TEST_F(InformerTest, StopCancelsTheWatchAndJoins) {
  Informer informer(api, clock, config());
  informer.start();
  ASSERT_TRUE(eventually([&] { return informer.hasSynced() && api.openWatches() == 1; }));
  informer.stop();  // would hang if the blocked next() were not cancelled
  EXPECT_EQ(api.openWatches(), 0u);
}

}  // namespace
}  // namespace tro::runtime
