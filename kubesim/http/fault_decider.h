#pragma once
// FaultDecider: the pure, seeded decision whether one request is faulted (fault_settings.h).
// Every request that matches the verb/resource filter draws the same number of random values,
// so the sequence of decisions depends only on the seed and the sequence of matching requests.
// Not thread-safe: the owner serialises calls.

#include <chrono>
#include <optional>
#include <random>

#include "kubesim/common/api_error.h"
#include "kubesim/http/fault_settings.h"
#include "kubesim/http/request_facts.h"

namespace kubesim::http {

struct FaultDecision {
  std::optional<ApiError> error;  // answer with this instead of asking the API core
  std::chrono::milliseconds latency{0};
  std::optional<std::chrono::milliseconds> cutWatchAfter;  // watches only: end the stream then
};

class FaultDecider {
 public:
  explicit FaultDecider(FaultSettings settings);
  const FaultSettings& settings() const { return settings_; }
  FaultDecision decide(const RequestFacts& facts);

 private:
  bool matches(const RequestFacts& facts) const;
  double draw();  // uniform in [0, 1)

  FaultSettings settings_;
  std::mt19937_64 random_;
};

// The errors, worded as kube-apiserver words them.
ApiError injectedError(int code, int retryAfterSeconds);
ApiError spuriousConflict(const RequestFacts& facts);

}  // namespace kubesim::http
