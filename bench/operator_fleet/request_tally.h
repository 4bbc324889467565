#pragma once
// One client's share of kubesim's request accounting (GET /kubesim/requests, rows of {verb,
// group, resource, subresource, fieldManager, userAgent, code, count}): the rows whose userAgent
// starts with a prefix, counted by kind. The operator's User-Agent is
// "telemetry-rollout-operator/<version> (<identity>)" (operator/app/run.cpp). Pure.
//
// Caveat: kubesim counts a watch when it is opened, so `watches` is the watches (re)opened in
// the span, not the watches open. Requests without a resource (non-resource paths such as the
// rollback lane's keep-warm GET /version) are counted in `nonResource` and under "(no
// resource)".

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace tro::bench {

inline constexpr const char* kOperatorUserAgent = "telemetry-rollout-operator";

struct RequestTally {
  std::uint64_t total = 0;
  std::uint64_t watches = 0;      // verb watch
  std::uint64_t conflicts = 0;    // answered 409
  std::uint64_t nonResource = 0;  // no resource in the path
  // Successful writes (create, update, patch) by what they wrote.
  std::uint64_t deploymentWrites = 0;  // deployments, no subresource
  std::uint64_t statusWrites = 0;      // telemetryrollouts/status
  std::uint64_t eventWrites = 0;       // events (core or events.k8s.io)
  // "<verb> <resource>[/<subresource>] <code>" -> count, e.g. "patch deployments 200".
  std::map<std::string, std::uint64_t> byKind;
  std::uint64_t beyondWatches() const { return total - watches; }
};

// The rows of `accounting` (kubesim's JSON) whose userAgent starts with `userAgentPrefix`.
RequestTally tallyRequests(const nlohmann::json& accounting, const std::string& userAgentPrefix);

}  // namespace tro::bench
