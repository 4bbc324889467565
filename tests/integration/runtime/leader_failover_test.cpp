// Leader election between real telemetry-rollout-operator processes against the real kubesim:
// exactly one holds the Lease; SIGKILL of the holder hands it to the standby once it expires;
// SIGTERM makes the holder release it (visible in the Lease) so a third process takes over.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>

#include "operator/runtime/informer.h"
#include "tests/integration/runtime/kubesim_server.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
using kube::Json;

constexpr const char* kLeaseName = "telemetry-rollout-operator";

kube::ResourceType crds() {
  return {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
          false};
}

// The pid at the end of client-go style identities ("<host>_<pid>"); -1 if none.
pid_t pidOf(const std::string& identity) {
  const auto sep = identity.rfind('_');
  if (sep == std::string::npos || sep + 1 >= identity.size()) return -1;
  try {
    return static_cast<pid_t>(std::stol(identity.substr(sep + 1)));
  } catch (const std::exception&) {
    return -1;
  }
}

struct LeaseState {
  std::string holder;
  int64_t durationSeconds = 0;
  int64_t transitions = 0;
};

LeaseState stateOf(const Json& lease) {
  const Json spec = lease.value("spec", Json::object());
  return {spec.value("holderIdentity", ""), spec.value("leaseDurationSeconds", int64_t{0}),
          spec.value("leaseTransitions", int64_t{0})};
}

class LeaderFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = KubesimServer::start({"--no-controllers"}, error);
    ASSERT_NE(server_, nullptr) << error;
    auto config = server_->config();
    ASSERT_TRUE(config.ok()) << config.error().toString();
    auto stack = connect(*config);
    ASSERT_TRUE(stack.ok()) << stack.error().toString();
    stack_ = std::move(stack).value();
    installCrd();
  }

  void installCrd() {
    auto crd = yamlToJson(readFile(std::string(PROJECT_SOURCE_DIR) +
                                   "/crds/telemetryrollouts.rollout.telemetry.io.yaml"));
    ASSERT_TRUE(crd.ok()) << crd.error().toString();
    auto created = api().create(crds(), "", *crd, {});
    ASSERT_TRUE(created.ok()) << created.error().toString();
    ASSERT_TRUE(eventually(
        [&] { return api().list(kube::resources::telemetryRollouts(), "default", {}).ok(); }, 20s))
        << "the TelemetryRollout CRD is never served";
  }

  kube::ApiClient& api() { return *stack_->api; }

  ChildProcess startOperator() {
    std::string error;
    auto process = ChildProcess::spawn(
        {OPERATOR_BINARY, "--kubeconfig", server_->kubeconfig().string(), "--leader-elect",
         "--leader-election-namespace", "default", "--leader-elect-lease-duration=3s",
         "--leader-elect-renew-deadline=2s", "--leader-elect-retry-period=500ms",
         "--metrics-bind-address=0", "--health-probe-bind-address=0"},
        {}, logs_.path(), error);
    EXPECT_TRUE(process.has_value()) << error;
    if (!process) throw std::runtime_error(error);  // nothing below can run without it
    return std::move(*process);
  }

  std::optional<LeaseState> lease() {
    auto got = api().get(kube::resources::leases(), "default", kLeaseName);
    if (!got.ok()) return std::nullopt;
    return stateOf(*got);
  }

  std::unique_ptr<KubesimServer> server_;
  std::unique_ptr<ClientStack> stack_;
  TempDir logs_{"operator-it"};
};

// Every state the Lease passed through, as its watch reported them, in order.
class LeaseHistory {
 public:
  void record(const Json& lease) {
    std::lock_guard l(mu_);
    states_.push_back(stateOf(lease));
  }
  std::vector<LeaseState> states() const {
    std::lock_guard l(mu_);
    return states_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<LeaseState> states_;  // guarded by mu_
};

bool isRelease(const LeaseState& s) { return s.holder.empty() && s.durationSeconds == 1; }

// Fixture part shared by both tests: a watch on the Lease recording every state, and two
// operators of which one leads.
class TwoOperatorsTest : public LeaderFailoverTest {
 protected:
  void SetUp() override {
    LeaderFailoverTest::SetUp();
    if (HasFatalFailure()) return;
    runtime::WatcherConfig watch;
    watch.type = kube::resources::leases();
    watch.ns = "default";
    watch.fieldSelector = std::string("metadata.name=") + kLeaseName;
    leases_ = std::make_unique<runtime::Informer>(api(), stack_->clock, watch);
    leases_->setHandlers(
        {[this](const runtime::ObjectPtr& o) { history_.record(*o); },
         [this](const runtime::ObjectPtr&, const runtime::ObjectPtr& o) { history_.record(*o); },
         {}});
    leases_->start();
    ASSERT_TRUE(leases_->waitForSync(stack_->clock.monotonicNow() + 20s)) << leases_->lastError();
    operators_.push_back(startOperator());
    operators_.push_back(startOperator());
    // Exactly one leader, and it is one of ours.
    ASSERT_TRUE(eventually([&] { return indexOfHolder() >= 0; }, 30s)) << logs();
    leader_ = indexOfHolder();
    standby_ = 1 - leader_;
    transitionsBefore_ = lease()->transitions;
    EXPECT_FALSE(operators_[standby_].waitFor(0ms).has_value()) << "standby exited\n" << logs();
  }
  void TearDown() override {
    operators_.clear();  // SIGTERM, then SIGKILL, each still running
    if (leases_) leases_->stop();
  }

  int indexOfHolder() {
    auto state = lease();
    if (!state) return -1;
    for (size_t i = 0; i < operators_.size(); ++i) {
      if (pidOf(state->holder) == operators_[i].pid()) return static_cast<int>(i);
    }
    return -1;
  }
  std::string logs() {
    std::string out;
    for (auto& p : operators_) out += "--- pid " + std::to_string(p.pid()) + "\n" + p.err();
    return out;
  }

  LeaseHistory history_;
  std::unique_ptr<runtime::Informer> leases_;
  std::vector<ChildProcess> operators_;
  int leader_ = -1;
  int standby_ = -1;
  int64_t transitionsBefore_ = 0;
};

TEST_F(TwoOperatorsTest, SigkilledLeaderIsReplacedOnceTheLeaseExpires) {
  operators_[leader_].signal(SIGKILL);
  ASSERT_TRUE(operators_[leader_].waitFor(10s).has_value());
  ASSERT_TRUE(eventually([&] { return indexOfHolder() == standby_; }, 30s)) << logs();
  EXPECT_EQ(lease()->transitions, transitionsBefore_ + 1);
  // A killed process cannot release: the Lease went from one holder to the other directly.
  for (const auto& s : history_.states()) EXPECT_FALSE(isRelease(s)) << s.holder;
  EXPECT_FALSE(operators_[standby_].waitFor(0ms).has_value()) << logs();
}

// A graceful stop releases the Lease, so the next process does not wait for it to expire. (This
// once failed: the client stack stopped with the process, before the release was sent.)
TEST_F(TwoOperatorsTest, SigtermedLeaderReleasesTheLeaseForAThirdProcess) {
  operators_.push_back(startOperator());
  const int third = 2;
  operators_[standby_].signal(SIGTERM);  // the standby has nothing to release
  ASSERT_TRUE(operators_[standby_].waitFor(20s).has_value()) << logs();
  operators_[leader_].signal(SIGTERM);
  auto code = operators_[leader_].waitFor(20s);
  ASSERT_TRUE(code.has_value()) << logs();
  EXPECT_EQ(*code, 0) << logs();
  ASSERT_TRUE(eventually(
      [&] {
        auto states = history_.states();
        return std::any_of(states.begin(), states.end(), isRelease);
      },
      20s))
      << "the release never showed in the Lease\n"
      << logs();
  ASSERT_TRUE(eventually([&] { return indexOfHolder() == third; }, 30s)) << logs();
  EXPECT_EQ(lease()->transitions, transitionsBefore_ + 1);
}

}  // namespace
}  // namespace tro::testing
