#include "tests/chaos/trial.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "tests/support/kubesim_process.h"

namespace tro::testing::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kScenarioDeadline = 120s;

double unitInterval(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;  // the same on every standard library
}

std::string seconds(std::chrono::milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(d.count()) / 1000.0);
  return text;
}

std::string truncated(const std::string& text, std::size_t limit) {
  return text.size() <= limit ? text : text.substr(0, limit) + "...";
}

// The disruptions of one trial, on their own thread, at times relative to the rollout's apply.
// The thread that restarts the operator must outlive it (the operator dies with the thread that
// spawned it: PR_SET_PDEATHSIG), so the thread waits for finish() after its last event.
class Disruptions {
 public:
  struct Schedule {
    std::optional<std::chrono::milliseconds> othersAt;
    std::optional<std::chrono::milliseconds> killAt;
    std::optional<std::chrono::milliseconds> secondKill;  // after the first restart is ready
  };

  Disruptions(AnalysisCluster& cluster, Schedule schedule)
      : cluster_(cluster), schedule_(schedule), start_(Clock::now()), thread_([this] { run(); }) {}
  ~Disruptions() {
    finish();
    thread_.join();
  }
  Disruptions(const Disruptions&) = delete;
  Disruptions& operator=(const Disruptions&) = delete;

  // Waits until every event has happened (or been cancelled by finish()); what failed, if any.
  std::vector<std::string> awaitEvents() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return eventsDone_; });
    return errors_;
  }
  std::vector<std::string> kills() {
    std::lock_guard lock(mutex_);
    return kills_;
  }
  void finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }

 private:
  struct Event {
    Clock::time_point at;
    enum class Kind { Others, Kill } kind;
  };

  // Waits until `at` unless finish() comes first; false then.
  bool waitUntil(Clock::time_point at) {
    std::unique_lock lock(mutex_);
    return !changed_.wait_until(lock, at, [&] { return finished_; });
  }

  void record(std::vector<std::string>& into, std::string text) {
    std::lock_guard lock(mutex_);
    into.push_back(std::move(text));
  }

  void killAndRestart() {
    OperatorProcess& op = cluster_.operatorProcess();
    const auto at = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
    op.kill();
    record(kills_, "SIGKILL at " + seconds(at));
    std::string error;
    if (!op.restart(error)) record(errors_, "the operator did not restart: " + error);
  }

  void run() {
    std::vector<Event> events;
    if (schedule_.othersAt) events.push_back({start_ + *schedule_.othersAt, Event::Kind::Others});
    if (schedule_.killAt) events.push_back({start_ + *schedule_.killAt, Event::Kind::Kill});
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return a.at < b.at; });
    for (const Event& e : events) {
      if (!waitUntil(e.at)) break;
      if (e.kind == Event::Kind::Others) {
        if (std::string error = changeAsOthers(cluster_); !error.empty())
          record(errors_, std::move(error));
        continue;
      }
      killAndRestart();
      if (schedule_.secondKill && waitUntil(Clock::now() + *schedule_.secondKill)) killAndRestart();
    }
    std::unique_lock lock(mutex_);
    eventsDone_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return finished_; });
  }

  AnalysisCluster& cluster_;
  const Schedule schedule_;
  const Clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool eventsDone_ = false;
  bool finished_ = false;
  std::vector<std::string> errors_;
  std::vector<std::string> kills_;
  std::thread thread_;  // last: starts after every member it uses
};

// A whole reconcile has run after everything before it: sets the promote annotation (ignored in
// a terminal phase) to a fresh value and waits until status.handledControls records it.
std::string barrier(AnalysisCluster& cluster) {
  const std::string value = "barrier";
  if (std::string e = annotateRollout(cluster, "rollout.telemetry.io/promote", value); !e.empty())
    return e;
  const bool seen = analysis::waitFor(
      [&] {
        auto ro = cluster.rollout(kNamespace, kRolloutName);
        return ro && ro->value(Json::json_pointer("/status/handledControls/promote"), "") == value;
      },
      60s);
  return seen ? "" : "the operator never reconciled the barrier annotation";
}

std::string snapshot(AnalysisCluster& cluster, Outcome& out) {
  RunResult list = cluster.kubectl({"-n", kNamespace, "get", "deployments", "-o", "json"});
  const Json parsed = Json::parse(list.out, nullptr, false);
  if (list.exitCode != 0 || !parsed.is_object()) return "listing Deployments: " + list.err;
  const Json items = parsed.value("items", Json::array());
  if (items.empty()) return "listing Deployments: none";
  for (const auto& d : items) {
    const std::string name = d.value(Json::json_pointer("/metadata/name"), "");
    out.templates[name] = d.value(Json::json_pointer("/spec/template"), Json()).dump();
    out.generations[name] = d.value(Json::json_pointer("/metadata/generation"), 0);
  }
  std::string error;
  auto requests = cluster.kubesim().requests(&error);
  if (!requests) return "reading kubesim's request accounting: " + error;
  for (const char* verb : {"patch", "update"}) {
    for (const char* code : {"200", "201"}) {
      out.operatorWrites += countRequests(*requests, {{"verb", verb},
                                                      {"resource", "deployments"},
                                                      {"fieldManager", kOperatorManager},
                                                      {"code", code}});
    }
  }
  return "";
}

void compare(const Outcome& got, const Outcome& want, std::vector<std::string>& failures) {
  for (const auto& [name, text] : want.templates) {
    auto it = got.templates.find(name);
    if (it == got.templates.end()) {
      failures.push_back("Deployment " + name + " is gone");
    } else if (it->second != text) {
      failures.push_back("Deployment " + name + "'s pod template differs from the reference:\n" +
                         "    got  " + truncated(it->second, 1500) + "\n    want " +
                         truncated(text, 1500));
    }
  }
  for (const auto& [name, generation] : want.generations) {
    auto it = got.generations.find(name);
    if (it != got.generations.end() && it->second != generation) {
      failures.push_back("Deployment " + name + " is at generation " + std::to_string(it->second) +
                         ", the reference at " + std::to_string(generation) +
                         " (a transition written twice?)");
    }
  }
  if (got.operatorWrites != want.operatorWrites) {
    failures.push_back("the operator wrote Deployments " + std::to_string(got.operatorWrites) +
                       " times, the reference " + std::to_string(want.operatorWrites));
  }
}

std::string expectedRollbackReason(Scenario s) {
  if (s == Scenario::AlertRollback) return "AnalysisFailed";
  if (s == Scenario::ManualAbort) return "ManualAbort";
  return "";
}

TrialResult run(Scenario scenario, const Disruptions::Schedule& schedule,
                const Outcome* reference) {
  TrialResult result;
  auto fail = [&](std::string what) { result.failures.push_back(std::move(what)); };
  std::string error;
  auto cluster = AnalysisCluster::start(analysis::highErrorRateRule(), error);
  if (!cluster) {
    fail("starting the world: " + error);
    return result;
  }
  const std::vector<std::string> names = appNames();
  if (!cluster->apply("namespace.yaml", analysis::namespaceYaml(kNamespace)) ||
      !cluster->applyApps(kNamespace, appsFor(scenario)) ||
      (scenario == Scenario::AlertRollback && !cluster->waitForScrapes(kNamespace, names)) ||
      !cluster->kubesim().resetRequests(&error)) {
    fail("preparing the apps: " + cluster->lastError() + error);
    return result;
  }

  const auto start = Clock::now();
  {
    Disruptions disruptions(*cluster, schedule);
    if (std::string e = drive(scenario, *cluster, kScenarioDeadline); !e.empty()) fail(e);
    result.outcome.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (!result.failures.empty()) disruptions.finish();
    for (std::string& e : disruptions.awaitEvents()) fail(std::move(e));
    result.kills = disruptions.kills();
    if (result.failures.empty()) {
      if (!endsDeleted(scenario)) {
        if (std::string e = barrier(*cluster); !e.empty()) fail(e);
        auto ro = cluster->rollout(kNamespace, kRolloutName);
        const std::string reason =
            ro ? ro->value(Json::json_pointer("/status/rollback/reason"), "") : "?";
        if (reason != expectedRollbackReason(scenario))
          fail("status.rollback.reason is '" + reason + "', expected '" +
               expectedRollbackReason(scenario) + "'");
      }
      if (std::string e = snapshot(*cluster, result.outcome); !e.empty()) fail(e);
      if (std::string e = othersKept(*cluster); !e.empty()) fail(e);
      if (reference) compare(result.outcome, *reference, result.failures);
    }
    if (!result.failures.empty())
      result.diagnostics = cluster->diagnostics(kNamespace, kRolloutName);
  }  // the disruptions' thread ends here, and the operator it restarted with it
  result.passed = result.failures.empty();
  return result;
}

std::chrono::milliseconds share(double fraction, std::chrono::milliseconds whole) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(fraction * whole.count()));
}

}  // namespace

TrialPlan planFor(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  TrialPlan plan;
  plan.seed = seed;
  plan.scenario = static_cast<Scenario>(rng() % kScenarioCount);
  plan.killAt = unitInterval(rng);
  plan.othersAt = unitInterval(rng);
  if (rng() % 2 == 0)
    plan.secondKill = std::chrono::milliseconds(static_cast<int>(unitInterval(rng) * 1500));
  return plan;
}

std::string describe(const TrialPlan& plan) {
  char text[160];
  std::snprintf(text, sizeof text, "seed %llu %s kill at %.0f%%%s, others at %.0f%%",
                static_cast<unsigned long long>(plan.seed), scenarioName(plan.scenario),
                plan.killAt * 100, plan.secondKill ? " and again in recovery" : "",
                plan.othersAt * 100);
  return text;
}

TrialResult runReference(Scenario scenario) {
  return run(scenario, {.othersAt = 0ms, .killAt = std::nullopt, .secondKill = std::nullopt},
             nullptr);
}

TrialResult runTrial(const TrialPlan& plan, const Outcome& reference) {
  return run(plan.scenario,
             {.othersAt = share(plan.othersAt, reference.duration),
              .killAt = share(plan.killAt, reference.duration),
              .secondKill = plan.secondKill},
             &reference);
}

}  // namespace tro::testing::chaos
