// An Informer on ConfigMaps, fed by the production client stack from the real kubesim binary:
// initial sync, live adds/updates/deletes, and a watch resumed after kubesim's bounded history
// moved past it (410 Gone => relist => the store equals the server's list exactly).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>

#include "operator/runtime/informer.h"
#include "operator/runtime/informer_set.h"
#include "tests/integration/runtime/gated_client.h"
#include "tests/integration/runtime/kubesim_server.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
using kube::Json;

kube::ResourceType configMaps() { return {"", "v1", "configmaps", "ConfigMap", true}; }

Json configMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"k", value}}}};
}

// name -> resourceVersion, the identity of a cache's content.
using Versions = std::map<std::string, std::string>;

Versions versionsOf(const runtime::Store& store) {
  Versions out;
  for (const auto& object : store.list()) {
    out[(*object)["metadata"]["name"]] = (*object)["metadata"]["resourceVersion"];
  }
  return out;
}

class InformerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    // A history of 5 events: more than 5 changes while a watch is away make its resume 410.
    server_ = KubesimServer::start({"--no-controllers", "--watch-history", "5"}, error);
    ASSERT_NE(server_, nullptr) << error;
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    auto config = server_->config();
    ASSERT_TRUE(config.ok()) << config.error().toString();
    auto stack = connect(*config);
    ASSERT_TRUE(stack.ok()) << stack.error().toString();
    stack_ = std::move(stack).value();
    // A namespace per test (names are DNS labels: lower case, at most 63 characters).
    auto created = createTestNamespace(
        api(), "inf-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(created.ok()) << created.error().toString();
    ns_ = *created;
  }
  kube::ApiClient& api() { return *stack_->api; }
  runtime::WatcherConfig watcherConfig() const {
    runtime::WatcherConfig config;
    config.type = configMaps();
    config.ns = ns_;
    config.initialBackoff = 50ms;  // keep error retries quick; the flow does not depend on it
    return config;
  }
  Versions serverVersions() {
    auto list = api().list(configMaps(), ns_, {});
    EXPECT_TRUE(list.ok()) << list.error().toString();
    Versions out;
    if (!list.ok()) return out;
    for (const auto& item : (*list)["items"]) {
      out[item["metadata"]["name"]] = item["metadata"]["resourceVersion"];
    }
    return out;
  }

  static std::unique_ptr<KubesimServer> server_;
  std::unique_ptr<ClientStack> stack_;
  std::string ns_;
};

std::unique_ptr<KubesimServer> InformerTest::server_;

TEST_F(InformerTest, SyncsThenSeesAddsUpdatesAndDeletes) {
  ASSERT_TRUE(api().create(configMaps(), ns_, configMap("before", "1"), {}).ok());

  std::atomic<int> adds{0}, updates{0}, deletes{0};
  runtime::Informer informer(api(), stack_->clock, watcherConfig());
  informer.setHandlers({[&](const runtime::ObjectPtr&) { ++adds; },
                        [&](const runtime::ObjectPtr&, const runtime::ObjectPtr&) { ++updates; },
                        [&](const runtime::ObjectPtr&) { ++deletes; }});
  informer.start();
  ASSERT_TRUE(informer.waitForSync(stack_->clock.monotonicNow() + 20s)) << informer.lastError();
  ASSERT_NE(informer.store().get(ns_, "before"), nullptr);
  // Handlers run on the watcher's thread just after the store changes: wait for them too.
  EXPECT_TRUE(eventually([&] { return adds.load() == 1; }, 20s)) << adds.load();

  auto added = api().create(configMaps(), ns_, configMap("added", "a"), {});
  ASSERT_TRUE(added.ok()) << added.error().toString();
  ASSERT_TRUE(eventually([&] { return informer.store().get(ns_, "added") != nullptr; }, 20s));
  EXPECT_TRUE(eventually([&] { return adds.load() == 2; }, 20s)) << adds.load();

  Json changed = *added;
  changed["data"]["k"] = "b";
  auto updated = api().update(configMaps(), ns_, changed, {});
  ASSERT_TRUE(updated.ok()) << updated.error().toString();
  ASSERT_TRUE(eventually(
      [&] {
        auto object = informer.store().get(ns_, "added");
        return object && (*object)["data"]["k"] == "b";
      },
      20s));
  EXPECT_TRUE(eventually([&] { return updates.load() == 1; }, 20s)) << updates.load();
  EXPECT_EQ((*informer.store().get(ns_, "added"))["metadata"]["resourceVersion"],
            (*updated)["metadata"]["resourceVersion"]);
  // The default transform keeps managedFields out of the cache.
  EXPECT_FALSE((*informer.store().get(ns_, "added"))["metadata"].contains("managedFields"));

  ASSERT_TRUE(api().remove(configMaps(), ns_, "before", {}).ok());
  ASSERT_TRUE(eventually([&] { return informer.store().get(ns_, "before") == nullptr; }, 20s));
  EXPECT_TRUE(eventually([&] { return deletes.load() == 1; }, 20s)) << deletes.load();
  EXPECT_EQ(versionsOf(informer.store()), serverVersions());
  EXPECT_EQ(informer.relists(), 0u);
  informer.stop();
}

TEST_F(InformerTest, GoneAfterTheHistoryMovedOnRelistsToExactlyTheServersList) {
  for (const auto* name : {"keep", "change", "drop1", "drop2"}) {
    ASSERT_TRUE(api().create(configMaps(), ns_, configMap(name, "0"), {}).ok());
  }
  GatedClient gated(api());
  std::atomic<int> deletes{0};
  runtime::Informer informer(gated, stack_->clock, watcherConfig());
  informer.setHandlers({{}, {}, [&](const runtime::ObjectPtr&) { ++deletes; }});
  ResumeOnExit resume(gated);  // destroyed before the informer, so its stop() never waits on us
  informer.start();
  ASSERT_TRUE(informer.waitForSync(stack_->clock.monotonicNow() + 20s)) << informer.lastError();
  ASSERT_TRUE(eventually([&] { return gated.watchesOpened() >= 1; }, 20s));
  ASSERT_EQ(informer.store().size(), 4u);
  const uint64_t relistsBefore = informer.relists();

  gated.pauseWatches();
  // Seven changes while the informer's watch is away: more than the 5 kubesim keeps.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        api().create(configMaps(), ns_, configMap("new" + std::to_string(i), "1"), {}).ok());
  }
  for (int i = 1; i <= 2; ++i) {
    auto patched = api().patch(configMaps(), ns_, "change", kube::PatchType::Merge,
                               R"({"data":{"k":")" + std::to_string(i) + R"("}})", {});
    ASSERT_TRUE(patched.ok()) << patched.error().toString();
  }
  ASSERT_TRUE(api().remove(configMaps(), ns_, "drop1", {}).ok());
  ASSERT_TRUE(api().remove(configMaps(), ns_, "drop2", {}).ok());
  const Versions expected = serverVersions();
  ASSERT_EQ(expected.size(), 5u);  // keep, change, new0..2
  EXPECT_EQ(deletes.load(), 0);    // nothing reached the informer while paused

  gated.resumeWatches();
  ASSERT_TRUE(eventually([&] { return informer.relists() > relistsBefore; }, 30s))
      << "no 410 relist; last error: " << informer.lastError();
  ASSERT_TRUE(eventually([&] { return versionsOf(informer.store()) == expected; }, 30s))
      << "last error: " << informer.lastError();
  EXPECT_EQ(informer.store().get(ns_, "drop1"), nullptr);
  EXPECT_EQ(informer.store().get(ns_, "drop2"), nullptr);
  EXPECT_EQ((*informer.store().get(ns_, "change"))["data"]["k"], "2");
  // The relist's diff reports what vanished in the gap (handlers run just after the replace).
  EXPECT_TRUE(eventually([&] { return deletes.load() == 2; }, 20s)) << deletes.load();
  EXPECT_NE(informer.lastError().find("410"), std::string::npos) << informer.lastError();
}

// InformerSet: a namespace is cached only while it is wanted; the all-namespaces informer
// covers every namespace; a store a reader holds outlives the release of its namespace.
TEST_F(InformerTest, AnInformerSetCachesOnlyTheNamespacesWanted) {
  auto other = createTestNamespace(api(), "inf-", "set-other");
  ASSERT_TRUE(other.ok()) << other.error().toString();
  ASSERT_TRUE(api().create(configMaps(), ns_, configMap("mine", "1"), {}).ok());
  ASSERT_TRUE(api().create(configMaps(), *other, configMap("theirs", "1"), {}).ok());

  std::atomic<int> adds{0};
  runtime::WatcherConfig config = watcherConfig();
  config.ns = "ignored: set per informer";
  runtime::InformerSet set(api(), stack_->clock, config, runtime::treesWith({}));
  set.setHandlers({[&](const runtime::ObjectPtr&) { ++adds; }, {}, {}});
  EXPECT_TRUE(set.stores(ns_).empty());
  EXPECT_FALSE(set.synced(ns_));

  set.want(ns_);
  set.want(ns_);  // idempotent
  EXPECT_EQ(set.size(), 1u);
  ASSERT_TRUE(eventually([&] { return set.synced(ns_); }, 20s));
  EXPECT_FALSE(set.synced(*other));
  ASSERT_EQ(set.stores(ns_).size(), 1u);
  const std::shared_ptr<const runtime::Store> mine = set.stores(ns_).at(0);
  EXPECT_EQ(versionsOf(*mine).size(), 1u);
  EXPECT_NE(mine->get(ns_, "mine"), nullptr);
  EXPECT_TRUE(set.stores(*other).empty());
  EXPECT_TRUE(eventually([&] { return adds.load() == 1; }, 20s)) << adds.load();

  // A later object of the wanted namespace arrives through its watch.
  ASSERT_TRUE(api().create(configMaps(), ns_, configMap("later", "1"), {}).ok());
  ASSERT_TRUE(eventually([&] { return mine->get(ns_, "later") != nullptr; }, 20s));

  set.want("");
  ASSERT_TRUE(eventually([&] { return set.synced(*other) && set.synced(); }, 20s));
  ASSERT_EQ(set.stores(*other).size(), 1u);
  EXPECT_NE(set.stores(*other).at(0)->get(*other, "theirs"), nullptr);
  EXPECT_EQ(set.stores(ns_).size(), 2u) << "its own and the all-namespaces cache";

  set.release(ns_);
  set.release(ns_);  // idempotent
  EXPECT_EQ(set.namespaces(), std::vector<std::string>{""});
  EXPECT_NE(mine->get(ns_, "mine"), nullptr) << "a held store stays readable";
  set.stopAll();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_TRUE(set.stores(ns_).empty());
}

}  // namespace
}  // namespace tro::testing
