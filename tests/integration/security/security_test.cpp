// What a tenant who may only create TelemetryRollouts in their namespace can make the operator
// do (docs/security.md), proved against the real operator, kubesim and kubectl, with a loopback
// server that counts every connection:
//  - no file the rollout names is read or sent; the only credential that leaves is one from an
//    opted-in Secret of the rollout's own namespace;
//  - a host the admin did not allow (and link-local metadata addresses) is InvalidSpec naming
//    the field, and nothing connects;
//  - endless and deeply nested answers from Prometheus and webhook receivers are cut at their
//    limits while the operator's peak RSS (VmHWM) stays under 64 MiB.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/eventually.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/loopback_http_server.h"
#include "tests/support/operator_process.h"

namespace tro::testing {

// The operator's peak RSS bound. Under AddressSanitizer (scripts/test --sanitize address) the same
// process carries shadow memory and a quarantine of freed blocks, about three times as much.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kPeakRssKiB = 256 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kPeakRssKiB = 256 * 1024;
#else
constexpr long kPeakRssKiB = 64 * 1024;
#endif
#else
constexpr long kPeakRssKiB = 64 * 1024;
#endif
namespace {

using namespace std::chrono_literals;

constexpr const char* kAlertsOk = R"({"status":"success","data":{"alerts":[]}})";

std::string deployment() {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
         "  namespace: default\n  labels: {tier: web}\n"
         "spec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n"
         "    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n"
         "      - name: app\n        image: example.test/app:1\n";
}

// One Deployment enabled, then a window analysed every second; `prometheus` is the YAML of
// spec.analysis.prometheus, `extra` more spec lines.
std::string rollout(const std::string& prometheus, const std::string& extra = "") {
  return "apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n"
         "metadata: {name: otel, namespace: default}\n"
         "spec:\n  selector: {matchLabels: {tier: web}}\n  flag: {name: FEATURE_OTEL}\n"
         "  strategy:\n    steps:\n    - setWeight: 100\n    - pause: {duration: 10m}\n"
         "  analysis:\n    interval: 1s\n    alerts: [{name: HighErrorRate}]\n"
         "    prometheus: " +
         prometheus + "\n" + extra;
}

// VmHWM of a process, in KiB; -1 when unreadable.
long peakRssKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
    ok({"apply", "-f", TRO_CRD_FILE});
    ASSERT_TRUE(eventually([&] { return run({"get", "telemetryrollouts"}).exitCode == 0; }, 30s));
    ok({"apply", "-f", kubesim_->writeFile("web.yaml", deployment())});
  }

  void TearDown() override {
    if (HasFailure() && operator_) std::cerr << "operator logs:\n" << operator_->logs() << "\n";
  }

  void startOperator(const std::vector<std::string>& flags) {
    std::string error;
    operator_ = OperatorProcess::start(kubesim_->kubeconfig(), flags, error);
    ASSERT_NE(operator_, nullptr) << error;
  }

  std::unique_ptr<LoopbackHttpServer> server(Answer answer) {
    auto s = std::make_unique<LoopbackHttpServer>(std::move(answer));
    EXPECT_TRUE(s->ok());
    return s;
  }

  void apply(const std::string& name, const std::string& yaml) {
    ok({"apply", "-f", kubesim_->writeFile(name, yaml)});
  }

  RunResult run(const std::vector<std::string>& args) { return kubesim_->kubectl(args); }
  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }
  std::string jsonpath(const std::string& path) {
    RunResult r = run({"get", "telemetryrollout/otel", "-o", "jsonpath=" + path});
    return r.exitCode == 0 ? r.out : "<error: " + r.err + ">";
  }
  std::string reason() { return jsonpath("{.status.conditions[?(@.type==\"Ready\")].reason}"); }
  std::string message() { return jsonpath("{.status.message}"); }
  // What the last analysis said: each check's message, then the rollout's message.
  std::string checks() {
    return jsonpath("{.status.analysis.checks[*].message}") + " | " + message();
  }
  std::string flag() {
    RunResult r =
        run({"get", "deployment/web", "-o",
             "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"FEATURE_OTEL\")]"
             ".value}"});
    return r.out;
  }

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<OperatorProcess> operator_;
};

TEST_F(SecurityTest, AFileNamedByTheRolloutIsNeverReadNorSent) {
  startOperator({});
  auto prometheus = server(canned(200, kAlertsOk));
  const std::filesystem::path token = kubesim_->writeFile("operator-token", "stolen-token\n");
  // kubectl would refuse the field the CRD no longer has; without client validation it reaches
  // the server, which prunes it or hands it to the operator, which refuses it. Either way the
  // file must stay unread.
  RunResult applied =
      run({"apply", "--validate=false", "-f",
           kubesim_->writeFile("rollout.yaml",
                               rollout("{address: \"" + prometheus->url() +
                                       "\", bearerTokenFile: \"" + token.string() + "\"}"))});
  ASSERT_EQ(applied.exitCode, 0) << applied.err;
  ASSERT_TRUE(
      eventually([&] { return reason() == "InvalidSpec" || !prometheus->heads().empty(); }, 60s))
      << reason() << " " << message();
  for (const std::string& head : prometheus->heads()) {
    EXPECT_EQ(head.find("stolen-token"), std::string::npos) << head;
    EXPECT_EQ(head.find("Authorization"), std::string::npos) << head;
  }
  if (reason() == "InvalidSpec") {
    EXPECT_NE(message().find("spec.analysis.prometheus.bearerTokenFile"), std::string::npos)
        << message();
  }
}

TEST_F(SecurityTest, OnlyAnOptedInSecretOfTheRolloutsNamespaceIsSent) {
  startOperator({});
  auto prometheus = server(canned(200, kAlertsOk));
  // Not opted in: the operator refuses it, and nothing connects.
  apply("secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: prom-creds, namespace: default}\n"
        "data: {token: dGVuYW50LXRva2VuCg==}\n");  // "tenant-token\n"
  apply("rollout.yaml", rollout("{address: \"" + prometheus->url() +
                                "\", authorization: {secretRef: {name: prom-creds}}}"));
  ASSERT_TRUE(eventually(
      [&] {
        return checks().find("rollout.telemetry.io/analysis-credentials") != std::string::npos;
      },
      60s))
      << checks() << " / " << message();
  EXPECT_EQ(prometheus->connections(), 0u);
  EXPECT_EQ(checks().find("tenant-token"), std::string::npos);

  // Opted in: that token, and only it, reaches the rollout's Prometheus.
  ok({"annotate", "secret/prom-creds", "rollout.telemetry.io/analysis-credentials=true"});
  ASSERT_TRUE(eventually([&] { return !prometheus->heads().empty(); }, 60s)) << checks();
  for (const std::string& head : prometheus->heads()) {
    EXPECT_NE(head.find("Bearer tenant-token\r\n"), std::string::npos) << head;
  }
}

TEST_F(SecurityTest, AHostTheAdminDidNotAllowIsInvalidSpecAndNothingConnects) {
  startOperator({"--allowed-prometheus-hosts=prometheus.monitoring.svc",
                 "--allowed-webhook-hosts=hooks.example"});
  auto listener = server(canned(200, kAlertsOk));
  apply("rollout.yaml",
        rollout("{address: \"" + listener->url() + "\"}",
                "  notifications:\n    webhook: {url: \"" + listener->url() + "/hook\"}\n"));
  ASSERT_TRUE(eventually([&] { return reason() == "InvalidSpec"; }, 60s)) << reason();
  const std::string why = message();
  EXPECT_NE(why.find("spec.analysis.prometheus.address: Forbidden"), std::string::npos) << why;
  EXPECT_NE(why.find("--allowed-prometheus-hosts"), std::string::npos) << why;
  EXPECT_NE(why.find("spec.notifications.webhook.url: Forbidden"), std::string::npos) << why;
  EXPECT_EQ(flag(), "") << "an invalid rollout touches no Deployment";
  // The operator decided on the spec it read: had it sent anything, it would be here by now
  // (the InvalidSpec status write comes after any request of the same reconcile).
  EXPECT_EQ(listener->connections(), 0u);
}

TEST_F(SecurityTest, LinkLocalMetadataAddressesAreRefusedByDefault) {
  startOperator({});
  apply("rollout.yaml", rollout("{address: \"http://169.254.169.254/latest\"}"));
  ASSERT_TRUE(eventually([&] { return reason() == "InvalidSpec"; }, 60s)) << reason();
  EXPECT_NE(message().find("link-local"), std::string::npos) << message();
}

TEST_F(SecurityTest, EndlessAndNestedAnswersAreCutWhileRssStaysUnder64MiB) {
  startOperator({});
  auto endless =
      server(hostile(Answer::Kind::Endless, R"({"status":"success","data":{"alerts":[)"));
  apply("rollout.yaml", rollout("{address: \"" + endless->url() + "\", timeout: 5s}"));
  ASSERT_TRUE(eventually([&] { return checks().find("exceeds") != std::string::npos; }, 60s))
      << checks() << " / " << message();
  // Several more analyses, each cut at the limit.
  ASSERT_TRUE(eventually([&] { return endless->connections() >= 5; }, 60s));

  std::string bomb = R"({"status":"success","data":)";
  bomb += std::string(100000, '[') + std::string(100000, ']') + "}";
  auto nested = server(canned(200, bomb));
  apply("rollout.yaml", rollout("{address: \"" + nested->url() + "\"}"));
  ASSERT_TRUE(eventually([&] { return nested->connections() >= 3; }, 60s)) << checks();
  ASSERT_TRUE(eventually([&] { return checks().find("nests deeper") != std::string::npos; }, 30s))
      << checks();
  EXPECT_TRUE(operator_->running());
  EXPECT_FALSE(operator_->process().waitFor(0ms).has_value()) << "the operator died";
  EXPECT_EQ(flag(), "true") << "an unreadable answer is Inconclusive: the window holds";

  const long peak = peakRssKiB(operator_->process().pid());
  ASSERT_GT(peak, 0);
  EXPECT_LT(peak, kPeakRssKiB) << "VmHWM " << peak << " KiB";
  std::cout << "[ figures  ] operator VmHWM " << peak << " KiB after " << endless->connections()
            << " endless and " << nested->connections() << " nested answers\n";
}

TEST_F(SecurityTest, AnEndlessWebhookAnswerIsCutAndStillCountsByItsStatus) {
  startOperator({});
  auto prometheus = server(canned(200, kAlertsOk));
  auto receiver = server(hostile(Answer::Kind::Endless, "{"));
  apply("rollout.yaml",
        rollout("{address: \"" + prometheus->url() + "\"}",
                "  notifications:\n    webhook: {url: \"" + receiver->url() + "/hook\"}\n"));
  ASSERT_TRUE(eventually([&] { return flag() == "true"; }, 60s)) << message();
  ok({"annotate", "telemetryrollout/otel", "rollout.telemetry.io/abort=1"});
  ASSERT_TRUE(eventually(
      [&] {
        return operator_->metric("telemetry_rollout_notifications_total{result=\"delivered\"}")
                   .value_or(0) == 1;
      },
      60s))
      << operator_->metrics();
  EXPECT_EQ(receiver->connections(), 1u);
  const long peak = peakRssKiB(operator_->process().pid());
  EXPECT_LT(peak, kPeakRssKiB) << "VmHWM " << peak << " KiB";
}

}  // namespace
}  // namespace tro::testing
