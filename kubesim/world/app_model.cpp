#include "kubesim/world/app_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kubesim::world {
namespace {

constexpr double kBucketBounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
// Latency shape around the mean: (share of requests, multiple of the mean); the mean is exact.
constexpr std::pair<double, double> kLatencyShape[] = {{0.5, 0.6}, {0.4, 1.2}, {0.1, 2.2}};
constexpr double kTelemetryLatencyOverhead = 1.15;
constexpr double kTelemetryCpuOverhead = 1.10;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kCollectorMemory = 48 * kMiB;

std::string escape(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// The label set of a series without its braces; `pod` is left out when null (aggregates).
std::string labels(const std::string& ns, const std::string& deployment, const std::string* pod,
                   const std::string& container) {
  std::string out = "namespace=\"" + escape(ns) + "\",deployment=\"" + escape(deployment) + "\"";
  if (pod) out += ",pod=\"" + escape(*pod) + "\"";
  out += ",container=\"" + escape(container) + "\"";
  return out;
}

// Shortest text that reads back as the same double (Prometheus parses any float form): exact for
// the large counters of a fleet, where a fixed number of digits would freeze them.
void appendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (v == 0) v = 0;  // no "-0"
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

// Whole events so far: counters of discrete things never show fractions.
double count(double v) { return std::floor(v); }

// One sample: name{labels extra} value
void sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view extra, double value) {
  out += name;
  out += '{';
  out += labels;
  out += extra;
  out += "} ";
  appendNumber(out, value);
  out += '\n';
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

double appMemory(const PodProfile& profile) { return (profile.telemetryOn ? 72 : 64) * kMiB; }

}  // namespace

AppModel::Counters& AppModel::Counters::operator+=(const Counters& d) {
  ok += d.ok;
  errors += d.errors;
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += d.buckets[i];
  durationSum += d.durationSum;
  cpu += d.cpu;
  spansAccepted += d.spansAccepted;
  spansSent += d.spansSent;
  spansFailed += d.spansFailed;
  return *this;
}

void AppModel::upsert(const std::string& uid, const PodIdentity& id, const PodProfile& profile,
                      const Behaviour& behaviour, bool serving, tro::base::TimePoint now) {
  auto [it, inserted] = pods_.try_emplace(uid);
  Pod& p = it->second;
  if (inserted) {
    p.last = now;
  } else {
    account(p, now);
  }
  const bool rekey = inserted || p.id.ns != id.ns || p.id.deployment != id.deployment ||
                     p.profile.appContainer != profile.appContainer ||
                     p.profile.collectorContainer != profile.collectorContainer;
  if (rekey) detach(p);
  p.id = id;
  p.profile = profile;
  p.behaviour = behaviour;
  p.serving = serving;
  if (rekey) attach(p);
  for (Aggregate* a : {p.appAggregate, p.collectorAggregate}) {
    if (a != nullptr) a->perPod = behaviour.perPodMetrics;
  }
}

void AppModel::retain(const std::map<std::string, bool>& alive) {
  for (auto it = pods_.begin(); it != pods_.end();) {
    if (alive.contains(it->first)) {
      ++it;
      continue;
    }
    detach(it->second);
    it = pods_.erase(it);
  }
}

void AppModel::advance(tro::base::TimePoint now) {
  for (auto& [uid, p] : pods_) account(p, now);
  std::erase_if(aggregates_, [&](const auto& kv) {
    return kv.second.pods == 0 && now - kv.second.idleSince >= kIdleAggregateTtl;
  });
}

void AppModel::attach(Pod& p) {
  auto join = [&](const std::string& container) {
    Aggregate& a = aggregates_[AggregateKey{p.id.ns, p.id.deployment, container}];
    ++a.pods;
    return &a;
  };
  p.appAggregate = join(p.profile.appContainer);
  p.appAggregate->app = true;
  if (!p.profile.collectorContainer.empty()) {
    p.collectorAggregate = join(p.profile.collectorContainer);
    p.collectorAggregate->collector = true;
  }
}

void AppModel::detach(Pod& p) {
  for (Aggregate** a : {&p.appAggregate, &p.collectorAggregate}) {
    if (!*a) continue;
    if (--(*a)->pods == 0) (*a)->idleSince = std::max((*a)->idleSince, p.last);
    *a = nullptr;
  }
}

void AppModel::account(Pod& p, tro::base::TimePoint now) {
  if (now <= p.last) return;
  const double dt = std::chrono::duration<double>(now - p.last).count();
  p.last = now;
  const Behaviour& b = p.behaviour;
  const bool telemetry = p.profile.telemetryOn;
  const bool hasCollector = !p.profile.collectorContainer.empty();
  const double cpuFactor = telemetry ? kTelemetryCpuOverhead : 1.0;
  const double rate = p.serving ? b.requestRate : 0.0;
  Counters app, sidecar;  // this step's increments
  app.cpu = dt * (0.05 + 0.002 * rate) * cpuFactor;
  if (hasCollector) sidecar.cpu = dt * (0.01 + 0.0005 * rate);
  if (p.serving) {
    const double n = rate * dt;
    app.ok = n * (1.0 - b.errorRatio);
    app.errors = n * b.errorRatio;
    const double mean = b.latencySeconds * (telemetry ? kTelemetryLatencyOverhead : 1.0);
    for (const auto& [share, multiple] : kLatencyShape) {
      const double latency = mean * multiple;
      for (std::size_t i = 0; i < std::size(kBucketBounds); ++i) {
        if (latency <= kBucketBounds[i]) app.buckets[i] += n * share;
      }
      app.buckets.back() += n * share;
    }
    app.durationSum = n * mean;
    if (telemetry && hasCollector) {
      sidecar.spansAccepted = n;
      sidecar.spansSent = n * (1.0 - b.exportFailureRatio);
      sidecar.spansFailed = n * b.exportFailureRatio;
    }
  }
  p.app += app;
  if (p.appAggregate) p.appAggregate->sums += app;
  if (hasCollector) {
    p.sidecar += sidecar;
    if (p.collectorAggregate) p.collectorAggregate->sums += sidecar;
  }
}

std::string AppModel::render() const {
  // One container's series, per pod or per Deployment.
  struct Row {
    std::string labels;
    const Counters* counters = nullptr;
    bool app = false;        // request and latency series
    bool collector = false;  // otelcol_* series
    bool live = false;       // gauges: memory, and for a collector the queue
    double memory = 0;
    double queueSize = 0;
  };
  // Batches waiting: the share of spans the exporter fails to send, as a share of the queue.
  auto queueSize = [](const Pod& p) {
    const bool busy = p.serving && p.profile.telemetryOn;
    return busy ? std::min(kExporterQueueCapacity,
                           std::round(kExporterQueueCapacity * p.behaviour.exportFailureRatio))
                : 0.0;
  };
  std::vector<Row> rows;
  auto podRows = [&](const Pod& p) {
    rows.push_back({labels(p.id.ns, p.id.deployment, &p.id.pod, p.profile.appContainer), &p.app,
                    true, false, true, appMemory(p.profile), 0});
    if (p.profile.collectorContainer.empty()) return;
    rows.push_back({labels(p.id.ns, p.id.deployment, &p.id.pod, p.profile.collectorContainer),
                    &p.sidecar, false, true, true, kCollectorMemory, queueSize(p)});
  };
  if (!aggregated()) {
    rows.reserve(pods_.size() * 2);
    for (const auto& [uid, p] : pods_) podRows(p);
  } else {
    struct Gauges {
      double memory = 0, queueSize = 0;
    };
    std::unordered_map<const Aggregate*, Gauges> gauges;
    gauges.reserve(aggregates_.size());
    for (const auto& [uid, p] : pods_) {
      if (p.behaviour.perPodMetrics) podRows(p);
      if (p.appAggregate) gauges[p.appAggregate].memory += appMemory(p.profile);
      if (p.collectorAggregate) {
        Gauges& g = gauges[p.collectorAggregate];
        g.memory += kCollectorMemory;
        g.queueSize = std::max(g.queueSize, queueSize(p));
      }
    }
    rows.reserve(aggregates_.size());
    for (const auto& [key, a] : aggregates_) {
      if (a.perPod) continue;
      auto g = gauges.find(&a);
      const bool live = g != gauges.end();
      rows.push_back({labels(key.ns, key.deployment, nullptr, key.container), &a.sums, a.app,
                      a.collector, live, live ? g->second.memory : 0,
                      live ? g->second.queueSize : 0});
    }
  }

  std::size_t labelBytes = 0;
  for (const Row& r : rows) labelBytes += r.labels.size();
  // About 20 samples a row of up to ~70 bytes besides the labels, and the families' headers.
  std::string out;
  out.reserve(labelBytes * 20 + rows.size() * 20 * 72 + 2048);

  family(out, "http_requests_total", "counter", "Requests served by the application.");
  for (const Row& r : rows) {
    if (!r.app) continue;
    sample(out, "http_requests_total", r.labels, ",code=\"200\"", count(r.counters->ok));
    sample(out, "http_requests_total", r.labels, ",code=\"500\"", count(r.counters->errors));
  }
  family(out, "http_request_duration_seconds", "histogram", "Request latency.");
  std::array<std::string, std::size(kBucketBounds)> le;
  for (std::size_t i = 0; i < le.size(); ++i) {
    le[i] = ",le=\"";
    appendNumber(le[i], kBucketBounds[i]);
    le[i] += '"';
  }
  for (const Row& r : rows) {
    if (!r.app) continue;
    const Counters& c = *r.counters;
    for (std::size_t i = 0; i < le.size(); ++i) {
      sample(out, "http_request_duration_seconds_bucket", r.labels, le[i], count(c.buckets[i]));
    }
    sample(out, "http_request_duration_seconds_bucket", r.labels, ",le=\"+Inf\"",
           count(c.buckets.back()));
    sample(out, "http_request_duration_seconds_sum", r.labels, "", c.durationSum);
    sample(out, "http_request_duration_seconds_count", r.labels, "", count(c.buckets.back()));
  }
  family(out, "container_cpu_usage_seconds_total", "counter", "CPU time used by the container.");
  for (const Row& r : rows) {
    sample(out, "container_cpu_usage_seconds_total", r.labels, "", r.counters->cpu);
  }
  family(out, "container_memory_working_set_bytes", "gauge", "Working set of the container.");
  for (const Row& r : rows) {
    if (r.live) sample(out, "container_memory_working_set_bytes", r.labels, "", r.memory);
  }
  struct Otel {
    const char* name;
    const char* type;
    const char* help;
    double Counters::*field;
  };
  const Otel otel[] = {
      {"otelcol_receiver_accepted_spans", "counter", "Spans accepted by the collector.",
       &Counters::spansAccepted},
      {"otelcol_exporter_sent_spans", "counter", "Spans exported by the collector.",
       &Counters::spansSent},
      {"otelcol_exporter_send_failed_spans", "counter", "Spans the collector failed to export.",
       &Counters::spansFailed},
  };
  for (const Otel& o : otel) {
    family(out, o.name, o.type, o.help);
    for (const Row& r : rows) {
      if (r.collector) sample(out, o.name, r.labels, "", count(r.counters->*(o.field)));
    }
  }
  family(out, "otelcol_exporter_queue_size", "gauge", "Batches waiting in the export queue.");
  for (const Row& r : rows) {
    if (r.collector && r.live) {
      sample(out, "otelcol_exporter_queue_size", r.labels, "", r.queueSize);
    }
  }
  family(out, "otelcol_exporter_queue_capacity", "gauge", "Capacity of the export queue.");
  for (const Row& r : rows) {
    if (r.collector && r.live) {
      sample(out, "otelcol_exporter_queue_capacity", r.labels, "", kExporterQueueCapacity);
    }
  }
  return out;
}

}  // namespace kubesim::world
