#include "kubesim/world/app_model.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace kubesim::world {
namespace {

constexpr double kBucketBounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
// Latency shape around the mean: (share of requests, multiple of the mean); the mean is exact.
constexpr std::pair<double, double> kLatencyShape[] = {{0.5, 0.6}, {0.4, 1.2}, {0.1, 2.2}};
constexpr double kTelemetryLatencyOverhead = 1.15;
constexpr double kTelemetryCpuOverhead = 1.10;
constexpr double kMiB = 1024.0 * 1024.0;

std::string escape(const std::string& v) {
  std::string out;
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

std::string labels(const PodIdentity& id, const std::string& container) {
  return "namespace=\"" + escape(id.ns) + "\",deployment=\"" + escape(id.deployment) + "\",pod=\"" +
         escape(id.pod) + "\",container=\"" + escape(container) + "\"";
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Whole events so far: counters of discrete things never show fractions.
std::string count(double v) { return fmt(std::floor(v)); }

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

void AppModel::upsert(const std::string& uid, const PodIdentity& id, const PodProfile& profile,
                      const Behaviour& behaviour, bool serving, tro::base::TimePoint now) {
  auto [it, inserted] = pods_.try_emplace(uid);
  Pod& p = it->second;
  if (inserted) {
    p.last = now;
  } else {
    account(p, now);
  }
  p.id = id;
  p.profile = profile;
  p.behaviour = behaviour;
  p.serving = serving;
}

void AppModel::retain(const std::map<std::string, bool>& alive) {
  std::erase_if(pods_, [&](const auto& kv) { return !alive.contains(kv.first); });
}

void AppModel::advance(tro::base::TimePoint now) {
  for (auto& [uid, p] : pods_) account(p, now);
}

void AppModel::account(Pod& p, tro::base::TimePoint now) {
  if (now <= p.last) return;
  const double dt = std::chrono::duration<double>(now - p.last).count();
  p.last = now;
  const Behaviour& b = p.behaviour;
  const bool telemetry = p.profile.telemetryOn;
  const double cpuFactor = telemetry ? kTelemetryCpuOverhead : 1.0;
  const double rate = p.serving ? b.requestRate : 0.0;
  p.appCpu += dt * (0.05 + 0.002 * rate) * cpuFactor;
  if (!p.profile.collectorContainer.empty()) p.sidecarCpu += dt * (0.01 + 0.0005 * rate);
  if (!p.serving) return;
  const double n = rate * dt;
  p.ok += n * (1.0 - b.errorRatio);
  p.errors += n * b.errorRatio;
  const double mean = b.latencySeconds * (telemetry ? kTelemetryLatencyOverhead : 1.0);
  for (const auto& [share, multiple] : kLatencyShape) {
    const double latency = mean * multiple;
    for (std::size_t i = 0; i < std::size(kBucketBounds); ++i) {
      if (latency <= kBucketBounds[i]) p.buckets[i] += n * share;
    }
    p.buckets.back() += n * share;
  }
  p.durationSum += n * mean;
  if (telemetry && !p.profile.collectorContainer.empty()) {
    p.spansAccepted += n;
    p.spansSent += n * (1.0 - b.exportFailureRatio);
    p.spansFailed += n * b.exportFailureRatio;
  }
}

std::string AppModel::render() const {
  std::ostringstream out;
  family(out, "http_requests_total", "counter", "Requests served by the application.");
  for (const auto& [uid, p] : pods_) {
    const std::string l = labels(p.id, p.profile.appContainer);
    out << "http_requests_total{" << l << ",code=\"200\"} " << count(p.ok) << '\n';
    out << "http_requests_total{" << l << ",code=\"500\"} " << count(p.errors) << '\n';
  }
  family(out, "http_request_duration_seconds", "histogram", "Request latency.");
  for (const auto& [uid, p] : pods_) {
    const std::string l = labels(p.id, p.profile.appContainer);
    for (std::size_t i = 0; i < std::size(kBucketBounds); ++i) {
      out << "http_request_duration_seconds_bucket{" << l << ",le=\"" << fmt(kBucketBounds[i])
          << "\"} " << count(p.buckets[i]) << '\n';
    }
    out << "http_request_duration_seconds_bucket{" << l << ",le=\"+Inf\"} "
        << count(p.buckets.back()) << '\n';
    out << "http_request_duration_seconds_sum{" << l << "} " << fmt(p.durationSum) << '\n';
    out << "http_request_duration_seconds_count{" << l << "} " << count(p.buckets.back()) << '\n';
  }
  family(out, "container_cpu_usage_seconds_total", "counter", "CPU time used by the container.");
  for (const auto& [uid, p] : pods_) {
    out << "container_cpu_usage_seconds_total{" << labels(p.id, p.profile.appContainer) << "} "
        << fmt(p.appCpu) << '\n';
    if (!p.profile.collectorContainer.empty()) {
      out << "container_cpu_usage_seconds_total{" << labels(p.id, p.profile.collectorContainer)
          << "} " << fmt(p.sidecarCpu) << '\n';
    }
  }
  family(out, "container_memory_working_set_bytes", "gauge", "Working set of the container.");
  for (const auto& [uid, p] : pods_) {
    const double app = (p.profile.telemetryOn ? 72 : 64) * kMiB;
    out << "container_memory_working_set_bytes{" << labels(p.id, p.profile.appContainer) << "} "
        << fmt(app) << '\n';
    if (!p.profile.collectorContainer.empty()) {
      out << "container_memory_working_set_bytes{" << labels(p.id, p.profile.collectorContainer)
          << "} " << fmt(48 * kMiB) << '\n';
    }
  }
  struct Otel {
    const char* name;
    const char* type;
    const char* help;
    double Pod::*field;
  };
  const Otel otel[] = {
      {"otelcol_receiver_accepted_spans", "counter", "Spans accepted by the collector.",
       &Pod::spansAccepted},
      {"otelcol_exporter_sent_spans", "counter", "Spans exported by the collector.",
       &Pod::spansSent},
      {"otelcol_exporter_send_failed_spans", "counter", "Spans the collector failed to export.",
       &Pod::spansFailed},
  };
  for (const Otel& o : otel) {
    family(out, o.name, o.type, o.help);
    for (const auto& [uid, p] : pods_) {
      if (p.profile.collectorContainer.empty()) continue;
      out << o.name << '{' << labels(p.id, p.profile.collectorContainer) << "} "
          << count(p.*(o.field)) << '\n';
    }
  }
  family(out, "otelcol_exporter_queue_size", "gauge", "Batches waiting in the export queue.");
  for (const auto& [uid, p] : pods_) {
    if (p.profile.collectorContainer.empty()) continue;
    const bool busy = p.serving && p.profile.telemetryOn;
    out << "otelcol_exporter_queue_size{" << labels(p.id, p.profile.collectorContainer) << "} "
        << fmt(busy ? std::round(1000 * p.behaviour.exportFailureRatio) : 0) << '\n';
  }
  return out.str();
}

}  // namespace kubesim::world
