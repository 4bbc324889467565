#include "operator/runtime/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace tro::runtime {

namespace {

[[noreturn]] void misuse(const std::string& what) {
  std::fprintf(stderr, "metrics: programming error: %s\n", what.c_str());
  std::abort();
}

std::string_view typeName(MetricType t) {
  switch (t) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Histogram:
      return "histogram";
  }
  return "untyped";
}

// `name{a="x",b="y"}` (or just `name`); `extra` appends one more pair, e.g. le="0.5".
void appendSeries(std::string& out, const std::string& name,
                  const std::vector<std::string>& labelNames,
                  const std::vector<std::string>& values, const std::string& extraName = {},
                  const std::string& extraValue = {}) {
  out += name;
  if (labelNames.empty() && extraName.empty()) return;
  out += '{';
  bool first = true;
  auto pair = [&](const std::string& k, const std::string& v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    out += escapeLabelValue(v);
    out += '"';
  };
  for (std::size_t i = 0; i < labelNames.size(); ++i) pair(labelNames[i], values[i]);
  if (!extraName.empty()) pair(extraName, extraValue);
  out += '}';
}

void appendSample(std::string& out, const std::string& name,
                  const std::vector<std::string>& labelNames,
                  const std::vector<std::string>& values, double v,
                  const std::string& extraName = {}, const std::string& extraValue = {}) {
  appendSeries(out, name, labelNames, values, extraName, extraValue);
  out += ' ';
  out += formatMetricValue(v);
  out += '\n';
}

}  // namespace

std::string formatMetricValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return "0";  // also turns -0 into 0, as Go does for the zero value
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  // Go's 'g' with shortest precision switches to %e when the decimal exponent is < -4 or >= 6
  // (strconv/ftoa.go: "if shortest { eprec = 6 }"), e.g. 1e+06 and 1.5e-05.
  int exp = std::atoi(s.c_str() + s.find('e') + 1);
  if (exp < -4 || exp >= 6) return s;
  auto fix = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, fix.ptr);
}

std::string escapeLabelValue(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escapeHelp(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<double> defaultBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> reconcileTimeBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1,  0.15, 0.2,  0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
          0.7,   0.8,  0.9,   1.0,  1.25, 1.5,  1.75, 2.0,  2.5, 3.0,  3.5, 4.0,  4.5, 5,
          6,     7,    8,     9,    10,   15,   20,   25,   30,  40,   50,  60};
}

Histogram::Histogram(std::vector<double> upperBounds)
    : upperBounds_([&] {
        std::sort(upperBounds.begin(), upperBounds.end());
        upperBounds.erase(std::unique(upperBounds.begin(), upperBounds.end()), upperBounds.end());
        // +Inf is implicit: the total count is the +Inf bucket.
        while (!upperBounds.empty() && std::isinf(upperBounds.back())) upperBounds.pop_back();
        return upperBounds;
      }()),
      counts_(upperBounds_.size(), 0) {}

void Histogram::observe(double v) {
  auto it = std::lower_bound(upperBounds_.begin(), upperBounds_.end(), v);  // first bound >= v
  std::lock_guard lock(mu_);
  if (it != upperBounds_.end()) ++counts_[static_cast<std::size_t>(it - upperBounds_.begin())];
  ++count_;
  sum_ += v;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.upperBounds = upperBounds_;
  std::lock_guard lock(mu_);
  std::uint64_t cumulative = 0;
  for (auto c : counts_) {
    cumulative += c;
    s.buckets.push_back(cumulative);
  }
  s.count = count_;
  s.sum = sum_;
  return s;
}

template <typename M>
Family<M>::Family(std::vector<std::string> labelNames, std::vector<double> buckets)
    : labelNames_(std::move(labelNames)), buckets_(std::move(buckets)) {
  if (labelNames_.empty()) labels({});
}

template <typename M>
M& Family<M>::labels(const std::vector<std::string>& values) {
  if (values.size() != labelNames_.size()) {
    misuse("got " + std::to_string(values.size()) + " label values for " +
           std::to_string(labelNames_.size()) + " label names");
  }
  std::lock_guard lock(mu_);
  auto& slot = series_[values];
  if (!slot) {
    if constexpr (std::is_same_v<M, Histogram>) {
      slot = std::make_unique<Histogram>(buckets_);
    } else {
      slot = std::make_unique<M>();
    }
  }
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
  std::string help;
  MetricType type;
  std::vector<std::string> labelNames;
  std::vector<double> buckets;
  std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
               std::unique_ptr<HistogramFamily>>
      family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::findOrAdd(const std::string& name, const std::string& help,
                                     MetricType type, std::vector<std::string> labelNames,
                                     std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    const Entry& e = *it->second;
    if (e.type != type || e.labelNames != labelNames || e.buckets != buckets) {
      misuse("metric " + name + " registered twice with different type, labels or buckets");
    }
    return *it->second;
  }
  auto e = std::make_unique<Entry>();
  e->help = help;
  e->type = type;
  e->labelNames = labelNames;
  e->buckets = buckets;
  switch (type) {
    case MetricType::Counter:
      e->family = std::make_unique<CounterFamily>(std::move(labelNames), std::vector<double>{});
      break;
    case MetricType::Gauge:
      e->family = std::make_unique<GaugeFamily>(std::move(labelNames), std::vector<double>{});
      break;
    case MetricType::Histogram:
      e->family = std::make_unique<HistogramFamily>(std::move(labelNames), std::move(buckets));
      break;
  }
  return *families_.emplace(name, std::move(e)).first->second;
}

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> labelNames) {
  return *std::get<std::unique_ptr<CounterFamily>>(
      findOrAdd(name, help, MetricType::Counter, std::move(labelNames), {}).family);
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help,
                             std::vector<std::string> labelNames) {
  return *std::get<std::unique_ptr<GaugeFamily>>(
      findOrAdd(name, help, MetricType::Gauge, std::move(labelNames), {}).family);
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> labelNames,
                                     std::vector<double> buckets) {
  return *std::get<std::unique_ptr<HistogramFamily>>(
      findOrAdd(name, help, MetricType::Histogram, std::move(labelNames), std::move(buckets))
          .family);
}

namespace {

std::string renderHistogramSeries(const std::string& name, const std::vector<std::string>& labels,
                                  const std::vector<std::string>& values, const Histogram& h) {
  std::string out;
  Histogram::Snapshot s = h.snapshot();
  for (std::size_t i = 0; i < s.upperBounds.size(); ++i) {
    appendSample(out, name + "_bucket", labels, values, static_cast<double>(s.buckets[i]), "le",
                 formatMetricValue(s.upperBounds[i]));
  }
  appendSample(out, name + "_bucket", labels, values, static_cast<double>(s.count), "le", "+Inf");
  appendSample(out, name + "_sum", labels, values, s.sum);
  appendSample(out, name + "_count", labels, values, static_cast<double>(s.count));
  return out;
}

}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [familyName, entry] : families_) {
    // A named reference, not the binding: clang before 16 cannot capture structured bindings.
    const std::string& name = familyName;
    std::string body;
    const auto& labels = entry->labelNames;
    std::visit(
        [&](const auto& family) {
          family->forEach([&](const std::vector<std::string>& values, const auto& metric) {
            using M = std::remove_cvref_t<decltype(metric)>;
            if constexpr (std::is_same_v<M, Histogram>) {
              body += renderHistogramSeries(name, labels, values, metric);
            } else {
              appendSample(body, name, labels, values, metric.value());
            }
          });
        },
        entry->family);
    if (body.empty()) continue;
    out += "# HELP " + name + " " + escapeHelp(entry->help) + "\n";
    out += "# TYPE " + name + " " + std::string(typeName(entry->type)) + "\n";
    out += body;
  }
  return out;
}

}  // namespace tro::runtime
