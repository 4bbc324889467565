#include <gtest/gtest.h>

#include "kubesim/api/object_store.h"

namespace kubesim::api {
namespace {

Json obj(const std::string& name, int v) {
  return Json{{"metadata", {{"name", name}, {"namespace", "ns"}}}, {"v", v}};
}

TEST(ObjectStoreTest, EveryWriteGetsTheNextResourceVersionAndNotifies) {
  std::vector<std::pair<std::uint64_t, ChangeType>> seen;
  ObjectStore store(1000, 10, [&](const Change& c) { seen.emplace_back(c.rv, c.type); });
  store.put("/cm", {"ns", "a"}, obj("a", 1));
  auto b = store.put("/cm", {"ns", "a"}, obj("a", 2));
  auto gone = store.erase("/cm", {"ns", "a"});
  EXPECT_EQ((*b)["metadata"]["resourceVersion"], "1002");
  EXPECT_EQ((*gone)["metadata"]["resourceVersion"], "1003");
  EXPECT_EQ((*gone)["v"], 2);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(std::uint64_t{1001}, ChangeType::Added));
  EXPECT_EQ(seen[1], std::make_pair(std::uint64_t{1002}, ChangeType::Modified));
  EXPECT_EQ(seen[2], std::make_pair(std::uint64_t{1003}, ChangeType::Deleted));
  EXPECT_EQ(store.get("/cm", {"ns", "a"}), nullptr);
}

TEST(ObjectStoreTest, ListAtReconstructsOlderSnapshots) {
  ObjectStore store(1000, 10, nullptr);
  store.put("/cm", {"ns", "a"}, obj("a", 1));
  store.put("/cm", {"ns", "b"}, obj("b", 1));  // rv 1002
  store.put("/cm", {"ns", "a"}, obj("a", 2));
  store.erase("/cm", {"ns", "b"});
  store.put("/cm", {"ns", "c"}, obj("c", 1));
  auto at = store.listAt("/cm", std::nullopt, 1002);
  ASSERT_TRUE(at.has_value());
  ASSERT_EQ(at->size(), 2u);
  EXPECT_EQ((*(*at)[0])["v"], 1);
  EXPECT_EQ((*(*at)[1])["metadata"]["name"], "b");
  EXPECT_EQ(store.list("/cm", std::nullopt).size(), 2u);
}

TEST(ObjectStoreTest, HistoryIsBoundedAndOldSnapshotsExpire) {
  ObjectStore store(1000, 2, nullptr);
  for (int i = 0; i < 5; ++i) store.put("/cm", {"ns", "a"}, obj("a", i));
  EXPECT_EQ(store.compactedRv(), 1003u);
  EXPECT_FALSE(store.listAt("/cm", std::nullopt, 1001).has_value());
  EXPECT_TRUE(store.listAt("/cm", std::nullopt, 1004).has_value());
  EXPECT_EQ(store.changesSince(1003).size(), 2u);
}

Json owned(const std::string& ns, const std::string& name, const std::string& uid,
           const std::vector<std::string>& owners) {
  Json refs = Json::array();
  for (const auto& o : owners) refs.push_back({{"uid", o}});
  Json md = {{"name", name}, {"namespace", ns}, {"uid", uid}};
  if (!owners.empty()) md["ownerReferences"] = refs;
  return Json{{"metadata", md}};
}

TEST(ObjectStoreTest, IndexesFollowUidsAndOwnerReferencesThroughWritesAndDeletes) {
  ObjectStore store(1000, 10, nullptr);
  store.put("apps/replicasets", {"ns", "rs"}, owned("ns", "rs", "u-rs", {"u-d"}));
  store.put("/pods", {"ns", "p1"}, owned("ns", "p1", "u-p1", {"u-rs"}));
  store.put("/pods", {"ns", "p2"}, owned("ns", "p2", "u-p2", {"u-rs", "u-other"}));
  store.put("/pods", {"other", "p3"}, owned("other", "p3", "u-p3", {}));

  EXPECT_EQ(store.dependentsOf("u-rs"),
            (std::vector<ObjectRef>{{"/pods", {"ns", "p1"}}, {"/pods", {"ns", "p2"}}}));
  EXPECT_TRUE(store.hasDependents("u-other"));
  ASSERT_TRUE(store.findUid("u-p3").has_value());
  EXPECT_EQ(store.findUid("u-p3")->key, (ObjectKey{"other", "p3"}));
  EXPECT_EQ(store.inNamespace("ns").size(), 3u);
  EXPECT_EQ(store.size(), 4u);

  // An update that drops an owner reference leaves that owner's index; a delete leaves all.
  store.put("/pods", {"ns", "p2"}, owned("ns", "p2", "u-p2", {"u-rs"}));
  EXPECT_FALSE(store.hasDependents("u-other"));
  store.erase("/pods", {"ns", "p1"});
  EXPECT_EQ(store.dependentsOf("u-rs"), (std::vector<ObjectRef>{{"/pods", {"ns", "p2"}}}));
  EXPECT_FALSE(store.findUid("u-p1").has_value());
  EXPECT_EQ(store.size(), 3u);
}

TEST(ObjectStoreTest, ListsShareTheStoredObjectInsteadOfCopyingIt) {
  ObjectStore store(1000, 10, nullptr);
  ObjectPtr stored = store.put("/cm", {"ns", "a"}, obj("a", 1));
  auto listed = store.list("/cm", std::string("ns"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].get(), stored.get());
  EXPECT_EQ(store.get("/cm", {"ns", "a"}), stored.get());
  EXPECT_TRUE(store.list("/cm", std::string("nx")).empty());
}

}  // namespace
}  // namespace kubesim::api
