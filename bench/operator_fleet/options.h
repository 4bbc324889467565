#pragma once
// The operator fleet benchmark's settings. A case is a fleet of N Deployments with M rollouts,
// written "<N>x<M>" on the command line; parseCases() is pure.

#include <chrono>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::bench {

struct CaseSpec {
  int deployments = 0;  // N: a positive multiple of 100 (whole groups, rollout_manifest.h)
  int rollouts = 0;     // M: 1 .. maxRollouts(N)
};
std::string toString(const CaseSpec& spec);  // "5000x500"

struct FleetBenchOptions {
  std::vector<CaseSpec> cases{{1000, 50}, {5000, 500}};
  int threads = 4;  // client threads creating the Deployments and the rollouts
  // The steady-state window: how long the operator's requests are counted while every rollout
  // holds in its canary window.
  std::chrono::seconds steadyWindow{30};
  // From the first rollout create to every rollout holding in its window. Generous: at the
  // operator's default --kube-api-qps (20) the wave of 500 rollouts alone takes minutes.
  std::chrono::seconds waveTimeout{900};
  std::string kubeApiQps;    // the operator's --kube-api-qps; "" = its default
  std::string kubeApiBurst;  // ... --kube-api-burst
  int listLimit = 500;       // the raw paged LIST, as the operator's informers page
};

// "1000x50,5000x500" -> cases. Error: the first item that is not "<N>x<M>" with N a positive
// multiple of 100 and 1 <= M <= maxRollouts(N).
base::Result<std::vector<CaseSpec>, std::string> parseCases(const std::string& text);

}  // namespace tro::bench
