#include "bench/common/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

struct ThreadTally {
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::string firstError;
  Steady::time_point lastAnswer{};
};

}  // namespace

std::optional<kube::Error> errorOf(const kube::Result<kube::Json>& result) {
  if (result.ok()) return std::nullopt;
  return result.error();
}

ParallelResult runEach(int count, int threads,
                       const std::function<std::optional<kube::Error>(int index)>& request) {
  ParallelResult out;
  out.answeredAt.resize(static_cast<std::size_t>(std::max(count, 0)));
  std::vector<ThreadTally> tallies(static_cast<std::size_t>(std::max(threads, 1)));
  std::atomic<int> next{0};
  const auto start = Steady::now();
  {
    std::vector<std::jthread> clients;
    for (std::size_t t = 0; t < tallies.size(); ++t) {
      clients.emplace_back([&, t] {
        ThreadTally& tally = tallies[t];
        for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
          const std::optional<kube::Error> error = request(i);
          const auto answered = Steady::now();
          tally.lastAnswer = std::max(tally.lastAnswer, answered);
          if (!error) {
            ++tally.succeeded;
            out.answeredAt[static_cast<std::size_t>(i)] = answered;  // one writer per index
          } else if (tally.failed++ == 0) {
            tally.firstError = error->toString();
          }
        }
      });
    }
  }  // joins every client
  out.lastAnswer = start;
  for (const ThreadTally& t : tallies) {
    out.succeeded += t.succeeded;
    out.failed += t.failed;
    if (out.firstError.empty()) out.firstError = t.firstError;
    out.lastAnswer = std::max(out.lastAnswer, t.lastAnswer);
  }
  out.seconds = std::chrono::duration<double>(out.lastAnswer - start).count();
  return out;
}

}  // namespace tro::bench
