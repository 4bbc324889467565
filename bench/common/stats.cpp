#include "bench/common/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tro::bench {

double percentileOfSorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Summary summarize(std::vector<double> samples) {
  Summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  s.min = samples.front();
  s.max = samples.back();
  s.median = percentileOfSorted(samples, 50);
  s.p90 = percentileOfSorted(samples, 90);
  s.p99 = percentileOfSorted(samples, 99);
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size();
  return s;
}

}  // namespace tro::bench
