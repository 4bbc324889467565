#pragma once
// The shared alert poll (issue #14): one /api/v1/alerts request per alert source per `period`
// serves every rollout that gates on that source's alerts, and a poll that finds a gate newly
// breached (firing, and for its firingFor) wakes that rollout at once, whatever its
// analysis.interval. What is polled comes from the informer's rollouts each round
// (alert_sources.h: the rollouts analysing now, grouped by source); the answers go into
// SharedAlerts, where the reconciler's analysis reads them (at most one period old).
//  - Threads (owned, joined by stop()): one scheduler that starts a round every `period`, and
//    `workers` that poll the sources of a round. A source still in flight from an earlier round
//    is skipped, so a Prometheus that hangs holds one worker for its timeout and delays nobody
//    else while another worker is free.
//  - A source's client is made with the first of its rollouts' connection (Connect: the
//    rollout's own provider or address and Secrets, as its analysis uses) and kept; it is made
//    again after `reconnectAfter` (rotated Secrets) or after a failed poll.
//  - A wake-up is an accelerator: the verdict still comes from the rollout's own analysis. A
//    rollout is woken once per breaching alert while that alert stays breached.
//  - At most `maxSources` sources are polled per round (the first in key order); the others
//    are analysed at their interval, as without the shared poll.
// Metrics: telemetry_rollout_alert_polls_total{result="ok|error"},
// telemetry_rollout_alert_poll_sources, telemetry_rollout_alert_poll_wakeups_total.
// stop() waits for polls in flight (each within its source's analysis.timeout).

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "controllers/analysis/shared_alerts.h"
#include "controllers/rollout/alert_sources.h"
#include "operator/base/clock.h"
#include "operator/base/log.h"
#include "operator/runtime/metrics.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

struct AlertPollerOptions {
  base::Duration period = std::chrono::seconds(1);
  int workers = 2;
  base::Duration reconnectAfter = std::chrono::minutes(5);
  size_t maxSources = analysis::SharedAlerts::kDefaultMaxSources;
};

class AlertPoller {
 public:
  using ListRollouts = std::function<std::vector<TypedRolloutPtr>()>;
  using Connect = std::function<analysis::PromResult<analysis::PrometheusApiPtr>(
      const std::string& ns, const AnalysisSpec& spec)>;
  using Wake = std::function<void(const std::vector<std::string>& rolloutKeys)>;

  // Every reference must outlive the poller.
  AlertPoller(AlertPollerOptions options, ListRollouts list, Connect connect,
              analysis::SharedAlerts& shared, Wake wake, const base::Clock& clock,
              runtime::Registry& registry, base::Logger log);
  ~AlertPoller() { stop(); }
  AlertPoller(const AlertPoller&) = delete;
  AlertPoller& operator=(const AlertPoller&) = delete;

  void start();
  void stop();  // idempotent

  // One round on the caller's thread, each source in turn (tests; not while started).
  void pollOnce();

 private:
  struct SourceState {
    std::shared_ptr<analysis::PrometheusApi> client;
    base::MonoTime connectedAt{};
    bool failed = false;
    std::set<std::string> breached;  // breaches() of the last answer
  };

  std::vector<AlertSource> round();
  void poll(const AlertSource& source);
  std::shared_ptr<analysis::PrometheusApi> clientFor(const AlertSource& source);
  void schedule(std::stop_token stop);
  void work(std::stop_token stop);

  const AlertPollerOptions options_;
  ListRollouts list_;
  Connect connect_;
  analysis::SharedAlerts& shared_;
  Wake wake_;
  const base::Clock& clock_;
  base::Logger log_;
  runtime::Counter& pollsOk_;
  runtime::Counter& pollsFailed_;
  runtime::Counter& wakeups_;
  runtime::Gauge& sources_;

  std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<AlertSource> queue_;              // guarded by mu_
  std::set<std::string> inFlight_;             // guarded by mu_: queued or being polled
  std::map<std::string, SourceState> states_;  // guarded by mu_
  std::string lastProblem_;                    // guarded by mu_: logged once until it changes
  std::vector<std::jthread> threads_;
};

}  // namespace tro::controllers
