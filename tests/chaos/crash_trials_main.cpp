// scripts/chaos: randomized crash trials of the operator (issue 16). Each trial is drawn from
// its own seed (a scenario, a SIGKILL moment uniform over the scenario, maybe a second kill
// during recovery, the moment other writers change the Deployments) and checked against a
// reference run of its scenario without kills. Prints every trial, then trials, passed, failed
// and the seed of each failure; `--replay SEED` runs that one trial again.
//
//   tro_crash_trials [--trials N] [--seed S] [--replay TRIAL_SEED] [--scenario NAME]

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/chaos/trial.h"

namespace tro::testing::chaos {
namespace {

struct Options {
  int trials = 100;
  std::uint64_t seed = 1;
  std::optional<std::uint64_t> replay;
  std::optional<Scenario> only;
};

// A trial's seed from the run's seed and the trial's index (splitmix64: neighbours differ).
std::uint64_t trialSeed(std::uint64_t seed, int index) {
  std::uint64_t z = seed * 1000003u + static_cast<std::uint64_t>(index) + 0x9e3779b97f4a7c15u;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

std::optional<std::uint64_t> number(const char* text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-') return std::nullopt;
  return v;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!value) return false;
    ++i;
    auto n = number(value);
    if (arg == "--trials" && n && *n >= 1 && *n <= 100000) {
      o.trials = static_cast<int>(*n);
    } else if (arg == "--seed" && n) {
      o.seed = *n;
    } else if (arg == "--replay" && n) {
      o.replay = *n;
    } else if (arg == "--scenario") {
      for (int s = 0; s < kScenarioCount; ++s) {
        if (std::strcmp(value, scenarioName(static_cast<Scenario>(s))) == 0)
          o.only = static_cast<Scenario>(s);
      }
      if (!o.only) return false;
    } else {
      return false;
    }
  }
  return true;
}

void printFailure(const TrialResult& r) {
  for (const auto& f : r.failures) std::printf("    FAILED: %s\n", f.c_str());
  std::string d = r.diagnostics;
  constexpr std::size_t kTail = 8000;
  if (d.size() > kTail) d = "...\n" + d.substr(d.size() - kTail);
  if (!d.empty()) std::printf("    the world at the end:\n%s\n", d.c_str());
}

double secondsOf(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

int runAll(const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<TrialPlan> plans;
  if (o.replay) {
    plans.push_back(planFor(*o.replay));
  } else {
    for (int i = 0; plans.size() < static_cast<std::size_t>(o.trials); ++i) {
      TrialPlan p = planFor(trialSeed(o.seed, i));
      if (!o.only || p.scenario == *o.only) plans.push_back(p);
    }
  }

  std::map<Scenario, TrialResult> references;
  std::vector<std::uint64_t> failedSeeds;
  int passed = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const TrialPlan& plan = plans[i];
    auto ref = references.find(plan.scenario);
    if (ref == references.end()) {
      std::printf("reference %s (no kill) ...\n", scenarioName(plan.scenario));
      std::fflush(stdout);
      ref = references.emplace(plan.scenario, runReference(plan.scenario)).first;
      const TrialResult& r = ref->second;
      std::printf("reference %s: %s in %.2f s, %llu operator writes\n", scenarioName(plan.scenario),
                  r.passed ? "done" : "FAILED",
                  static_cast<double>(r.outcome.duration.count()) / 1000.0,
                  static_cast<unsigned long long>(r.outcome.operatorWrites));
      if (!r.passed) printFailure(r);
    }
    const auto trialStart = std::chrono::steady_clock::now();
    TrialResult r;
    if (ref->second.passed) {
      r = runTrial(plan, ref->second.outcome);
    } else {
      r.failures.push_back("the reference run of " + std::string(scenarioName(plan.scenario)) +
                           " failed");
    }
    std::string kills;
    for (const auto& k : r.kills) kills += (kills.empty() ? "" : ", ") + k;
    std::printf("trial %zu/%zu %s: %s in %.1f s [%s]\n", i + 1, plans.size(),
                describe(plan).c_str(), r.passed ? "passed" : "FAILED",
                secondsOf(std::chrono::steady_clock::now() - trialStart),
                kills.empty() ? "no kill" : kills.c_str());
    if (r.passed) {
      ++passed;
    } else {
      printFailure(r);
      failedSeeds.push_back(plan.seed);
    }
    std::fflush(stdout);
  }

  std::printf("chaos: %zu trials, %d passed, %zu failed, %.0f s (seed %llu)\n", plans.size(),
              passed, failedSeeds.size(), secondsOf(std::chrono::steady_clock::now() - start),
              static_cast<unsigned long long>(o.seed));
  for (std::uint64_t s : failedSeeds)
    std::printf("  failed: replay with scripts/chaos --replay %llu\n",
                static_cast<unsigned long long>(s));
  return failedSeeds.empty() ? 0 : 1;
}

}  // namespace
}  // namespace tro::testing::chaos

int main(int argc, char** argv) {
  tro::testing::chaos::Options options;
  if (!tro::testing::chaos::parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s [--trials N] [--seed S] [--replay TRIAL_SEED] [--scenario NAME]\n"
                 "scenarios: waves setenv-ramp alert-rollback manual-abort delete-restore "
                 "spec-change\n",
                 argv[0]);
    return 2;
  }
  return tro::testing::chaos::runAll(options);
}
