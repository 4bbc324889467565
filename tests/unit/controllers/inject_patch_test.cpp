#include <gtest/gtest.h>

#include <string>

#include "controllers/rollout/json_patch_diff.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

Json J(const char* text) { return Json::parse(text); }

// Applies `patch` (without its test op checks failing) and returns the result.
Json apply(const Json& live, const Json& patch) { return live.patch(patch); }

Json opsWithoutTest(const Json& patch) {
  Json out = Json::array();
  for (const Json& op : patch) {
    if (op["op"] != "test") out.push_back(op);
  }
  return out;
}

struct Case {
  const char* what;
  const char* live;
  const char* desired;
  const char* ops;  // expected ops after the test op; nullptr: only check the round trip
};

const Case kCases[] = {
    {"equal", R"({"a":1})", R"({"a":1})", "[]"},
    {"replace scalar", R"({"a":1})", R"({"a":2})", R"([{"op":"replace","path":"/a","value":2}])"},
    {"add member", R"({"a":1})", R"({"a":1,"b":{"c":1}})",
     R"([{"op":"add","path":"/b","value":{"c":1}}])"},
    {"remove member", R"({"a":1,"b":2})", R"({"a":1})", R"([{"op":"remove","path":"/b"}])"},
    {"type change", R"({"a":[1]})", R"({"a":{"x":1}})",
     R"([{"op":"replace","path":"/a","value":{"x":1}}])"},
    {"append env var", R"({"env":[{"name":"A","value":"1"}]})",
     R"({"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]})",
     R"([{"op":"add","path":"/env/-","value":{"name":"B","value":"2"}}])"},
    {"insert at front", R"({"l":["b","c"]})", R"({"l":["a","b","c"]})",
     R"([{"op":"add","path":"/l/0","value":"a"}])"},
    {"change one env value", R"({"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]})",
     R"({"env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]})",
     R"([{"op":"replace","path":"/env/1/value","value":"3"}])"},
    {"remove middle env var",
     R"({"env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]})",
     R"({"env":[{"name":"A","value":"1"},{"name":"C","value":"3"}]})",
     R"([{"op":"remove","path":"/env/1"}])"},
    {"removes go from the highest index down", R"({"l":[0,1,2,3,4]})", R"({"l":[0,2,4]})",
     R"([{"op":"remove","path":"/l/3"},{"op":"remove","path":"/l/1"}])"},
    {"append container", R"({"containers":[{"name":"app","image":"a"}]})",
     R"({"containers":[{"name":"app","image":"a"},{"name":"otel","image":"o"}]})",
     R"([{"op":"add","path":"/containers/-","value":{"name":"otel","image":"o"}}])"},
    {"drop container and change the other",
     R"({"containers":[{"name":"app","env":[{"name":"F","value":"true"}]},{"name":"otel"}]})",
     R"({"containers":[{"name":"app","env":[{"name":"F","value":"false"}]}]})",
     R"([{"op":"replace","path":"/containers/0/env/0/value","value":"false"},
         {"op":"remove","path":"/containers/1"}])"},
    {"flag off and env removed",
     R"({"env":[{"name":"X","value":"x"},{"name":"F","value":"true"},{"name":"A","value":"1"},
                {"name":"B","value":"2"}]})",
     R"({"env":[{"name":"X","value":"x"},{"name":"F","value":"false"}]})",
     R"([{"op":"replace","path":"/env/1/value","value":"false"},{"op":"remove","path":"/env/3"},
         {"op":"remove","path":"/env/2"}])"},
    {"annotation keys are escaped", R"({"metadata":{"annotations":{"a/b~c":"1"}}})",
     R"({"metadata":{"annotations":{"a/b~c":"2","rollout.telemetry.io/owner":"ns/x"}}})",
     R"([{"op":"replace","path":"/metadata/annotations/a~1b~0c","value":"2"},
         {"op":"add","path":"/metadata/annotations/rollout.telemetry.io~1owner","value":"ns/x"}])"},
    {"remove all", R"({"l":[1,2,3]})", R"({"l":[]})", nullptr},
    {"fill empty", R"({"l":[]})", R"({"l":[1,2,3]})", nullptr},
    {"mixed edits", R"({"l":[1,2,3,4,5,6]})", R"({"l":[0,2,3,7,5,8,9]})", nullptr},
    {"nested arrays", R"({"a":[[1,2],[3],[4,5,6]]})", R"({"a":[[1],[3,9],[7],[4,6]]})", nullptr},
    {"root type change", R"([1])", R"({"a":1})", nullptr},
};

TEST(InjectJsonPatch, MinimalOpsAndRoundTrip) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.what);
    const Json live = J(c.live);
    const Json desired = J(c.desired);
    const Json patch = makeJsonPatch(live, desired);
    if (c.ops) {
      EXPECT_EQ(opsWithoutTest(patch), J(c.ops)) << patch.dump();
    }
    EXPECT_EQ(apply(live, patch), desired) << patch.dump();
    EXPECT_EQ(isNoOpPatch(patch), live == desired);
  }
}

TEST(InjectJsonPatch, LeadsWithResourceVersionTest) {
  const Json live = J(R"({"metadata":{"name":"a","resourceVersion":"42"},"spec":{"x":1}})");
  Json desired = live;
  desired["spec"]["x"] = 2;
  const Json patch = makeJsonPatch(live, desired);
  ASSERT_EQ(patch.size(), 2u);
  EXPECT_EQ(patch[0], J(R"({"op":"test","path":"/metadata/resourceVersion","value":"42"})"));
  EXPECT_FALSE(isNoOpPatch(patch));

  // The test op makes the patch fail against a newer version of the object.
  Json newer = live;
  newer["metadata"]["resourceVersion"] = "43";
  EXPECT_THROW(newer.patch(patch), Json::exception);
}

TEST(InjectJsonPatch, NothingToDoIsOnlyTheTest) {
  const Json live = J(R"({"metadata":{"resourceVersion":"7"},"spec":{"a":[1,2]}})");
  const Json patch = makeJsonPatch(live, live);
  EXPECT_EQ(patch.size(), 1u);
  EXPECT_TRUE(isNoOpPatch(patch));
  EXPECT_TRUE(isNoOpPatch(makeJsonPatch(J(R"({"a":1})"), J(R"({"a":1})"))));
  EXPECT_TRUE(makeJsonPatch(J(R"({"a":1})"), J(R"({"a":1})")).empty());
}

TEST(InjectJsonPatch, HugeArraysOfDifferentLengthAreReplacedWhole) {
  Json live = {{"l", Json::array()}};
  for (int i = 0; i < 100; ++i) live["l"].push_back(i);
  Json desired = {{"l", Json::array()}};
  for (int i = 0; i < 50; ++i) desired["l"].push_back(i);
  const Json patch = makeJsonPatch(live, desired);
  ASSERT_EQ(patch.size(), 1u);
  EXPECT_EQ(patch[0]["op"], "replace");
  EXPECT_EQ(live.patch(patch), desired);
}

TEST(InjectJsonPatch, RandomizedArrayEditsRoundTrip) {
  // Deterministic pseudo-random edits (linear congruential) of arrays of small objects.
  unsigned state = 12345;
  auto next = [&state](unsigned bound) {
    state = state * 1103515245u + 12345u;
    return (state >> 16) % bound;
  };
  for (int round = 0; round < 300; ++round) {
    Json live = Json::array();
    const unsigned n = next(7);
    for (unsigned i = 0; i < n; ++i) live.push_back({{"name", std::to_string(next(5))}});
    Json desired = live;
    const unsigned edits = next(4);
    for (unsigned e = 0; e < edits; ++e) {
      const unsigned kind = next(3);
      if (kind == 0 || desired.empty()) {
        desired.insert(desired.begin() + next(desired.size() + 1),
                       Json{{"name", std::to_string(next(5))}});
      } else if (kind == 1) {
        desired.erase(next(desired.size()));
      } else {
        desired[next(desired.size())]["value"] = next(3);
      }
    }
    const Json doc = {{"list", live}};
    const Json want = {{"list", desired}};
    const Json patch = makeJsonPatch(doc, want);
    ASSERT_EQ(apply(doc, patch), want)
        << doc.dump() << " -> " << want.dump() << ": " << patch.dump();
    EXPECT_LE(patch.size(), nlohmann::json::diff(doc, want).size()) << patch.dump();
  }
}

}  // namespace
}  // namespace tro::controllers
