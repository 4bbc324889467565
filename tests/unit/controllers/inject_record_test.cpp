#include <gtest/gtest.h>

#include "controllers/rollout/restore_record.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

TEST(InjectRestoreRecord, RoundTripsAndIsCanonical) {
  RestoreRecord r;
  r.containers["app"].env["FEATURE_OTEL"] = Json{{"name", "FEATURE_OTEL"}, {"value", "false"}};
  r.containers["app"].env["OTEL_SERVICE_NAME"] = nullptr;
  r.containers["worker"].envAbsent = true;
  r.containers["worker"].env["FEATURE_OTEL"] = nullptr;
  r.sidecar = "otel-collector";
  r.volume = "otel-collector-config";
  r.volumesAbsent = true;
  const std::string text = r.toAnnotation();
  auto parsed = parseRestoreRecord(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(parsed.value(), r);
  EXPECT_EQ(parsed.value().toAnnotation(), text);
  EXPECT_EQ(RestoreRecord{}.toAnnotation(), R"({"containers":{}})");
}

TEST(InjectRestoreRecord, RejectsMalformed) {
  const char* cases[] = {
      "",
      "not json",
      "[]",
      R"({"containers":[]})",
      R"({"containers":{"app":1}})",
      R"({"containers":{"app":{"env":[]}}})",
      R"({"containers":{"app":{"env":{"A":"x"}}}})",
      R"({"containers":{},"sidecar":5})",
      R"({"containers":{"a":{"env":{},"envAbsent":"y"}}})",
  };
  for (const char* text : cases) {
    auto parsed = parseRestoreRecord(text);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_FALSE(parsed.error().empty());
    }
  }
}

}  // namespace
}  // namespace tro::controllers
