#include "bench/kubesim_throughput/load.h"

#include <atomic>
#include <thread>
#include <vector>

namespace tro::bench {
namespace {

struct ThreadTally {
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::string firstError;
  std::vector<double> latencyMs;
};

}  // namespace

LoadResult runLoad(const std::string& name, const LoadOptions& options, const Request& request) {
  using Steady = std::chrono::steady_clock;
  std::vector<ThreadTally> tallies(static_cast<std::size_t>(options.threads));
  std::atomic<std::uint64_t> sent{0};
  const auto start = Steady::now();
  const auto until = start + options.duration;
  {
    std::vector<std::jthread> clients;
    for (int t = 0; t < options.threads; ++t) {
      clients.emplace_back([&, t] {
        ThreadTally& tally = tallies[static_cast<std::size_t>(t)];
        for (;;) {
          const std::uint64_t seq = sent.fetch_add(1);
          if (seq >= options.maxRequests || Steady::now() >= until) return;
          const auto before = Steady::now();
          const std::optional<kube::Error> error = request(t, seq);
          tally.latencyMs.push_back(
              std::chrono::duration<double, std::milli>(Steady::now() - before).count());
          if (!error) {
            ++tally.succeeded;
          } else if (tally.failed++ == 0) {
            tally.firstError = error->toString();
          }
        }
      });
    }
  }  // joins every client
  LoadResult out;
  out.name = name;
  out.threads = options.threads;
  out.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  std::vector<double> latencies;
  for (ThreadTally& t : tallies) {
    out.succeeded += t.succeeded;
    out.failed += t.failed;
    if (out.firstError.empty()) out.firstError = t.firstError;
    latencies.insert(latencies.end(), t.latencyMs.begin(), t.latencyMs.end());
  }
  out.requestsPerSecond = out.seconds > 0 ? (out.succeeded + out.failed) / out.seconds : 0;
  out.latencyMs = summarize(std::move(latencies));
  return out;
}

}  // namespace tro::bench
