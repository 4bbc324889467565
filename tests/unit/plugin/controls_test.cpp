// The writes behind promote/abort/retry/pause/resume and when --wait is satisfied.

#include "plugin/controls.h"

#include <gtest/gtest.h>

namespace tro::plugin {
namespace {

using kube::Json;

TEST(PluginControls, EachControlIsOneMergePatchOfItsOwnField) {
  EXPECT_EQ(controlWrite(Verb::Promote, "v1").patch,
            R"({"metadata":{"annotations":{"rollout.telemetry.io/promote":"v1"}}})");
  EXPECT_EQ(controlWrite(Verb::Abort, "v2").patch,
            R"({"metadata":{"annotations":{"rollout.telemetry.io/abort":"v2"}}})");
  EXPECT_EQ(controlWrite(Verb::Retry, "v3").patch,
            R"({"metadata":{"annotations":{"rollout.telemetry.io/retry":"v3"}}})");
  EXPECT_EQ(controlWrite(Verb::Pause, "x").patch, R"({"spec":{"paused":true}})");
  EXPECT_EQ(controlWrite(Verb::Resume, "x").patch, R"({"spec":{"paused":false}})");
  EXPECT_EQ(controlWrite(Verb::Abort, "v2").description, "aborted (rollout.telemetry.io/abort=v2)");
}

Json rolloutWith(int64_t generation, Json status) {
  return {{"metadata", {{"name", "otel"}, {"generation", generation}}},
          {"status", std::move(status)}};
}

TEST(PluginControls, WaitEndsWhenTheOperatorActedOnThisValue) {
  struct Case {
    const char* name;
    Verb verb;
    Json rollout;
    bool done;
  };
  const Json paused = {{"type", "Ready"}, {"reason", "Paused"}};
  const std::vector<Case> cases = {
      {"promote not handled yet", Verb::Promote,
       rolloutWith(1, {{"phase", "Paused"}, {"handledControls", {{"promote", "old"}}}}), false},
      {"promote handled", Verb::Promote,
       rolloutWith(1, {{"phase", "Progressing"}, {"handledControls", {{"promote", "v"}}}}), true},
      {"abort handled, not rolled back yet", Verb::Abort,
       rolloutWith(1, {{"phase", "Progressing"}, {"handledControls", {{"abort", "v"}}}}), false},
      {"abort handled and rolled back", Verb::Abort,
       rolloutWith(1, {{"phase", "RolledBack"}, {"handledControls", {{"abort", "v"}}}}), true},
      {"retry handled", Verb::Retry,
       rolloutWith(1, {{"phase", "Progressing"}, {"handledControls", {{"retry", "v"}}}}), true},
      {"pause not observed", Verb::Pause,
       rolloutWith(3, {{"observedGeneration", 2}, {"phase", "Paused"}}), false},
      {"pause observed", Verb::Pause,
       rolloutWith(3, {{"observedGeneration", 3}, {"phase", "Paused"}}), true},
      {"resume observed but still held", Verb::Resume,
       rolloutWith(4, {{"observedGeneration", 4}, {"phase", "Paused"}, {"conditions", {paused}}}),
       false},
      {"resume observed and going", Verb::Resume,
       rolloutWith(4, {{"observedGeneration", 4}, {"phase", "Progressing"}}), true},
      {"no status at all", Verb::Promote, Json{{"metadata", {{"generation", 1}}}}, false},
  };
  for (const auto& c : cases) EXPECT_EQ(controlDone(c.verb, "v", c.rollout), c.done) << c.name;
}

}  // namespace
}  // namespace tro::plugin
