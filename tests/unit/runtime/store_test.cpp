#include "operator/runtime/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace tro::runtime {
namespace {

Json object(const std::string& ns, const std::string& name, const std::string& rv,
            Json labels = Json::object()) {
  Json md = {{"name", name}, {"resourceVersion", rv}, {"labels", std::move(labels)}};
  if (!ns.empty()) md["namespace"] = ns;
  return {{"metadata", std::move(md)}, {"spec", {{"n", 1}}}};
}

std::vector<std::string> keys(const std::vector<ObjectPtr>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects) out.push_back(objectKey(*o));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> keys(const std::vector<StoredPtr>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects) out.push_back(o->key());
  std::sort(out.begin(), out.end());
  return out;
}

// A packed store and a tree store answer every read alike.
class EitherStore : public ::testing::TestWithParam<bool> {
 protected:
  StoreOptions options(Transform transform = {}) const {
    StoreOptions o = treesWith(std::move(transform));
    o.packed = GetParam();
    o.indexers["owner"] = [](const Json& object) {
      std::vector<std::string> out;
      const Json& md = object.at("metadata");
      if (md.contains("annotations")) out.push_back(md["annotations"].value("owner", ""));
      return out;
    };
    return o;
  }
};
INSTANTIATE_TEST_SUITE_P(Store, EitherStore, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Packed" : "Tree"; });

TEST(ObjectKey, NamespacedAndClusterScoped) {
  struct Case {
    Json object;
    std::string key;
  } cases[] = {
      {object("shop", "web", "1"), "shop/web"},
      {object("", "node-1", "1"), "node-1"},
      {Json{{"metadata", {{"name", "x"}, {"namespace", ""}}}}, "x"},
      {Json::object(), ""},
  };
  for (const auto& c : cases) EXPECT_EQ(objectKey(c.object), c.key) << c.object.dump();
}

TEST(Store, ApplyReturnsPreviousAndRecordsResourceVersion) {
  Store store;
  auto [prev1, now1] = store.apply(object("shop", "web", "5"));
  EXPECT_EQ(prev1, nullptr);
  auto [prev2, now2] = store.apply(object("shop", "web", "7"));
  ASSERT_NE(prev2, nullptr);
  EXPECT_EQ(resourceVersionOf(*prev2), "5");
  EXPECT_EQ(resourceVersionOf(*store.get("shop", "web")), "7");
  EXPECT_EQ(store.lastResourceVersion(), "7");
  EXPECT_EQ(store.size(), 1u);
  // The snapshot handed out earlier is untouched by the later write.
  EXPECT_EQ(resourceVersionOf(*now1), "5");
}

TEST(Store, TransformRunsBeforeStoring) {
  Store store(stripManagedFields);
  Json o = object("shop", "web", "1");
  o["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl"}}});
  store.apply(o);
  EXPECT_FALSE(store.get("shop/web")->at("metadata").contains("managedFields"));
  EXPECT_EQ(store.get("shop/web")->at("metadata").at("name"), "web");
}

// The informer projects each listed object as its page arrives; storing a projected object
// projects it again, which must change nothing.
TEST_P(EitherStore, ProjectionIsTheTransformAndIdempotent) {
  Store store(options(stripManagedFields));
  Json o = object("shop", "web", "1");
  o["metadata"]["managedFields"] = Json::array({{{"manager", "kubectl"}}});
  const Json projected = *store.prepare(o)->object();
  EXPECT_FALSE(projected["metadata"].contains("managedFields"));
  EXPECT_EQ(*store.prepare(projected)->object(), projected);
  store.replacePrepared({store.prepare(projected)}, "1");
  EXPECT_EQ(*store.get("shop/web"), projected);
  EXPECT_EQ(*Store(options()).prepare(o)->object(), o) << "no transform: as given";
}

// A packed store gives back exactly what it was given (minus the transform): every value, every
// key, numbers and unicode included, so a write computed from its copy loses nothing.
TEST_P(EitherStore, ReadsGiveBackTheStoredObjectExactly) {
  Store store(options());
  Json o = object("shop", "web", "1", {{"app", "web"}});
  o["spec"] = {{"replicas", 3},
               {"ratio", 0.1},
               {"big", 9007199254740993ULL},
               {"negative", -4},
               {"text", "caf\u00e9 \"quoted\" \\ tab\t"},
               {"empty", Json::object()},
               {"list", Json::array({nullptr, true, "x", Json::array()})}};
  store.apply(o);
  EXPECT_EQ(*store.get("shop/web"), o);
  EXPECT_EQ(store.get("shop/web")->dump(), o.dump());
  EXPECT_EQ(*store.listNamespace("shop").at(0), o);
}

TEST_P(EitherStore, IndexFollowsChanges) {
  Store store(options());
  auto owned = [](const std::string& ns, const std::string& name, const std::string& rv,
                  const std::string& owner) {
    Json o = object(ns, name, rv);
    o["metadata"]["annotations"] = {{"owner", owner}};
    return o;
  };
  store.apply(owned("shop", "web", "1", "shop/r1"));
  store.apply(owned("shop", "api", "2", "shop/r1"));
  store.apply(owned("blog", "web", "3", "shop/r1"));
  EXPECT_EQ(keys(store.listByIndex("shop", "owner", "shop/r1")),
            (std::vector<std::string>{"shop/api", "shop/web"}));
  EXPECT_EQ(keys(store.listByIndex("", "owner", "shop/r1")).size(), 3u);
  store.apply(owned("shop", "web", "4", "shop/r2"));
  EXPECT_EQ(keys(store.listByIndex("shop", "owner", "shop/r1")),
            (std::vector<std::string>{"shop/api"}));
  EXPECT_EQ(keys(store.listByIndex("shop", "owner", "shop/r2")),
            (std::vector<std::string>{"shop/web"}));
  store.remove(object("shop", "api", "5"));
  store.replace({owned("blog", "web", "6", "shop/r1")}, "6");
  EXPECT_EQ(keys(store.listByIndex("", "owner", "shop/r1")),
            (std::vector<std::string>{"blog/web"}));
  EXPECT_TRUE(store.listByIndex("", "owner", "shop/r2").empty());
  EXPECT_TRUE(store.listByIndex("", "no-such-index", "shop/r1").empty());
}

TEST(Store, RemoveReturnsStoredObject) {
  Store store;
  store.apply(object("shop", "web", "1"));
  ObjectPtr removed = store.remove(object("shop", "web", "9"));
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(resourceVersionOf(*removed), "1");
  EXPECT_EQ(store.get("shop/web"), nullptr);
  EXPECT_EQ(store.remove(object("shop", "web", "10")), nullptr);
  EXPECT_EQ(store.lastResourceVersion(), "10");
  EXPECT_TRUE(store.listNamespace("shop").empty());
}

TEST_P(EitherStore, NamespaceIndexAndPredicates) {
  Store store(options());
  store.apply(object("shop", "web", "1", {{"app", "web"}, {"tier", "front"}}));
  store.apply(object("shop", "db", "2", {{"app", "db"}}));
  store.apply(object("blog", "web", "3", {{"app", "web"}}));
  EXPECT_EQ(keys(store.listNamespace("shop")), (std::vector<std::string>{"shop/db", "shop/web"}));
  EXPECT_EQ(keys(store.listNamespace("")).size(), 3u);
  EXPECT_TRUE(store.listNamespace("none").empty());
  auto isWeb = [](const Json& labels) { return labels.value("app", "") == "web"; };
  EXPECT_EQ(keys(store.listMatching("shop", isWeb)), (std::vector<std::string>{"shop/web"}));
  EXPECT_EQ(keys(store.listMatching("", isWeb)),
            (std::vector<std::string>{"blog/web", "shop/web"}));
}

TEST_P(EitherStore, LabelLookupFollowsLabelChanges) {
  Store store(options());
  store.apply(object("shop", "web", "1", {{"app", "web"}}));
  store.apply(object("blog", "web", "2", {{"app", "web"}}));
  EXPECT_EQ(keys(store.listByLabel("", "app", "web")),
            (std::vector<std::string>{"blog/web", "shop/web"}));
  EXPECT_EQ(keys(store.listByLabel("shop", "app", "web")), (std::vector<std::string>{"shop/web"}));
  store.apply(object("shop", "web", "3", {{"app", "api"}}));
  EXPECT_EQ(keys(store.listByLabel("shop", "app", "web")), std::vector<std::string>{});
  EXPECT_EQ(keys(store.listByLabel("shop", "app", "api")), (std::vector<std::string>{"shop/web"}));
  store.remove(object("shop", "web", "4"));
  EXPECT_TRUE(store.listByLabel("", "app", "api").empty());
}

TEST_P(EitherStore, ReplaceReportsDiff) {
  Store store(options());
  store.apply(object("shop", "kept", "1"));
  store.apply(object("shop", "changed", "2"));
  store.apply(object("shop", "gone", "3"));
  StoreDiff diff = store.replace(
      {object("shop", "kept", "1"), object("shop", "changed", "8"), object("shop", "new", "9")},
      "10");
  EXPECT_EQ(keys(diff.added), (std::vector<std::string>{"shop/new"}));
  ASSERT_EQ(diff.updated.size(), 1u);
  EXPECT_EQ(diff.updated[0].first->resourceVersion(), "2");
  EXPECT_EQ(resourceVersionOf(*diff.updated[0].second->object()), "8");
  EXPECT_EQ(diff.unchanged.size(), 1u);
  EXPECT_EQ(keys(diff.removed), (std::vector<std::string>{"shop/gone"}));
  EXPECT_EQ(store.lastResourceVersion(), "10");
  EXPECT_EQ(store.get("shop/gone"), nullptr);
  EXPECT_TRUE(store.listByLabel("", "x", "y").empty());
}

// Readers racing replace() see one generation or the other, never a mix of both.
TEST_P(EitherStore, ReplaceIsAtomicForReaders) {
  Store store(options());
  auto generation = [](const std::string& gen) {
    std::vector<Json> objects;
    for (int i = 0; i < 50; ++i) {
      objects.push_back(object("ns", "o" + std::to_string(i), "1", {{"gen", gen}}));
    }
    return objects;
  };
  store.replace(generation("a"), "1");
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  std::jthread reader([&] {
    while (!done.load()) {
      auto all = store.list();
      auto byLabelA = store.listByLabel("ns", "gen", "a").size();
      auto byLabelB = store.listByLabel("ns", "gen", "b").size();
      std::string first = all.at(0)->at("metadata").at("labels").at("gen");
      for (const auto& o : all) {
        if (o->at("metadata").at("labels").at("gen") != first) torn++;
      }
      if (all.size() != 50 || (byLabelA != 50 && byLabelA != 0) ||
          (byLabelB != 50 && byLabelB != 0)) {
        torn++;
      }
      reads++;
    }
  });
  for (int i = 0; i < 100 || reads.load() < 20; ++i) {
    store.replace(generation(i % 2 ? "a" : "b"), std::to_string(i));
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace tro::runtime
