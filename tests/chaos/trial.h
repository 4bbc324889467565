#pragma once
// One crash trial (issue 16): a fresh world (kubesim, Prometheus, the operator), a scenario
// driven to its end while the operator is SIGKILLed at a random moment (and maybe once more
// while it recovers), then the checks: the end phase, every pod template byte for byte and every
// Deployment's generation against a reference run of the same scenario without kills, the
// operator's Deployment writes (no transition written twice), and other writers' changes kept.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/chaos/scenarios.h"

namespace tro::testing::chaos {

// Everything random about a trial, drawn from its seed alone (so a seed replays the trial).
struct TrialPlan {
  std::uint64_t seed = 0;
  Scenario scenario = Scenario::Waves;
  double killAt = 0;    // share of the reference run's duration, 0..1
  double othersAt = 0;  // when the user and the GitOps tool write, likewise
  // A second kill this long after the first restart is ready (during recovery), or none.
  std::optional<std::chrono::milliseconds> secondKill;
};
TrialPlan planFor(std::uint64_t seed);
std::string describe(const TrialPlan& plan);

// What a finished world looks like.
struct Outcome {
  std::map<std::string, std::string> templates;  // Deployment -> spec.template, compact JSON
  std::map<std::string, std::int64_t> generations;
  std::uint64_t operatorWrites = 0;       // 2xx patch/update of Deployments by the operator
  std::chrono::milliseconds duration{0};  // from the rollout's apply to the scenario's end
};

struct TrialResult {
  bool passed = false;
  std::vector<std::string> failures;
  std::string diagnostics;  // the world at the end, when a check failed
  Outcome outcome;
  std::vector<std::string> kills;  // "kill at 3.2 s", as they happened
};

// Runs `scenario` with no kill: the expected outcome for every trial of it.
TrialResult runReference(Scenario scenario);
// Runs the trial and compares with `reference`.
TrialResult runTrial(const TrialPlan& plan, const Outcome& reference);

}  // namespace tro::testing::chaos
