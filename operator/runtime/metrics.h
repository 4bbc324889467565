#pragma once
// A small Prometheus client. A Registry owns metric families (counter, gauge, histogram), each
// with fixed label names; family.labels({...}) returns a handle that stays valid for the
// registry's lifetime, so hot paths keep the handle instead of looking it up again:
//
//   Counter& ok = registry.counter("x_total", "Help.", {"controller", "result"})
//                     .labels({"rollout", "success"});
//   ok.inc();
//
// render() writes the text exposition format 0.0.4 the way client_golang does: families sorted by
// name, series sorted by label values, HELP/TYPE lines, escaped label values, histograms as
// cumulative _bucket{le=...} (ending with +Inf), _sum and _count. Families without series are
// omitted; a family with no label names has its single series from the start (value 0).
// All operations are thread-safe. Misuse (re-registering a name with another type, label names
// or buckets; a wrong number of label values) is a programming error and aborts.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tro::runtime {

class Counter {
 public:
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }  // v >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  void dec(double v = 1) { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upperBounds);
  void observe(double v);

  struct Snapshot {
    std::vector<double> upperBounds;     // sorted, without +Inf
    std::vector<std::uint64_t> buckets;  // cumulative counts, one per upper bound
    std::uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> upperBounds_;
  mutable std::mutex mu_;
  std::vector<std::uint64_t> counts_;  // non-cumulative; guarded by mu_
  std::uint64_t count_ = 0;            // guarded by mu_
  double sum_ = 0;                     // guarded by mu_
};

// controller-runtime's reconcile_time_seconds buckets; client_golang's DefBuckets.
std::vector<double> reconcileTimeBuckets();
std::vector<double> defaultBuckets();

enum class MetricType { Counter, Gauge, Histogram };

template <typename M>
class Family {
 public:
  Family(std::vector<std::string> labelNames, std::vector<double> buckets);
  // The series for these label values (one per label name), created on first use.
  M& labels(const std::vector<std::string>& values);
  const std::vector<std::string>& labelNames() const { return labelNames_; }

  // For render(): visits series in label-value order while holding the family's lock.
  template <typename F>
  void forEach(F&& f) const {
    std::lock_guard lock(mu_);
    for (const auto& [values, metric] : series_) f(values, *metric);
  }

 private:
  const std::vector<std::string> labelNames_;
  const std::vector<double> buckets_;  // histograms only
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;  // guarded by mu_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registering an existing name with the same type and label names returns the existing family.
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> labelNames = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> labelNames = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> labelNames = {},
                             std::vector<double> buckets = defaultBuckets());

  std::string render() const;

  struct Entry;

 private:
  Entry& findOrAdd(const std::string& name, const std::string& help, MetricType type,
                   std::vector<std::string> labelNames, std::vector<double> buckets);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> families_;  // guarded by mu_
};

// Prometheus' float formatting (Go's strconv 'g', shortest; +Inf, -Inf, NaN).
std::string formatMetricValue(double v);
// Escaping for label values (backslash, double quote, newline) and HELP text (backslash, newline).
std::string escapeLabelValue(const std::string& s);
std::string escapeHelp(const std::string& s);

}  // namespace tro::runtime
