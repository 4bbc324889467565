#pragma once
// FaultSettings: how kubesim's API misbehaves on purpose, as real control planes do (issue 4).
// Set at start by --fault-* flags and changed at run time through POST /kubesim/faults (see
// ops_backend.h). Shares are probabilities in [0, 1] drawn from a generator seeded with `seed`,
// so a test that sets the same settings sees the same sequence of faults.
//   errorShare/errorCode    answer 429, 500 or 503 instead of the API core
//   retryAfterSeconds       Retry-After header and details.retryAfterSeconds (429 always gets >= 1)
//   conflictShare           spurious 409 Conflict on update/patch/delete of a named object
//   verbs/resources         limit the above and `latency` to these verbs ("get", "patch", ...)
//                           and resources ("deployments" or "deployments.apps"); empty = all
//   latency                 added before answering each matching request
//   watchCutShare/After     share of new watches cut after a random time in [0, watchCutAfter]
// Caveat: client-go retries 429 and 5xx answers carrying Retry-After by itself (up to 10 times),
// so a 503 without Retry-After is what makes kubectl fail at once.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::http {

struct FaultSettings {
  std::uint64_t seed = 1;
  double errorShare = 0.0;
  int errorCode = 503;
  int retryAfterSeconds = 0;
  double conflictShare = 0.0;
  std::vector<std::string> verbs;
  std::vector<std::string> resources;
  std::chrono::milliseconds latency{0};
  double watchCutShare = 0.0;
  std::chrono::milliseconds watchCutAfter{5000};

  bool operator==(const FaultSettings&) const = default;
};

// JSON form used by GET/POST /kubesim/faults: seed, errorShare, errorCode, retryAfterSeconds,
// conflictShare, verbs, resources, latencyMs, watchCutShare, watchCutAfterMs.
Json faultSettingsToJson(const FaultSettings& settings);
// `base` with the fields present in `patch` replaced; unknown fields are rejected. Error: 400
// BadRequest naming the field and the accepted values.
Result<FaultSettings> mergeFaultSettings(FaultSettings base, const Json& patch);
// Range checks shared by flags and the control endpoint; error text names the field.
std::string checkFaultSettings(const FaultSettings& settings);

}  // namespace kubesim::http
