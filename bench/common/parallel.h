#pragma once
// A fixed amount of work spread over client threads: `threads` clients take the indices
// 0..count-1 in order, each sending its next request as soon as the previous one was answered.
// For the fleet benchmarks' creates, deletes and watched patches, where (unlike a closed-loop
// load) every index must be done exactly once and the moment each answer arrived matters.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "operator/kube/error.h"
#include "operator/kube/resource.h"

namespace tro::bench {

struct ParallelResult {
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::string firstError;  // the first failure, for the report
  double seconds = 0;      // from the start to the last answer
  std::chrono::steady_clock::time_point lastAnswer{};
  // Per index: when its successful answer arrived here; nullopt when it failed.
  std::vector<std::optional<std::chrono::steady_clock::time_point>> answeredAt;
  double perSecond() const { return seconds > 0 ? succeeded / seconds : 0; }
};

// `request(index)` sends one request and returns its error, if any; it must be safe to call from
// several threads.
ParallelResult runEach(int count, int threads,
                       const std::function<std::optional<kube::Error>(int index)>& request);

// What a request function returns for one answer: its error, nullopt when it succeeded.
std::optional<kube::Error> errorOf(const kube::Result<kube::Json>& result);

}  // namespace tro::bench
