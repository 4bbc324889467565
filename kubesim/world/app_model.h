#pragma once
// AppModel: the simulated applications' telemetry. Each tracked pod accumulates counters with
// simulated time (rate x elapsed, so counters are monotonic per pod and independent of how often
// they are advanced) and renders as Prometheus text (exposition format 0.0.4):
//   http_requests_total{namespace,deployment,pod,container,code}      counter (code 200 / 500)
//   http_request_duration_seconds_bucket/_sum/_count{...,le}          histogram
//   container_cpu_usage_seconds_total{namespace,deployment,pod,container}   app and sidecar
//   container_memory_working_set_bytes{...}                                 gauge
//   otelcol_receiver_accepted_spans, otelcol_exporter_sent_spans,
//   otelcol_exporter_send_failed_spans (counters), otelcol_exporter_queue_size,
//   otelcol_exporter_queue_capacity (gauges, in batches; the capacity is the collector's default
//   sending_queue queue_size, kExporterQueueCapacity = 1000)
//                                      only for pods with a collector sidecar, container=sidecar
// Only Ready pods serve traffic; every tracked pod has series. Telemetry costs the app 15% more
// latency and 10% more CPU. Not thread-safe: World serialises access.
//
// Fleet size: per-pod series are rendered while the model tracks at most perPodSeriesLimit pods
// (default kDefaultPerPodSeriesLimit = 1000). Above that, render() gives one series per
// Deployment and container instead: the same names and labels without `pod` (namespace,
// deployment, container, and code / le as before), so 10,000 pods of a few hundred Deployments
// stay a few thousand series. Pods without a Deployment aggregate under deployment="".
//   - Counters are the sum over every pod the Deployment ever had: per-(namespace, deployment,
//     container) accumulators receive each pod's increments as they are accounted, so they stay
//     monotonic when pods go away (and across the switch between modes; the accumulators are kept
//     in both). An accumulator with no pod left is dropped after kIdleAggregateTtl of simulated
//     time (a Deployment deleted for good), which Prometheus sees as the series ending.
//   - container_memory_working_set_bytes is the sum over the live pods.
//   - otelcol_exporter_queue_size is the MAX over the live pods, and
//     otelcol_exporter_queue_capacity stays one pod's capacity, so size / capacity is the most
//     saturated pod's saturation (what the operator's collector-queue-saturation check takes the
//     max of); a sum would hide one full queue among idle ones.
//   - Gauges of an aggregate without live pods are omitted (like a gone pod's series).
// The operator's built-in checks select pods by name (pod=~"<deployment>-..."), so they find no
// data for aggregated Deployments; queries on namespace / deployment keep working. A Deployment
// annotated kubesim.io/per-pod-metrics: "true" (Behaviour::perPodMetrics) keeps its per-pod
// series at any size, and then has no aggregated series (no double counting): fleet benchmarks
// opt in the Deployments whose rollouts the built-in checks analyse.

#include <array>
#include <chrono>
#include <compare>
#include <cstddef>
#include <map>
#include <string>

#include "kubesim/world/knobs.h"
#include "operator/base/clock.h"

namespace kubesim::world {

struct PodIdentity {
  std::string ns, deployment, pod;
};

class AppModel {
 public:
  static constexpr std::size_t kDefaultPerPodSeriesLimit = 1000;
  // The OpenTelemetry collector's default exporterhelper sending_queue queue_size (batches).
  static constexpr double kExporterQueueCapacity = 1000;
  // How long the counters of a Deployment (and container) without pods keep being rendered.
  static constexpr std::chrono::minutes kIdleAggregateTtl{5};

  explicit AppModel(std::size_t perPodSeriesLimit = kDefaultPerPodSeriesLimit)
      : perPodSeriesLimit_(perPodSeriesLimit) {}
  // Pods hold pointers into aggregates_: moving keeps them valid (map nodes move), copying
  // would not.
  AppModel(const AppModel&) = delete;
  AppModel& operator=(const AppModel&) = delete;
  AppModel(AppModel&&) = default;
  AppModel& operator=(AppModel&&) = default;

  // Starts tracking (or refreshes) a pod: its behaviour applies from now on; time between the
  // previous update and `now` is accounted with the previous behaviour.
  void upsert(const std::string& uid, const PodIdentity& id, const PodProfile& profile,
              const Behaviour& behaviour, bool serving, tro::base::TimePoint now);
  // Stops tracking pods whose uid is not in `alive` (their per-pod series disappear, as on a real
  // scrape after the pod is gone; their Deployment's aggregated counters keep what they counted).
  void retain(const std::map<std::string, bool>& alive);
  // Accounts elapsed time for every pod up to `now`; drops aggregates idle for kIdleAggregateTtl.
  void advance(tro::base::TimePoint now);
  std::string render() const;
  std::size_t size() const { return pods_.size(); }

  // Above this many tracked pods render() aggregates per Deployment (see the top of the file).
  std::size_t perPodSeriesLimit() const { return perPodSeriesLimit_; }
  void setPerPodSeriesLimit(std::size_t limit) { perPodSeriesLimit_ = limit; }
  // Whether render() would aggregate now.
  bool aggregated() const { return pods_.size() > perPodSeriesLimit_; }

 private:
  // What one container has counted; the app container uses the request fields, the collector
  // the span fields, both cpu.
  struct Counters {
    double ok = 0, errors = 0;        // requests by code
    std::array<double, 9> buckets{};  // cumulative per bound of kBucketBounds, +Inf last
    double durationSum = 0;
    double cpu = 0;
    double spansAccepted = 0, spansSent = 0, spansFailed = 0;
    Counters& operator+=(const Counters& d);
  };
  struct AggregateKey {
    std::string ns, deployment, container;
    auto operator<=>(const AggregateKey&) const = default;
  };
  struct Aggregate {
    Counters sums;
    int pods = 0;            // attachments of live pods (a pod attaches once per role)
    bool app = false;        // some pod had it as its app container: request series
    bool collector = false;  // some pod had it as its collector sidecar: otelcol_* series
    bool perPod = false;     // its pods render per pod (their latest kubesim.io/per-pod-metrics)
    // When the last pod left (its last accounted time): the start of kIdleAggregateTtl.
    tro::base::TimePoint idleSince{};
  };
  struct Pod {
    PodIdentity id;
    PodProfile profile;
    Behaviour behaviour;
    bool serving = false;
    tro::base::TimePoint last;
    Counters app, sidecar;
    Aggregate* appAggregate = nullptr;        // into aggregates_, never null while tracked
    Aggregate* collectorAggregate = nullptr;  // null without a collector sidecar
  };
  static void account(Pod& p, tro::base::TimePoint now);
  void attach(Pod& p);
  static void detach(Pod& p);

  std::size_t perPodSeriesLimit_;
  std::map<std::string, Pod> pods_;  // by uid, so rendering order is stable
  std::map<AggregateKey, Aggregate> aggregates_;
};

}  // namespace kubesim::world
