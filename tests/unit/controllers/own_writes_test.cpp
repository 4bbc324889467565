// OwnWrites: which object a reconcile starts from when the cache may lag behind its own writes.

#include "controllers/rollout/own_writes.h"

#include <gtest/gtest.h>

namespace tro::controllers {
namespace {

using runtime::Json;
using runtime::ObjectPtr;
using runtime::resourceVersionOf;

ObjectPtr at(const std::string& rv, const std::string& phase = "") {
  return std::make_shared<const Json>(
      Json{{"metadata", {{"resourceVersion", rv}}}, {"status", {{"phase", phase}}}});
}

std::string rvOf(const ObjectPtr& o) { return o ? resourceVersionOf(*o) : "<null>"; }

TEST(OwnWrites, WhichObjectAReconcileStartsFrom) {
  struct Case {
    const char* name;
    std::vector<std::pair<std::set<std::string>, std::string>> writes;  // superseded -> written
    std::string cached;
    std::string want;
  };
  const Case cases[] = {
      {"no write recorded: the cache", {}, "5", "5"},
      {"the cache still holds what the write replaced", {{{"5"}, "7"}}, "5", "7"},
      {"the version the update was made against (after a re-read)", {{{"5", "6"}, "7"}}, "6", "7"},
      {"the cache caught up", {{{"5"}, "7"}}, "7", "7"},
      {"someone changed it after our write", {{{"5"}, "7"}}, "9", "9"},
      {"two writes the cache saw neither of", {{{"5"}, "7"}, {{"7"}, "8"}}, "5", "8"},
      {"two writes, the cache between them", {{{"5"}, "7"}, {{"7"}, "8"}}, "7", "8"},
  };
  for (const Case& c : cases) {
    OwnWrites own;
    for (const auto& [superseded, written] : c.writes) own.record("ns/r", superseded, at(written));
    EXPECT_EQ(rvOf(own.freshest("ns/r", at(c.cached))), c.want) << c.name;
  }
}

TEST(OwnWrites, ACaughtUpCacheEndsTheRecord) {
  OwnWrites own;
  own.record("ns/r", {"5"}, at("7", "RolledBack"));
  EXPECT_EQ(rvOf(own.freshest("ns/r", at("7"))), "7");
  // Forgotten: a later (odd) return to "5" is the cache's word, not ours.
  EXPECT_EQ(rvOf(own.freshest("ns/r", at("5"))), "5");
}

// The informer tells the record what the cache holds as soon as it holds it: a record of a
// rollout that is not reconciled again for hours does not keep a second copy of it that long.
TEST(OwnWrites, TheCacheCatchingUpEndsTheRecordAtOnce) {
  OwnWrites own;
  own.record("ns/r", {"5", "6"}, at("7", "RolledBack"));
  own.cacheHolds("ns/r", "6");  // still a version the write replaced: kept
  EXPECT_EQ(rvOf(own.freshest("ns/r", at("5"))), "7");
  own.cacheHolds("ns/r", "7");
  EXPECT_EQ(rvOf(own.freshest("ns/r", at("5"))), "5") << "the record is gone";
  own.cacheHolds("ns/other", "1");  // no record: nothing happens
}

TEST(OwnWrites, RecordsArePerRolloutAndForgettable) {
  OwnWrites own;
  own.record("ns/a", {"5"}, at("7"));
  EXPECT_EQ(rvOf(own.freshest("ns/b", at("5"))), "5");
  own.forget("ns/a");
  EXPECT_EQ(rvOf(own.freshest("ns/a", at("5"))), "5");
}

TEST(OwnWrites, AnObjectWithoutAResourceVersionIsNeverSuperseded) {
  OwnWrites own;
  own.record("ns/r", {""}, at("7"));
  EXPECT_EQ(resourceVersionOf(Json::object()), "");
  EXPECT_EQ(own.freshest("ns/r", std::make_shared<const Json>(Json::object()))->dump(), "{}");
}

}  // namespace
}  // namespace tro::controllers
