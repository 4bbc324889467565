#pragma once
// AppModel: the simulated applications' telemetry. Each tracked pod accumulates counters with
// simulated time (rate x elapsed, so counters are monotonic per pod and independent of how often
// they are advanced) and renders as Prometheus text (exposition format 0.0.4):
//   http_requests_total{namespace,deployment,pod,container,code}      counter (code 200 / 500)
//   http_request_duration_seconds_bucket/_sum/_count{...,le}          histogram
//   container_cpu_usage_seconds_total{namespace,deployment,pod,container}   app and sidecar
//   container_memory_working_set_bytes{...}                                 gauge
//   otelcol_receiver_accepted_spans, otelcol_exporter_sent_spans,
//   otelcol_exporter_send_failed_spans (counters), otelcol_exporter_queue_size (gauge)
//                                      only for pods with a collector sidecar, container=sidecar
// Only Ready pods serve traffic; every tracked pod has series. Telemetry costs the app 15% more
// latency and 10% more CPU. Not thread-safe: World serialises access.

#include <array>
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
  // Starts tracking (or refreshes) a pod: its behaviour applies from now on; time between the
  // previous update and `now` is accounted with the previous behaviour.
  void upsert(const std::string& uid, const PodIdentity& id, const PodProfile& profile,
              const Behaviour& behaviour, bool serving, tro::base::TimePoint now);
  // Stops tracking pods whose uid is not in `alive` (their series disappear, as on a real
  // scrape after the pod is gone).
  void retain(const std::map<std::string, bool>& alive);
  // Accounts elapsed time for every pod up to `now`.
  void advance(tro::base::TimePoint now);
  std::string render() const;
  std::size_t size() const { return pods_.size(); }

 private:
  struct Pod {
    PodIdentity id;
    PodProfile profile;
    Behaviour behaviour;
    bool serving = false;
    tro::base::TimePoint last;
    double ok = 0, errors = 0;        // requests by code
    std::array<double, 9> buckets{};  // cumulative per bound of kBucketBounds, +Inf last
    double durationSum = 0;
    double appCpu = 0, sidecarCpu = 0;
    double spansAccepted = 0, spansSent = 0, spansFailed = 0;
  };
  static void account(Pod& p, tro::base::TimePoint now);

  std::map<std::string, Pod> pods_;  // by uid, so rendering order is stable
};

}  // namespace kubesim::world
