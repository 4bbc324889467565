// Webhook notifications end to end: the real operator against kubesim, a TelemetryRollout with
// spec.notifications.webhook pointing at a loopback receiver, rolled back with the abort
// annotation through the real kubectl. Asserts the end state: the rollout's phase, the
// Deployments' flags, what the receiver got, and the operator's notification counters.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/notify/webhook_receiver.h"
#include "tests/support/eventually.h"
#include "tests/support/free_port.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

std::string deployment(const std::string& name) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: default\n  labels: {tier: web}\n"
         "spec:\n  replicas: 1\n  selector:\n    matchLabels: {app: " +
         name + "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n"
         "        env:\n        - {name: FEATURE_OTEL, value: \"false\"}\n";
}

// Half the Deployments, then a pause that holds until promoted: the rollout stays Progressing
// with one Deployment enabled until the test aborts it.
std::string rollout(const std::string& url) {
  return "apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n"
         "metadata: {name: otel, namespace: default}\n"
         "spec:\n  selector: {matchLabels: {tier: web}}\n  flag: {name: FEATURE_OTEL}\n"
         "  strategy:\n    steps:\n    - setWeight: 50\n    - pause: {}\n    - setWeight: 100\n"
         "  notifications:\n    webhook: {url: \"" +
         url + "\", timeout: 2s}\n";
}

class NotifyWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
    ok({"apply", "-f", TRO_CRD_FILE});
    ASSERT_TRUE(eventually([&] { return run({"get", "telemetryrollouts"}).exitCode == 0; }, 30s));
    for (const char* d : {"web-a", "web-b"}) {
      ok({"apply", "-f", kubesim_->writeFile(std::string(d) + ".yaml", deployment(d))});
    }
    operator_ = OperatorProcess::start(kubesim_->kubeconfig(), {}, error);
    ASSERT_NE(operator_, nullptr) << error;
  }

  void TearDown() override {
    if (HasFailure() && operator_) std::cerr << "operator logs:\n" << operator_->logs() << "\n";
  }

  RunResult run(const std::vector<std::string>& args) { return kubesim_->kubectl(args); }
  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }
  std::string jsonpath(const std::string& object, const std::string& path) {
    RunResult r = run({"get", object, "-o", "jsonpath=" + path});
    return r.exitCode == 0 ? r.out : "<error: " + r.err + ">";
  }
  std::string phase() { return jsonpath("telemetryrollout/otel", "{.status.phase}"); }
  std::string flag(const std::string& d) {
    return jsonpath("deployment/" + d,
                    "{.spec.template.spec.containers[0].env[?(@.name==\"FEATURE_OTEL\")].value}");
  }
  double notifications(const std::string& result) {
    return operator_->metric("telemetry_rollout_notifications_total{result=\"" + result + "\"}")
        .value_or(-1);
  }
  double reconciles() {
    return operator_
        ->metric(
            "controller_runtime_reconcile_total{controller=\"telemetryrollout\",result="
            "\"success\"}")
        .value_or(0);
  }

  // Applies the rollout, waits until one Deployment carries telemetry, then aborts it.
  void startAndAbort(const std::string& url) {
    ok({"apply", "-f", kubesim_->writeFile("rollout.yaml", rollout(url))});
    ASSERT_TRUE(eventually(
        [&] {
          return phase() == "Progressing" && (flag("web-a") == "true") != (flag("web-b") == "true");
        },
        60s))
        << "phase " << phase() << ", flags " << flag("web-a") << " " << flag("web-b");
    ok({"annotate", "telemetryrollout/otel", "rollout.telemetry.io/abort=1"});
  }

  void expectRolledBack() {
    ASSERT_TRUE(eventually([&] { return phase() == "RolledBack"; }, 60s)) << "phase " << phase();
    EXPECT_TRUE(eventually([&] { return flag("web-a") != "true" && flag("web-b") != "true"; }, 30s))
        << flag("web-a") << " " << flag("web-b");
  }

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<OperatorProcess> operator_;
};

TEST_F(NotifyWebhookTest, AnAbortDeliversExactlyOnePostWithRolledBackAndTheReason) {
  std::string error;
  auto receiver = WebhookReceiver::start({}, error);
  ASSERT_NE(receiver, nullptr) << error;
  startAndAbort(receiver->url());
  expectRolledBack();
  ASSERT_TRUE(eventually([&] { return notifications("delivered") == 1; }, 30s))
      << "received " << receiver->count();
  std::vector<std::string> bodies = receiver->bodies();
  ASSERT_EQ(bodies.size(), 1u);
  Json doc = Json::parse(bodies[0]);
  EXPECT_EQ(doc["kind"], "TelemetryRolloutNotification");
  EXPECT_EQ(doc["rollout"]["namespace"], "default");
  EXPECT_EQ(doc["rollout"]["name"], "otel");
  EXPECT_EQ(doc["phase"], "RolledBack");
  EXPECT_EQ(doc["reason"], "ManualAbort");
  EXPECT_EQ(doc["check"], "annotation/rollout.telemetry.io/abort");

  // More reconciles of the rolled-back rollout notify nothing more.
  const double before = reconciles();
  ok({"annotate", "telemetryrollout/otel", "example.test/nudge=1"});
  ASSERT_TRUE(eventually([&] { return reconciles() > before; }, 30s));
  EXPECT_EQ(receiver->count(), 1u);
  EXPECT_EQ(notifications("failed"), 0);
  EXPECT_EQ(notifications("dropped"), 0);
}

TEST_F(NotifyWebhookTest, AReceiverFailingTwiceStillGetsItOnTheThirdAttempt) {
  std::string error;
  auto receiver = WebhookReceiver::start({500, 500}, error);
  ASSERT_NE(receiver, nullptr) << error;
  startAndAbort(receiver->url());
  expectRolledBack();
  ASSERT_TRUE(eventually([&] { return notifications("delivered") == 1; }, 60s))
      << "received " << receiver->count();
  std::vector<std::string> bodies = receiver->bodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0], bodies[2]) << "each retry sends the same document";
  EXPECT_EQ(Json::parse(bodies[2])["phase"], "RolledBack");
  EXPECT_EQ(notifications("failed"), 0);
}

TEST_F(NotifyWebhookTest, AReceiverThatIsDownDoesNotHoldTheRollbackBack) {
  const std::uint16_t port = freeLoopbackPort();  // nothing listens there
  ASSERT_NE(port, 0);
  startAndAbort("http://127.0.0.1:" + std::to_string(port) + "/hook");
  expectRolledBack();
  // Five attempts over 1+2+4+8 s of backoff, then given up on and counted.
  EXPECT_TRUE(eventually([&] { return notifications("failed") == 1; }, 60s));
  EXPECT_EQ(notifications("delivered"), 0);
}

}  // namespace
}  // namespace tro::testing
