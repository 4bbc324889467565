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
  EXPECT_EQ(b["metadata"]["resourceVersion"], "1002");
  EXPECT_EQ(gone["metadata"]["resourceVersion"], "1003");
  EXPECT_EQ(gone["v"], 2);
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
  EXPECT_EQ((*at)[0]["v"], 1);
  EXPECT_EQ((*at)[1]["metadata"]["name"], "b");
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

}  // namespace
}  // namespace kubesim::api
