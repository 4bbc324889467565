// The commands over kubesim's API server in process: what they send, print and return.

#include "plugin/commands.h"

#include <gtest/gtest.h>

#include <sstream>

#include "plugin/exit_codes.h"
#include "tests/support/in_process_api.h"

namespace tro::plugin {
namespace {

using kube::Json;

class PluginCommandsTest : public ::testing::Test {
 protected:
  static testing::InProcessApiOptions clusterOptions() {
    testing::InProcessApiOptions o;
    o.namespaces = {"shop", "a", "b", "empty", "team-a", "team-b"};
    o.rolloutCrds = testing::RolloutCrds::Shipped;
    return o;
  }

  void addRollout(const std::string& name, const std::string& ns = "shop") {
    Json r = {{"apiVersion", "rollout.telemetry.io/v1alpha1"},
              {"kind", "TelemetryRollout"},
              {"metadata", {{"name", name}, {"namespace", ns}}},
              {"spec",
               {{"selector", {{"matchLabels", {{"app", "web"}}}}},
                {"flag", {{"name", "FEATURE_OTEL"}}},
                {"strategy", {{"steps", Json::array({{{"setWeight", 100}}})}}}}}};
    auto created = api_.create(kube::resources::telemetryRollouts(), ns, r, {});
    ASSERT_TRUE(created.ok()) << created.error().toString();
  }

  int run(const std::vector<std::string>& words, const std::string& ns = "shop", bool tty = false) {
    out_.str("");
    err_.str("");
    auto args = parseCliArgs(words);
    EXPECT_TRUE(args.ok()) << args.error();
    std::stop_source stop;
    return runCommand(*args, api_, ns, clock_, Terminal{out_, err_, tty}, stop.get_token());
  }

  testing::InProcessApi api_{clusterOptions()};
  base::SystemClock clock_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(PluginCommandsTest, GetPrintsTheRolloutAndOnATerminalDrawsFromTheTopOfTheScreen) {
  addRollout("otel");
  EXPECT_EQ(run({"get", "otel"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str().rfind("Name:        otel\n", 0), 0u) << out_.str();
  EXPECT_EQ(run({"get", "otel"}, "shop", true), kExitOk);
  EXPECT_EQ(out_.str().rfind("\x1b[H\x1b[2JName:        otel\x1b[K\n", 0), 0u) << out_.str();
  EXPECT_EQ(out_.str().substr(out_.str().size() - 3), "\x1b[J");
}

TEST_F(PluginCommandsTest, NotFoundInvalidAndRefusedHaveTheirOwnExitCodes) {
  EXPECT_EQ(run({"get", "missing"}), kExitNotFound);
  EXPECT_EQ(err_.str(), "error: telemetryrollout \"missing\" not found in namespace \"shop\"\n");
  EXPECT_EQ(run({"abort", "Not_Valid"}), kExitUsage);
  EXPECT_EQ(api_.calls(testing::Verb::Patch), 0) << "nothing sent for an invalid name";
  api_.failNext(testing::Verb::Get, testing::apiError(403, "Forbidden", "cannot get"));
  EXPECT_EQ(run({"get", "x"}), kExitForbidden);
  api_.failNext(testing::Verb::Get, testing::apiError(500, "InternalError", "boom"));
  EXPECT_EQ(run({"get", "x"}), kExitError);
  EXPECT_EQ(err_.str(), "error: InternalError (500): boom\n");
}

TEST_F(PluginCommandsTest, ControlsPatchTheirFieldWithAFreshValueEachTime) {
  addRollout("otel");
  EXPECT_EQ(run({"promote", "otel"}), kExitOk) << err_.str();
  auto first = api_.get(kube::resources::telemetryRollouts(), "shop", "otel");
  const std::string value =
      (*first)["metadata"]["annotations"]["rollout.telemetry.io/promote"].get<std::string>();
  EXPECT_EQ(value.rfind("kubectl-telemetry-", 0), 0u);
  EXPECT_EQ(out_.str(),
            "telemetryrollout.rollout.telemetry.io/otel promoted "
            "(rollout.telemetry.io/promote=" +
                value + ")\n");
  EXPECT_EQ(run({"promote", "otel"}), kExitOk);
  auto second = api_.get(kube::resources::telemetryRollouts(), "shop", "otel");
  EXPECT_NE((*second)["metadata"]["annotations"]["rollout.telemetry.io/promote"], value);

  EXPECT_EQ(run({"pause", "otel"}), kExitOk);
  EXPECT_EQ(api_.get(kube::resources::telemetryRollouts(), "shop", "otel")
                ->at("spec")
                .value("paused", false),
            true);
}

TEST_F(PluginCommandsTest, ListReadsEveryPage) {
  for (int i = 0; i < 1203; ++i) addRollout("r-" + std::to_string(1000 + i), i % 2 ? "a" : "b");
  EXPECT_EQ(run({"list", "-A"}, ""), kExitOk) << err_.str();
  const std::string out = out_.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1204);
  EXPECT_GE(api_.calls(testing::Verb::List), 3);
  EXPECT_EQ(run({"list"}, "empty"), kExitOk);
  EXPECT_EQ(err_.str(), "No TelemetryRollouts found in empty namespace.\n");
}

// --cluster addresses a ClusterTelemetryRollout: no namespace, its targets in many namespaces
// (their workloads read from the namespaces its status names), its Events in "default".
TEST_F(PluginCommandsTest, ClusterAddressesAClusterTelemetryRollout) {
  const Json ctro = Json::parse(R"({"apiVersion": "rollout.telemetry.io/v1alpha1",
    "kind": "ClusterTelemetryRollout", "metadata": {"name": "staging"},
    "spec": {"namespaceSelector": {"matchLabels": {"telemetry": "staging"}},
      "selector": {"matchLabels": {"app": "api"}}, "flag": {"name": "FEATURE_OTEL"},
      "strategy": {"steps": [{"setWeight": 100}]}}})");
  auto created = api_.create(kube::resources::clusterTelemetryRollouts(), "", ctro, {});
  ASSERT_TRUE(created.ok()) << created.error().toString();
  (*created)["status"] = Json::parse(R"({"phase": "Progressing", "currentStep": 0, "targets": [
      {"namespace": "team-a", "name": "api", "state": "Enabled"},
      {"namespace": "team-b", "kind": "StatefulSet", "name": "db", "state": "Pending"}]})");
  auto withStatus =
      api_.updateStatus(kube::resources::clusterTelemetryRollouts(), "", *created, {});
  ASSERT_TRUE(withStatus.ok()) << withStatus.error().toString();
  const Json api = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "api", "namespace": "team-a"},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
      "template": {"metadata": {"labels": {"app": "api"}},
        "spec": {"containers": [{"name": "app", "image": "api:1"}]}}}})");
  auto deployment = api_.create(kube::resources::deployments(), "team-a", api, {});
  ASSERT_TRUE(deployment.ok()) << deployment.error().toString();
  (*deployment)["status"] = {
      {"observedGeneration", 1}, {"replicas", 2}, {"updatedReplicas", 2}, {"availableReplicas", 2}};
  ASSERT_TRUE(api_.updateStatus(kube::resources::deployments(), "team-a", *deployment, {}).ok());
  Json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", "staging.1"}, {"namespace", "default"}}},
                {"involvedObject", {{"kind", "ClusterTelemetryRollout"}, {"name", "staging"}}},
                {"reason", "TargetEnabled"},
                {"message", "telemetry enabled on Deployment team-a/api"},
                {"type", "Normal"}};
  ASSERT_TRUE(api_.create(kube::resources::events(), "default", event, {}).ok());

  EXPECT_EQ(run({"get", "staging", "--cluster"}), kExitOk) << err_.str();
  const std::string shown = out_.str();
  EXPECT_NE(shown.find("Namespace:   (cluster-scoped)"), std::string::npos) << shown;
  EXPECT_NE(shown.find("team-a/deployment/api"), std::string::npos) << shown;
  EXPECT_NE(shown.find("2/2 available"), std::string::npos) << "the workload was found: " << shown;
  EXPECT_NE(shown.find("telemetry enabled on Deployment team-a/api"), std::string::npos) << shown;

  EXPECT_EQ(run({"list", "--cluster"}), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("staging"), std::string::npos) << out_.str();

  EXPECT_EQ(run({"abort", "staging", "--cluster"}), kExitOk) << err_.str();
  EXPECT_EQ(out_.str().rfind("clustertelemetryrollout.rollout.telemetry.io/staging ", 0), 0u)
      << out_.str();
  auto aborted = api_.get(kube::resources::clusterTelemetryRollouts(), "", "staging");
  ASSERT_TRUE(aborted.ok());
  EXPECT_TRUE((*aborted)["metadata"]["annotations"].contains("rollout.telemetry.io/abort"));

  EXPECT_EQ(run({"get", "missing", "--cluster"}), kExitNotFound);
  EXPECT_EQ(err_.str(), "error: clustertelemetryrollout \"missing\" not found\n");
  // Without --cluster, the same name is a TelemetryRollout of the namespace: not there.
  EXPECT_EQ(run({"get", "staging"}), kExitNotFound);
}

TEST_F(PluginCommandsTest, CompletionAsksForNamesOnlyWhereANameGoes) {
  addRollout("enable-otel");
  EXPECT_EQ(run({"__complete", "get", "en"}), kExitOk);
  EXPECT_EQ(out_.str(), "enable-otel\n:4\n");
  const int lists = api_.calls(testing::Verb::List);
  EXPECT_EQ(run({"__complete", "li"}), kExitOk);
  EXPECT_EQ(out_.str(), "list\n:4\n");
  EXPECT_EQ(api_.calls(testing::Verb::List), lists);
}

}  // namespace
}  // namespace tro::plugin
