#pragma once
// Closed-loop load against the API: `threads` clients, each sending its next request as soon as
// the previous one was answered, until `duration` passes or `maxRequests` were sent in total.
// Throughput is completed requests (any answer) divided by the time the last client finished;
// latency is per request, measured on this side of loopback HTTPS.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "bench/common/stats.h"
#include "operator/kube/error.h"

namespace tro::bench {

struct LoadOptions {
  int threads = 4;
  std::chrono::milliseconds duration{std::chrono::seconds(5)};
  std::uint64_t maxRequests = 200000;
};

struct LoadResult {
  std::string name;
  int threads = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::string firstError;  // the first failure, for the report
  double seconds = 0;
  double requestsPerSecond = 0;
  Summary latencyMs;
};

// `request(thread, sequence)` sends one request and returns its error, if any; it must be safe to
// call from several threads.
using Request = std::function<std::optional<kube::Error>(int thread, std::uint64_t sequence)>;

LoadResult runLoad(const std::string& name, const LoadOptions& options, const Request& request);

}  // namespace tro::bench
