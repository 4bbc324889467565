// The OpenTelemetry Operator mode (spec.instrumentation, issue 15): a rollout with no flag sets
// the auto-instrumentation annotations on each pod template in waves; a rollback and then the
// deletion give back exactly what the templates had: a user's own annotations survive both, an
// earlier value of the same key comes back, and the templates end byte for byte as before.

#include "tests/integration/operator/operator_cluster.h"

namespace tro::testing {
namespace {

constexpr int kDeployments = 4;
constexpr const char* kJava = "instrumentation.opentelemetry.io/inject-java";
constexpr const char* kContainerNames = "instrumentation.opentelemetry.io/container-names";

class OperatorInstrumentationTest : public OperatorClusterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments));
    // The users' own pod-template annotations: app-1 had switched Java instrumentation off.
    setTemplateAnnotations("app-0", R"({"team": "shop"})");
    setTemplateAnnotations("app-1",
                           R"({"team": "cart", ")" + std::string(kJava) + R"(": "false"})");
    expectAllRolledOut();
    before_ = podTemplateTexts();
    ASSERT_EQ(before_.size(), static_cast<size_t>(kDeployments));
  }

  void setTemplateAnnotations(const std::string& name, const std::string& annotations) {
    ok({"patch", "-n", kNamespace, "deployment/" + name, "--type", "merge", "-p",
        R"({"spec": {"template": {"metadata": {"annotations": )" + annotations + "}}}}"});
  }

  static Json templateAnnotations(const Json& d) {
    return d["spec"]["template"]["metadata"].value("annotations", Json::object());
  }

  std::map<std::string, std::string> before_;  // .spec.template text by name, before
};

TEST_F(OperatorInstrumentationTest, AddsThenRemovesExactlyItsAnnotations) {
  RolloutYaml r;
  r.flagYaml.clear();
  r.env.clear();
  r.collectorImage.reset();
  r.instrumentationYaml =
      std::string("{annotations: {") + kJava + ": \"true\", " + kContainerNames + ": app}}";
  r.steps = {"{setWeight: 50}", "{pause: {duration: 1s}}", "{setWeight: 100}", "{pause: {}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && targetsIn(s, "Enabled").size() == kDeployments;
      },
      "every Deployment enabled, holding in the manual window"));
  for (const auto& [name, d] : deployments()) {
    const Json a = templateAnnotations(d);
    EXPECT_EQ(a.value(kJava, ""), "true") << name << ": " << a.dump();
    EXPECT_EQ(a.value(kContainerNames, ""), "app") << name << ": " << a.dump();
    // No flag, no env, no sidecar: the pod spec is as it was.
    EXPECT_EQ(d["spec"]["template"]["spec"], Json::parse(before_.at(name))["spec"]) << name;
  }
  EXPECT_EQ(templateAnnotations(deployment("app-0")).value("team", ""), "shop");
  EXPECT_EQ(templateAnnotations(deployment("app-1")).value("team", ""), "cart");
  expectAllRolledOut();

  annotate("web-otel", "rollout.telemetry.io/abort", "now");
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  // The rollback form gives the annotations back: the templates are as before, byte for byte.
  EXPECT_EQ(podTemplateTexts(), before_);
  EXPECT_EQ(templateAnnotations(deployment("app-1")).value(kJava, ""), "false");
  expectAllRolledOut();

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_EQ(podTemplateTexts(), before_);
  for (const auto& [name, d] : deployments()) {
    EXPECT_FALSE(hasOperatorAnnotations(d)) << name << ": " << d["metadata"].dump();
  }
}

TEST_F(OperatorInstrumentationTest, AnUnknownAnnotationIsAnInvalidSpecThatTouchesNothing) {
  RolloutYaml r;
  r.flagYaml.clear();
  r.collectorImage.reset();
  r.instrumentationYaml =
      "{annotations: {instrumentation.opentelemetry.io/inject-cobol: \"true\"}}";
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        for (const Json& c : s.value("conditions", Json::array())) {
          if (c.value("reason", "") == "InvalidSpec" &&
              c.value("message", "").find("inject-cobol") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      "an InvalidSpec condition naming the key"));
  EXPECT_EQ(podTemplateTexts(), before_);
}

}  // namespace
}  // namespace tro::testing
