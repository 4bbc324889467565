// kubectl-telemetry (issue #18) against kubesim with the real operator: a rollout watched and
// steered through its phases by name, the screen at each phase compared with golden text, every
// error case with its exit code and one-line message, and the plugin found by the real kubectl.
//
// Golden files (golden/*.txt) hold the `get` screen with durations replaced by <age>, times by
// <time>, the controls' unique values by <n>, and the Events section left out (its order within
// one second is not fixed); TRO_UPDATE_GOLDEN=1 rewrites them from the current output.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/operator/operator_cluster.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kDeployments = 3;

class PluginTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments)); }

  RunResult plugin(std::vector<std::string> args, std::chrono::milliseconds timeout = 60s) {
    args.insert(args.begin(), {PLUGIN_BINARY, "--kubeconfig", kubesim_->kubeconfig().string()});
    return run(args, {}, kubesim_->dir(), timeout);
  }

  std::string pluginOk(const std::vector<std::string>& args) {
    RunResult r = plugin(args);
    EXPECT_EQ(r.exitCode, 0) << "kubectl-telemetry " << args[0] << ": " << r.err;
    return r.out;
  }

  void expectGolden(const std::string& name, const std::string& screen) {
    const std::filesystem::path file = std::filesystem::path(PLUGIN_GOLDEN_DIR) / (name + ".txt");
    const std::string actual = normalised(screen);
    if (std::getenv("TRO_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(file) << actual;
      return;
    }
    std::ifstream in(file);
    ASSERT_TRUE(in) << "no golden file " << file << "; the screen was:\n" << actual;
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(actual, want.str()) << "golden " << file << " differs; the screen was:\n" << actual;
  }

  // Durations (ages, remaining time) vary from run to run; the Events section's order too.
  static std::string normalised(std::string screen) {
    if (auto events = screen.find("\nEvents:\n"); events != std::string::npos) {
      screen.erase(events + 1);
    }
    static const std::regex time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    static const std::regex unique(R"(kubectl-telemetry-\d+)");
    screen = std::regex_replace(screen, unique, "kubectl-telemetry-<n>");
    // Column widths follow the widest cell, which may hold a duration: alignment is pinned down
    // by the unit tests, the content here.
    static const std::regex padding("   +");
    screen = std::regex_replace(screen, padding, "  ");
    static const std::regex duration(R"(\b\d+(s|m|h|d)(\d+(s|m|h))?\b)");
    return std::regex_replace(std::regex_replace(screen, time, "<time>"), duration, "<age>");
  }
};

TEST_F(PluginTest, WatchesAndSteersARolloutThroughItsPhases) {
  RolloutYaml r;
  r.steps = {"{setWeight: 33}", "{pause: {}}", "{setWeight: 100}", "{pause: {duration: 1h}}"};
  applyRollout(r);
  std::string spawnError;
  std::optional<ChildProcess> watch = ChildProcess::spawn(
      {PLUGIN_BINARY, "--kubeconfig", kubesim_->kubeconfig().string(), "get", "web-otel", "-w"}, {},
      kubesim_->dir(), spawnError);
  ASSERT_TRUE(watch) << spawnError;

  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && s.value("currentStep", 0) == 1;
      },
      "paused in the manual window"));
  std::string screen = pluginOk({"get", "web-otel"});
  expectGolden("paused-for-promotion", screen);
  EXPECT_NE(screen.find("app-0  Enabled  2/2 available"), std::string::npos) << screen;
  EXPECT_NE(screen.find("RolloutStarted"), std::string::npos) << "the Events section: " << screen;

  std::string out = pluginOk({"promote", "web-otel", "--wait"});
  EXPECT_NE(out.find("telemetryrollout.rollout.telemetry.io/web-otel promoted "
                     "(rollout.telemetry.io/promote=kubectl-telemetry-"),
            std::string::npos)
      << out;
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("currentStep", 0) == 3 && targetsIn(s, "Enabled").size() == 3;
      },
      "in the timed window with every target enabled"));
  expectGolden("timed-window", pluginOk({"get", "web-otel"}));

  out = pluginOk({"pause", "web-otel", "--wait"});
  EXPECT_NE(out.find("paused (spec.paused=true)"), std::string::npos) << out;
  EXPECT_EQ(rollout("web-otel")["spec"].value("paused", false), true);
  expectGolden("paused-by-spec", pluginOk({"get", "web-otel"}));
  out = pluginOk({"resume", "web-otel", "--wait"});
  EXPECT_NE(out.find("resumed (spec.paused=false)"), std::string::npos) << out;

  out = pluginOk({"abort", "web-otel", "--wait"});
  EXPECT_NE(out.find("is RolledBack"), std::string::npos) << out;
  for (const std::string n : {"app-0", "app-1", "app-2"}) {
    EXPECT_EQ(envValue(deployment(n), "app", "FEATURE_OTEL"), "false") << n;
  }
  expectAllRolledOut();  // the Deployments' own rollouts of the rollback, for a stable screen
  screen = pluginOk({"get", "-n", "default", "web-otel"});
  EXPECT_NE(screen.find("Rollback: ManualAbort"), std::string::npos) << screen;
  expectGolden("rolled-back", screen);

  // The watch drew every phase it went through, frame after frame, with no terminal codes.
  ASSERT_TRUE(eventually(
      [&] { return watch->out().find("Phase:       RolledBack") != std::string::npos; }, 60s))
      << watch->out();
  const std::string frames = watch->out();
  for (const char* phase : {"Phase:       Progressing", "Phase:       Paused (AwaitingPromotion)",
                            "Paused:      spec.paused is set", "Phase:       RolledBack"}) {
    EXPECT_NE(frames.find(phase), std::string::npos) << phase << " never drawn:\n" << frames;
  }
  EXPECT_EQ(frames.find('\x1b'), std::string::npos) << "terminal codes when not on a terminal";

  out = pluginOk({"retry", "web-otel", "--wait"});
  EXPECT_NE(out.find("retried (rollout.telemetry.io/retry="), std::string::npos) << out;
  ASSERT_TRUE(waitForPhase("web-otel", "Paused"));

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_EQ(watch->waitFor(60s), 0) << watch->out() << watch->err();
  EXPECT_NE(watch->out().find("telemetryrollout \"web-otel\" was deleted"), std::string::npos);
}

TEST_F(PluginTest, ErrorsAreOneLineWithAnExitCodeForScripts) {
  struct Case {
    std::vector<std::string> args;
    int exitCode;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"get", "missing"},
       3,
       "error: telemetryrollout \"missing\" not found in namespace \"default\"\n"},
      {{"get", "Bad_Name"}, 2, "is not a valid TelemetryRollout name"},
      {{"promote"}, 2, "error: promote takes one TelemetryRollout name"},
      {{"get", "x", "--bogus"}, 2, "error: unknown flag --bogus"},
      {{"frobnicate"}, 2, "error: unknown command \"frobnicate\""},
      {{"--token", "wrong", "list"}, 4, "error: unauthorized"},
      {{"promote", "missing", "--wait"}, 3, "not found"},
  };
  for (const auto& c : cases) {
    RunResult r = plugin(c.args);
    EXPECT_EQ(r.exitCode, c.exitCode) << c.args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }

  // --wait without an operator acting: exit 5 once --timeout has passed.
  RolloutYaml r;
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  operator_.reset();
  RunResult waited = plugin({"abort", "web-otel", "--wait", "--timeout", "1s"});
  EXPECT_EQ(waited.exitCode, 5) << waited.err;
  EXPECT_NE(waited.err.find("timed out after 1s"), std::string::npos) << waited.err;

  // Without the CRD the server does not know the resource at all.
  ok({"delete", "crd", "telemetryrollouts.rollout.telemetry.io", "--timeout=60s"});
  RunResult noCrd = plugin({"get", "web-otel"});
  EXPECT_EQ(noCrd.exitCode, 3);
  EXPECT_EQ(noCrd.err,
            "error: the server does not serve TelemetryRollouts: the CRD is not installed "
            "(kubectl apply -f crds/)\n");
}

TEST_F(PluginTest, RunsAsAKubectlPluginWithHelpListAndCompletion) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  expectGolden("succeeded", pluginOk({"get", "web-otel"}));
  const std::string pluginDir = std::filesystem::path(PLUGIN_BINARY).parent_path().string();
  const char* path = std::getenv("PATH");
  const std::map<std::string, std::string> env = {
      {"PATH", pluginDir + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
      {"KUBECONFIG", kubesim_->kubeconfig().string()}};
  RunResult listed = run({KUBECTL_BINARY, "telemetry", "list"}, env, kubesim_->dir());
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_EQ(listed.out.rfind("NAME      PHASE      REASON     STEP  TARGETS  AGE\n"
                             "web-otel  Succeeded  Succeeded  1/1   3/3      ",
                             0),
            0u)
      << listed.out;
  RunResult all = run({KUBECTL_BINARY, "telemetry", "list", "-A"}, env, kubesim_->dir());
  EXPECT_EQ(all.out.rfind("NAMESPACE  NAME ", 0), 0u) << all.out;

  RunResult help = run({KUBECTL_BINARY, "telemetry", "promote", "--help"}, env, kubesim_->dir());
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_NE(help.out.find("Usage: kubectl telemetry promote NAME [--wait]"), std::string::npos)
      << help.out;

  // kubectl's plugin completion runs kubectl_complete-telemetry, which asks the plugin.
  RunResult names = plugin({"__complete", "promote", "web"});
  EXPECT_EQ(names.out, "web-otel\n:4\n");
  RunResult verbs = plugin({"__complete", "pr"});
  EXPECT_EQ(verbs.out, "promote\n:4\n");
  RunResult script = plugin({"completion", "bash"});
  EXPECT_NE(script.out.find("complete -o nosort -F _kubectl_telemetry kubectl-telemetry"),
            std::string::npos);
}

}  // namespace
}  // namespace tro::testing
