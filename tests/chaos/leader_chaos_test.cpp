// Leader chaos (issue 16): three operator replicas with --leader-elect against kubesim under API
// faults (5 % of requests answered 503, a fifth of watches cut, one 20 s pause of the whole
// API, during which the leader must give up by itself), the current leader SIGKILLed at a random
// moment 22 times, while four TelemetryRollouts
// are created, completed, deleted (restoring their Deployments) and created again, over and over.
// Judged from kubesim's audit log (lease_terms.h): no lease term has a second writer, and every
// rollout converges once the chaos stops. Prints the takeover times (kill -> the next replica's
// first successful Lease write).

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

#include "tests/chaos/lease_terms.h"
#include "tests/integration/analysis/analysis_cluster.h"
#include "tests/support/kubesim_process.h"

namespace tro::testing::chaos {
namespace {

using namespace std::chrono_literals;
using analysis::Json;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kNs = "lead";
constexpr const char* kLease = "telemetry-rollout-operator";
constexpr const char* kAgentPrefix = "telemetry-rollout-operator/";
constexpr int kReplicas = 3;
constexpr int kGroups = 4;      // a rollout per group, two Deployments each
constexpr int kRounds = 23;     // one leader per round, killed at a random moment...
constexpr int kPauseRound = 8;  // ...but this one's is cut off by a 20 s pause of the API

std::string group(int g) { return "g" + std::to_string(g); }

std::string rolloutYaml(int g) {
  return "apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n"
         "metadata: {name: r" +
         std::to_string(g) + ", namespace: lead}\nspec:\n  selector: {matchLabels: " +
         "{app.kubernetes.io/part-of: " + group(g) +
         "}}\n  flag: {name: FEATURE_OTEL}\n"
         "  env: [{name: OTEL_SERVICE_NAME, value: \"$(DEPLOYMENT_NAME)\"}]\n"
         "  collector: {image: otel/opentelemetry-collector-contrib:0.90.0, "
         "configMap: otel-collector-config}\n"
         "  strategy: {steps: [{setWeight: 50}, {pause: {duration: 2s}}, {setWeight: 100}]}\n";
}

// The pid at the end of a client-go style identity ("<host>_<pid>"), -1 when none.
pid_t pidOf(const std::string& identity) {
  const auto sep = identity.rfind('_');
  if (sep == std::string::npos) return -1;
  try {
    return static_cast<pid_t>(std::stol(identity.substr(sep + 1)));
  } catch (const std::exception&) {
    return -1;
  }
}

// Three replicas; a replica that exits (killed, or lost its lease and exited as it must) is
// started again, as a Deployment's ReplicaSet would.
class Replicas {
 public:
  Replicas(std::filesystem::path kubeconfig, std::filesystem::path dir)
      : kubeconfig_(std::move(kubeconfig)), dir_(std::move(dir)), slots_(kReplicas) {}

  void keepRunning() {
    for (int i = 0; i < kReplicas; ++i) {
      if (slots_[i] && slots_[i]->waitFor(0ms).has_value()) {
        logs_ +=
            "--- replica pid " + std::to_string(slots_[i]->pid()) + " exited\n" + slots_[i]->err();
        slots_[i].reset();
        ++selfExits_;
      }
      if (!slots_[i]) spawn(i);
    }
  }
  // SIGKILLs the replica with this pid; false when it is not one of ours.
  bool kill(pid_t pid) {
    for (auto& slot : slots_) {
      if (slot && slot->pid() == pid) {
        slot->signal(SIGKILL);
        slot->waitFor(10s);
        logs_ += "--- replica pid " + std::to_string(pid) + " killed\n" + slot->err();
        slot.reset();
        return true;
      }
    }
    return false;
  }
  bool isOurs(pid_t pid) const {
    return std::any_of(slots_.begin(), slots_.end(),
                       [&](const auto& s) { return s && s->pid() == pid; });
  }
  int selfExits() const { return selfExits_; }
  std::string logs() const {
    std::string out = logs_;
    for (const auto& s : slots_) {
      if (s) out += "--- replica pid " + std::to_string(s->pid()) + " (running)\n" + s->err();
    }
    constexpr std::size_t kTail = 20000;
    return out.size() > kTail ? "...\n" + out.substr(out.size() - kTail) : out;
  }

 private:
  void spawn(int slot) {
    const auto dir = dir_ / ("replica-" + std::to_string(spawned_++));
    std::filesystem::create_directories(dir);
    std::string error;
    auto p = ChildProcess::spawn(
        {OPERATOR_BINARY, "--kubeconfig", kubeconfig_.string(), "--leader-elect",
         "--leader-election-namespace", kNs, "--leader-elect-lease-duration=3s",
         "--leader-elect-renew-deadline=2s", "--leader-elect-retry-period=500ms",
         "--metrics-bind-address=0", "--health-probe-bind-address=0", "--log-format=text"},
        {}, dir, error);
    ASSERT_TRUE(p.has_value()) << error;
    slots_[slot].emplace(std::move(*p));
  }

  std::filesystem::path kubeconfig_;
  std::filesystem::path dir_;
  std::vector<std::optional<ChildProcess>> slots_;
  std::string logs_;
  int spawned_ = 0;
  int selfExits_ = 0;
};

class LeaderChaosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ =
        Kubesim::start({"--pod-ready-delay", "100ms", "--audit-log-path", audit().string()}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
    ok({"apply", "-f", TRO_SOURCE_DIR "/crds/telemetryrollouts.rollout.telemetry.io.yaml"});
    ok({"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
        "--timeout=30s"});
    std::string apps = analysis::namespaceYaml(kNs);
    for (int g = 0; g < kGroups; ++g) {
      for (int k = 0; k < 2; ++k) {
        analysis::App app{"d" + std::to_string(2 * g + k), group(g), "false", {}};
        apps += "\n---\n" + analysis::deploymentYaml(kNs, app);
      }
    }
    ok({"apply", "-f", kubesim_->writeFile("apps.yaml", apps)});
    for (int d = 0; d < 2 * kGroups; ++d)
      ok({"-n", kNs, "rollout", "status", "deployment/d" + std::to_string(d), "--timeout=60s"});
  }

  std::filesystem::path audit() const { return work_.path() / "audit.log"; }

  std::string ok(const std::vector<std::string>& args) {
    RunResult r = kubesim_->kubectl(args);
    EXPECT_EQ(r.exitCode, 0) << "kubectl " << args.at(0) << ": " << r.out << r.err;
    return r.out;
  }
  std::optional<Json> getJson(const std::vector<std::string>& args) {
    RunResult r = kubesim_->kubectl(args, 30s);
    if (r.exitCode != 0) return std::nullopt;
    Json j = Json::parse(r.out, nullptr, false);
    return j.is_discarded() ? std::nullopt : std::optional<Json>(j);
  }
  // The Lease's holder pid, or -1 (none, or unreadable under faults).
  pid_t holder() {
    auto lease = getJson({"-n", kNs, "get", "lease", kLease, "-o", "json"});
    return lease ? pidOf(lease->value(Json::json_pointer("/spec/holderIdentity"), "")) : -1;
  }

  // One step of the rollouts' churn: a missing rollout is created, a Succeeded one deleted
  // (its Deployments restored). Faulted kubectl calls are simply tried again next step.
  void churn(bool deleteSucceeded) {
    for (int g = 0; g < kGroups; ++g) {
      const std::string name = "r" + std::to_string(g);
      RunResult r = kubesim_->kubectl(
          {"-n", kNs, "get", "telemetryrollout", name, "--ignore-not-found", "-o", "json"}, 30s);
      if (r.exitCode != 0) continue;
      if (r.out.empty()) {
        kubesim_->kubectl({"apply", "-f", kubesim_->writeFile(name + ".yaml", rolloutYaml(g))});
        continue;
      }
      const Json ro = Json::parse(r.out, nullptr, false);
      if (ro.is_discarded() || ro.contains(Json::json_pointer("/metadata/deletionTimestamp")))
        continue;
      if (deleteSucceeded && ro.value(Json::json_pointer("/status/phase"), "") == "Succeeded") {
        if (kubesim_->kubectl({"-n", kNs, "delete", "telemetryrollout", name, "--wait=false"})
                .exitCode == 0)
          ++cycles_;
      }
    }
  }

  bool allSucceeded() {
    auto list = getJson({"-n", kNs, "get", "telemetryrollouts", "-o", "json"});
    if (!list) return false;
    int done = 0;
    for (const auto& ro : list->value("items", Json::array())) {
      done += !ro.contains(Json::json_pointer("/metadata/deletionTimestamp")) &&
              ro.value(Json::json_pointer("/status/phase"), "") == "Succeeded";
    }
    return done == kGroups;
  }

  TempDir work_{"leader-it"};
  std::unique_ptr<Kubesim> kubesim_;
  int cycles_ = 0;
};

std::string describe(const std::vector<double>& sorted) {
  if (sorted.empty()) return "none";
  auto at = [&](double q) {
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
  };
  char text[160];
  std::snprintf(text, sizeof text, "n=%zu min %.2f s, median %.2f s, p90 %.2f s, max %.2f s",
                sorted.size(), sorted.front(), at(0.5), at(0.9), sorted.back());
  return text;
}

TEST_F(LeaderChaosTest, NoLeaseTermHasTwoWritersAndEveryRolloutConverges) {
  Replicas replicas(kubesim_->kubeconfig(), work_.path());
  ASSERT_NO_FATAL_FAILURE(replicas.keepRunning());
  std::string error;
  ASSERT_TRUE(kubesim_->setFaults({{"seed", 16},
                                   {"errorShare", 0.05},
                                   {"errorCode", 503},
                                   {"watchCutShare", 0.2},
                                   {"watchCutAfterMs", 5000}},
                                  &error))
      << error;

  std::mt19937_64 rng(16);
  std::vector<base::TimePoint> kills;
  for (int round = 1; round <= kRounds; ++round) {
    pid_t leader = -1;
    const bool led = analysis::waitFor(
        [&] {
          replicas.keepRunning();
          churn(/*deleteSucceeded=*/true);
          leader = holder();
          return replicas.isOurs(leader);
        },
        120s, 100ms);
    ASSERT_TRUE(led) << "no replica took the lease in round " << round << "\n" << replicas.logs();
    if (round == kPauseRound) {
      // The leader cannot renew while the API is paused: it must stop leading (and exit) at its
      // renew deadline, before the Lease can expire for the others.
      // Within the pause, not after it: once the pause lifts, a late answer alone would make
      // it step down, watchdog or not.
      const int exitsBefore = replicas.selfExits();
      ASSERT_TRUE(kubesim_->setFaults({{"pauseSeconds", 20}}, &error)) << error;
      const auto paused = SteadyClock::now();
      EXPECT_TRUE(analysis::waitFor(
          [&] {
            replicas.keepRunning();
            return replicas.selfExits() > exitsBefore;
          },
          12s, 100ms))
          << "the leader cut off by the pause did not exit within its renew deadline\n"
          << replicas.logs();
      std::printf("leader chaos: the paused leader exited %.1f s into the 20 s pause\n",
                  std::chrono::duration<double>(SteadyClock::now() - paused).count());
      continue;
    }
    // A random moment of this leader's term: 0-2 s, the rollouts churning meanwhile.
    const auto until = SteadyClock::now() + std::chrono::milliseconds(rng() % 2000);
    while (SteadyClock::now() < until) churn(true);
    if (!replicas.kill(leader)) continue;  // it lost the lease and exited meanwhile
    kills.push_back(std::chrono::system_clock::now());
  }
  ASSERT_GE(kills.size(), 20u);

  // The chaos stops: every rollout must reach Succeeded and stay there.
  ASSERT_TRUE(kubesim_->clearFaults(&error)) << error;
  const bool converged = analysis::waitFor(
      [&] {
        replicas.keepRunning();
        churn(/*deleteSucceeded=*/false);
        return allSucceeded();
      },
      180s, 250ms);
  EXPECT_TRUE(converged) << ok({"-n", kNs, "get", "telemetryrollouts", "-o", "wide"})
                         << replicas.logs();
  for (int d = 0; d < 2 * kGroups; ++d) {
    auto dep = getJson({"-n", kNs, "get", "deployment", "d" + std::to_string(d), "-o", "json"});
    ASSERT_TRUE(dep);
    EXPECT_EQ(analysis::envValue(*dep, "app", "FEATURE_OTEL"), "true") << "d" << d;
  }

  const TermReport report = analyzeTerms(readFile(audit()), kLease, kAgentPrefix);
  EXPECT_EQ(report.malformed, 0);
  for (const DoubleWrite& w : report.doubleWrites) {
    ADD_FAILURE() << "double writer: " << w.writer << " wrote during " << w.holder
                  << "'s term: " << w.what;
  }
  EXPECT_GE(report.terms.size(), kills.size() + 1);
  // Takeover: from a kill to the next term's start.
  std::vector<double> takeovers;
  for (const auto& k : kills) {
    auto next = std::find_if(report.terms.begin(), report.terms.end(),
                             [&](const Term& t) { return t.start > k; });
    if (next != report.terms.end())
      takeovers.push_back(std::chrono::duration<double>(next->start - k).count());
  }
  std::sort(takeovers.begin(), takeovers.end());
  std::printf(
      "leader chaos: %zu kills, %zu terms, %d operator writes (the Lease excluded), %zu double "
      "writes, %d replicas exited on their own, %d rollout cycles; takeover %s\n",
      kills.size(), report.terms.size(), report.writes, report.doubleWrites.size(),
      replicas.selfExits(), cycles_, describe(takeovers).c_str());
  EXPECT_GT(cycles_, 0) << "the rollouts never completed during the chaos";
}

// The judge can fail: a write by the old holder received after the new term began.
TEST(LeaseTerms, AWriteReceivedInAnotherReplicasTermIsADoubleWrite) {
  auto line = [](const std::string& agent, const std::string& verb, const std::string& resource,
                 const std::string& name, const std::string& received,
                 const std::string& completed) {
    return Json{{"kind", "Event"},
                {"verb", verb},
                {"userAgent", agent},
                {"objectRef", {{"resource", resource}, {"namespace", "lead"}, {"name", name}}},
                {"responseStatus", {{"code", 200}}},
                {"requestReceivedTimestamp", received},
                {"stageTimestamp", completed}}
               .dump() +
           "\n";
  };
  const std::string a = "telemetry-rollout-operator/1 (h_1)";
  const std::string b = "telemetry-rollout-operator/1 (h_2)";
  const std::string log = line(a, "update", "leases", kLease, "2026-01-01T00:00:00.000000Z",
                               "2026-01-01T00:00:00.100000Z") +
                          line(a, "patch", "deployments", "d0", "2026-01-01T00:00:01.000000Z",
                               "2026-01-01T00:00:01.010000Z") +
                          line(b, "update", "leases", kLease, "2026-01-01T00:00:04.000000Z",
                               "2026-01-01T00:00:04.100000Z") +
                          // held by a pause: received in a's term, applied in b's: a's
                          line(a, "patch", "deployments", "d1", "2026-01-01T00:00:04.050000Z",
                               "2026-01-01T00:00:04.200000Z") +
                          line(a, "patch", "deployments", "d2", "2026-01-01T00:00:04.300000Z",
                               "2026-01-01T00:00:04.310000Z") +
                          line(b, "patch", "deployments", "d3", "2026-01-01T00:00:05.000000Z",
                               "2026-01-01T00:00:05.010000Z") +
                          line("kubectl/v1.30", "patch", "deployments", "d4",
                               "2026-01-01T00:00:05.000000Z", "2026-01-01T00:00:05.010000Z") +
                          "not json\n" +
                          line(b, "patch", "deployments", "d5", "2026-01-01T00:00:06.000000Z",
                               "2026-01-01T00:00:06.010000Z")
                              .substr(0, 40);  // a line still being written
  const TermReport r = analyzeTerms(log, kLease, kAgentPrefix);
  ASSERT_EQ(r.terms.size(), 2u);
  EXPECT_EQ(r.terms[0].writes, 2);
  EXPECT_EQ(r.terms[1].writes, 1);
  EXPECT_EQ(r.writes, 4);
  EXPECT_EQ(r.malformed, 1);
  ASSERT_EQ(r.doubleWrites.size(), 1u);
  EXPECT_EQ(r.doubleWrites[0].writer, a);
  EXPECT_EQ(r.doubleWrites[0].holder, b);
  EXPECT_NE(r.doubleWrites[0].what.find("lead/d2"), std::string::npos);
}

}  // namespace
}  // namespace tro::testing::chaos
