#include "bench/operator_fleet/metrics_text.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace tro::bench {
namespace {

// The number after the last space of a sample line ("name{...} 12"); nullopt when unparsable.
std::optional<double> sampleValue(const std::string& line) {
  const auto space = line.rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  const char* start = line.c_str() + space + 1;
  char* end = nullptr;
  const double value = std::strtod(start, &end);
  if (end == start) return std::nullopt;
  return value;
}

std::optional<double> boundOf(const std::string& le) {
  if (le == "+Inf") return std::numeric_limits<double>::infinity();
  char* end = nullptr;
  const double value = std::strtod(le.c_str(), &end);
  if (end == le.c_str()) return std::nullopt;
  return value;
}

bool startsWith(const std::string& line, const std::string& prefix) {
  return line.rfind(prefix, 0) == 0;
}

// One _bucket line into `out`; false when it is not a well-formed bucket of the series.
bool addBucket(const std::string& line, const std::string& prefix, HistogramSeries& out) {
  const auto close = line.find('"', prefix.size());
  if (close == std::string::npos) return false;
  const auto bound = boundOf(line.substr(prefix.size(), close - prefix.size()));
  const auto value = sampleValue(line);
  if (!bound || !value) return false;
  out.upperBounds.push_back(*bound);
  out.cumulative.push_back(*value);
  return true;
}

}  // namespace

std::optional<HistogramSeries> findHistogram(const std::string& page, const std::string& family,
                                             const std::string& labels) {
  const std::string bucket = family + "_bucket{" + labels + ",le=\"";
  const std::string sum = family + "_sum{" + labels + "} ";
  const std::string count = family + "_count{" + labels + "} ";
  HistogramSeries out;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (startsWith(line, bucket)) {
      if (!addBucket(line, bucket, out)) return std::nullopt;
    } else if (startsWith(line, sum)) {
      out.sum = sampleValue(line).value_or(0);
    } else if (startsWith(line, count)) {
      out.count = sampleValue(line).value_or(0);
    }
  }
  if (out.upperBounds.empty()) return std::nullopt;
  return out;
}

HistogramSeries histogramSince(const HistogramSeries& after,
                               const std::optional<HistogramSeries>& before) {
  if (!before || before->upperBounds != after.upperBounds) return after;
  HistogramSeries out = after;
  for (std::size_t i = 0; i < out.cumulative.size(); ++i) {
    out.cumulative[i] -= before->cumulative[i];
  }
  out.sum -= before->sum;
  out.count -= before->count;
  return out;
}

std::optional<double> histogramQuantile(const HistogramSeries& s, double q) {
  if (s.cumulative.empty() || s.cumulative.back() <= 0 || q <= 0 || q > 1) return std::nullopt;
  const double rank = q * s.cumulative.back();
  std::size_t b = 0;
  while (b + 1 < s.cumulative.size() && s.cumulative[b] < rank) ++b;
  if (std::isinf(s.upperBounds[b])) {
    // Prometheus: a rank in the +Inf bucket is reported as the highest finite bound.
    if (b == 0) return std::nullopt;
    return s.upperBounds[b - 1];
  }
  const double start = b == 0 ? 0.0 : s.upperBounds[b - 1];
  const double below = b == 0 ? 0.0 : s.cumulative[b - 1];
  const double inBucket = s.cumulative[b] - below;
  if (inBucket <= 0 || s.upperBounds[b] <= start) return s.upperBounds[b];
  return start + (s.upperBounds[b] - start) * (rank - below) / inBucket;
}

double familyTotal(const std::string& page, const std::string& family) {
  double total = 0;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (!startsWith(line, family + "{") && !startsWith(line, family + " ")) continue;
    total += sampleValue(line).value_or(0);
  }
  return total;
}

}  // namespace tro::bench
