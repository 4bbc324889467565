#pragma once
// Reading the operator's own /metrics page (Prometheus text format, as operator/runtime/metrics
// renders it): one histogram series by family and labels, the difference of two scrapes, and
// quantiles interpolated within buckets the way Prometheus' histogram_quantile() does (linear
// within the bucket that holds the rank; a rank in the +Inf bucket gives the highest finite
// bound). Pure.

#include <optional>
#include <string>
#include <vector>

namespace tro::bench {

struct HistogramSeries {
  std::vector<double> upperBounds;  // ascending, the last one +Inf
  std::vector<double> cumulative;   // observations <= each bound
  double sum = 0;
  double count = 0;
};

// The series `family`{`labels`} (labels as rendered, e.g. controller="telemetryrollout"), from
// its _bucket, _sum and _count lines; nullopt when the page has no bucket of it.
std::optional<HistogramSeries> findHistogram(const std::string& page, const std::string& family,
                                             const std::string& labels);
// after - before, bucket by bucket: the observations made between the two scrapes. Without
// `before` (the series did not exist yet) or with other bounds, `after` itself.
HistogramSeries histogramSince(const HistogramSeries& after,
                               const std::optional<HistogramSeries>& before);
// The q-quantile (0 < q <= 1); nullopt without observations.
std::optional<double> histogramQuantile(const HistogramSeries& series, double q);
// The sum of every sample of counter or gauge `family` (all label sets); 0 when it has none.
double familyTotal(const std::string& page, const std::string& family);

}  // namespace tro::bench
