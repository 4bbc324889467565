#include <gtest/gtest.h>

#include <string>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/json_patch_diff.h"
#include "tests/unit/controllers/real_deployment.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using testing::realDeployment;

InjectionConfig config() {
  InjectionConfig c;
  c.owner = "default/otel";
  c.flag = {"FEATURE_OTEL", "true", "false"};
  c.env = {{"OTEL_SERVICE_NAME", "$(DEPLOYMENT_NAME)"}};
  c.containers = {"app"};
  CollectorSpec collector;
  collector.image = "otel/opentelemetry-collector-contrib:0.90.0";
  collector.configMap = "otel-cfg";
  c.collector = collector;
  return c;
}

// What the API server adds to a container it stores (as it did to "app" and "side").
void addContainerDefaults(Json& deployment) {
  for (Json& c : deployment["spec"]["template"]["spec"]["containers"]) {
    c["terminationMessagePath"] = "/dev/termination-log";
    c["terminationMessagePolicy"] = "File";
    c["imagePullPolicy"] = "IfNotPresent";
    if (!c.contains("resources")) c["resources"] = Json::object();
  }
}

TEST(InjectRealDeployment, RoundTripOnARealServerObject) {
  const Json real = realDeployment();
  auto on = inject(real, config());
  ASSERT_TRUE(on.ok()) << on.error().message;
  const Json& containers = on.value()["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(containers.size(), 3u);
  EXPECT_EQ(containers[1], real["spec"]["template"]["spec"]["containers"][1]) << "not named";
  EXPECT_EQ(containers[0]["env"][2], Json::parse(R"({"name":"OTEL_SERVICE_NAME","value":"web"})"));
  auto back = restore(on.value(), config());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), real);
}

TEST(InjectRealDeployment, PatchTouchesOnlyTheOperatorsFields) {
  const Json real = realDeployment();
  const Json on = inject(real, config()).value();
  const Json patch = makeJsonPatch(real, on);
  EXPECT_EQ(patch[0], Json::parse(R"({"op":"test","path":"/metadata/resourceVersion",
                                      "value":"65"})"));
  for (const Json& op : patch) {
    const std::string path = op["path"];
    const bool allowed = path == "/metadata/resourceVersion" || path == "/metadata/annotations" ||
                         path.starts_with("/spec/template/spec/containers/0/env") ||
                         path == "/spec/template/spec/containers/-" ||
                         path == "/spec/template/spec/volumes";
    EXPECT_TRUE(allowed) << op.dump();
  }
  // Two env vars, the container, the volumes list and the annotations.
  EXPECT_EQ(patch.size(), 6u) << patch.dump();
  EXPECT_EQ(real.patch(patch), on);
}

TEST(InjectRealDeployment, ReadBackWithServerDefaultsNeedsNoWrite) {
  Json live = inject(realDeployment(), config()).value();
  addContainerDefaults(live);
  live["metadata"]["resourceVersion"] = "66";
  live["metadata"]["generation"] = 2;
  auto again = inject(live, config());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(isNoOpPatch(makeJsonPatch(live, again.value())));
  // Restoring the defaulted object removes exactly what the operator added.
  auto back = restore(live, config());
  ASSERT_TRUE(back.ok());
  Json expected = realDeployment();
  expected["metadata"]["resourceVersion"] = "66";
  expected["metadata"]["generation"] = 2;
  EXPECT_EQ(back.value(), expected);
}

}  // namespace
}  // namespace tro::controllers
