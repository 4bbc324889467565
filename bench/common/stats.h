#pragma once
// Order statistics of a set of measurements (seconds, requests per second, ...). Pure.
// Percentiles use the nearest-rank method on the sorted samples, so every reported figure is a
// value that was actually measured.

#include <cstddef>
#include <vector>

namespace tro::bench {

struct Summary {
  std::size_t count = 0;
  double min = 0;
  double median = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

// All zero for an empty set.
Summary summarize(std::vector<double> samples);

// Nearest-rank percentile (0 < p <= 100) of sorted samples; 0 for an empty set.
double percentileOfSorted(const std::vector<double>& sorted, double p);

}  // namespace tro::bench
