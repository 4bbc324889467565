// EventAggregator: exact repeats raise the first Event's count instead of creating another.

#include "controllers/rollout/event_aggregation.h"

#include <gtest/gtest.h>

#include "controllers/rollout/events.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace {

using kube::Json;

Json involved(const std::string& name, const std::string& uid = "u-1") {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", "shop"}, {"uid", uid}}}};
}

Json event(const Json& object, const std::string& reason, const std::string& message,
           uint64_t sequence) {
  const auto t0 = *base::parseRfc3339("2026-12-03T10:00:00Z");
  return makeEvent(object, {PlannedEvent::Type::Warning, reason, message, ""}, t0, sequence);
}

const auto kLater = *base::parseRfc3339("2026-12-03T10:05:00Z");

bool isCreate(const EventAggregator::Decision& d) {
  return std::holds_alternative<EventAggregator::Create>(d);
}

TEST(EventAggregation, ARepeatPatchesCountAndLastTimestampOfTheFirst) {
  EventAggregator agg;
  const Json first = event(involved("api"), "Conflict", "owned by shop/other", 1);
  ASSERT_TRUE(isCreate(agg.decide(first, kLater)));
  agg.created(first);

  // Same object, type, reason and message: a later one (another name, another time) is a repeat.
  const Json again = event(involved("api"), "Conflict", "owned by shop/other", 2);
  ASSERT_NE(again["metadata"]["name"], first["metadata"]["name"]);
  auto d = agg.decide(again, kLater);
  ASSERT_TRUE(std::holds_alternative<EventAggregator::Patch>(d));
  const auto& patch = std::get<EventAggregator::Patch>(d);
  EXPECT_EQ(patch.ns, "shop");
  EXPECT_EQ(patch.name, first["metadata"]["name"]);
  EXPECT_EQ(patch.body, (Json{{"count", 2}, {"lastTimestamp", "2026-12-03T10:05:00Z"}}));

  // Only a confirmed PATCH moves the count on.
  EXPECT_EQ(std::get<EventAggregator::Patch>(agg.decide(again, kLater)).body["count"], 2);
  agg.patched(again, 2);
  EXPECT_EQ(std::get<EventAggregator::Patch>(agg.decide(again, kLater)).body["count"], 3);
}

TEST(EventAggregation, AnyDifferenceIsANewEvent) {
  EventAggregator agg;
  agg.created(event(involved("api"), "Conflict", "owned by shop/other", 1));
  const struct {
    const char* what;
    Json event;
  } cases[] = {
      {"message", event(involved("api"), "Conflict", "owned by shop/third", 2)},
      {"reason", event(involved("api"), "Restored", "owned by shop/other", 3)},
      {"object", event(involved("web"), "Conflict", "owned by shop/other", 4)},
      {"uid (a new object of the same name)",
       event(involved("api", "u-2"), "Conflict", "owned by shop/other", 5)},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(isCreate(agg.decide(c.event, kLater))) << c.what;
  }
}

TEST(EventAggregation, ForgottenOrEvictedEventsAreCreatedAgain) {
  EventAggregator agg(2);
  const Json a = event(involved("a"), "Enabled", "m", 1);
  const Json b = event(involved("b"), "Enabled", "m", 2);
  const Json c = event(involved("c"), "Enabled", "m", 3);
  agg.created(a);
  agg.created(b);
  agg.patched(a, 2);  // a is now the most recently recorded
  agg.created(c);     // evicts b, the least recently recorded
  EXPECT_EQ(agg.size(), 2u);
  EXPECT_FALSE(isCreate(agg.decide(a, kLater)));
  EXPECT_TRUE(isCreate(agg.decide(b, kLater)));
  EXPECT_FALSE(isCreate(agg.decide(c, kLater)));
  agg.forget(c);  // e.g. the server answered the PATCH with 404
  EXPECT_TRUE(isCreate(agg.decide(c, kLater)));
  EXPECT_EQ(agg.size(), 1u);
}

}  // namespace
}  // namespace tro::controllers
