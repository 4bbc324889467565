#include "tests/support/fake_api_client.h"

#include <gtest/gtest.h>

#include <thread>

namespace tro::testing {
namespace {

using kube::Json;
const kube::ResourceType kGadgets{"example.test", "v1", "gadgets", "Gadget", true};

Json gadget(const std::string& name, const std::string& tier = "a") {
  return {{"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"tier", tier}}}}},
          {"spec", {{"size", 1}}}};
}

TEST(FakeApiClient, CreateGetConflictsAndNotFound) {
  FakeApiClient api;
  auto created = api.create(kGadgets, "default", gadget("g1"), {});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ((*created)["metadata"]["generation"], 1);
  EXPECT_EQ((*created)["metadata"]["resourceVersion"], api.currentResourceVersion());
  auto again = api.create(kGadgets, "default", gadget("g1"), {});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(kube::isAlreadyExists(again.error()));
  EXPECT_TRUE(kube::isNotFound(api.get(kGadgets, "default", "nope").error()));
  EXPECT_TRUE(kube::isNotFound(api.remove(kGadgets, "default", "nope", {}).error()));

  Json stale = *created;
  Json fresh = *created;
  fresh["spec"]["size"] = 2;
  auto updated = api.update(kGadgets, "default", fresh, {});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ((*updated)["metadata"]["generation"], 2);
  stale["spec"]["size"] = 3;
  auto conflict = api.update(kGadgets, "default", stale, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(kube::isConflict(conflict.error()));
}

TEST(FakeApiClient, ListPagesAndSelects) {
  FakeApiClient api;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        api.create(kGadgets, "default", gadget("g" + std::to_string(i), i % 2 ? "b" : "a"), {})
            .ok());
  }
  EXPECT_EQ(api.create(kGadgets, "other", gadget("x"), {}).error().code, 400);
  Json other = gadget("x");
  other["metadata"].erase("namespace");
  ASSERT_TRUE(api.create(kGadgets, "other", other, {}).ok());
  kube::ListOptions opts;
  opts.limit = 2;
  std::vector<std::string> names;
  int pages = 0;
  do {
    auto page = api.list(kGadgets, "default", opts);
    ASSERT_TRUE(page.ok());
    for (const auto& item : (*page)["items"]) names.push_back(item["metadata"]["name"]);
    opts.continueToken = page->value("/metadata/continue"_json_pointer, std::string());
    pages++;
  } while (!opts.continueToken.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"g0", "g1", "g2", "g3", "g4"}));
  kube::ListOptions selected;
  selected.labelSelector = "tier=b";
  EXPECT_EQ(api.list(kGadgets, "", selected).value()["items"].size(), 2u);
  selected.labelSelector = "tier!=b";
  EXPECT_EQ(api.list(kGadgets, "", selected).value()["items"].size(), 4u);  // incl. other/x
  EXPECT_EQ(api.list(kGadgets, "other", {}).value()["items"].size(), 1u);
}

TEST(FakeApiClient, WatchReplaysHistoryAndExpiresCompactedVersions) {
  FakeApiClient api(/*retainedHistory=*/2);
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g1"), {}).ok());
  std::string afterFirst = api.currentResourceVersion();
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g2"), {}).ok());
  kube::WatchOptions opts;
  opts.resourceVersion = afterFirst;
  auto stream = api.watch(kGadgets, "default", opts);
  ASSERT_TRUE(stream.ok());
  auto e = (*stream)->next();
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->object["metadata"]["name"], "g2");
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g3"), {}).ok());
  EXPECT_EQ((*(*stream)->next())->object["metadata"]["name"], "g3");
  api.closeWatches();
  EXPECT_FALSE((*stream)->next()->has_value());

  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g4"), {}).ok());  // g1's event drops out
  opts.resourceVersion = "1";
  auto old = api.watch(kGadgets, "default", opts);
  ASSERT_TRUE(old.ok());
  auto gone = (*old)->next();
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(kube::isGone(gone.error()));
}

TEST(FakeApiClient, InjectedErrorsAreConsumedInOrder) {
  FakeApiClient api;
  api.failNext(Verb::Get, apiError(500, "InternalError", "x"), 2);
  ASSERT_TRUE(api.create(kGadgets, "default", gadget("g1"), {}).ok());
  EXPECT_TRUE(kube::isServerError(api.get(kGadgets, "default", "g1").error()));
  EXPECT_TRUE(kube::isServerError(api.get(kGadgets, "default", "g1").error()));
  EXPECT_TRUE(api.get(kGadgets, "default", "g1").ok());
  EXPECT_EQ(api.calls(Verb::Get), 3);
}

TEST(FakeApiClient, CancelUnblocksNext) {
  FakeApiClient api;
  auto stream = api.watch(kGadgets, "default", {});
  ASSERT_TRUE(stream.ok());
  std::jthread canceller([&] { (*stream)->cancel(); });
  auto r = (*stream)->next();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, kube::ErrorKind::Cancelled);
}

}  // namespace
}  // namespace tro::testing
