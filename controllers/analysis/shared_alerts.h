#pragma once
// One /api/v1/alerts answer per alert source, shared by every rollout that reads it (issue #14):
// 500 rollouts gating on alerts of one Prometheus cost one request per poll period, not 500.
//  - A source is whatever may see the same answer: one Prometheus asked with the same
//    credentials (controllers/rollout/alert_sources.h names them). Sources never share answers.
//  - get() returns the kept answer while it is at most `maxAge` old; otherwise it fetches. One
//    fetch per source at a time: callers that arrive while one is in flight wait for its answer
//    instead of sending their own (single flight).
//  - invalidate() makes every kept answer and every fetch already in flight too old for the next
//    get(): a pushed alert may be newer than they are.
//  - Failed answers are kept too (with their age), so that a Prometheus that is down costs one
//    timeout per period, not one per rollout.
//  - At most `maxSources` answers are kept; past that the oldest is dropped. retain() drops the
//    sources nobody polls any more.
// Thread-safe. The fetch runs on the caller's thread without the lock held.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "controllers/analysis/prometheus_client.h"
#include "operator/base/clock.h"

namespace tro::controllers::analysis {

using AlertsAnswer = PromResult<std::vector<Alert>>;
using FetchAlerts = std::function<AlertsAnswer()>;

class SharedAlerts {
 public:
  static constexpr size_t kDefaultMaxSources = 1024;

  // `clock` must outlive this.
  explicit SharedAlerts(const base::Clock& clock, size_t maxSources = kDefaultMaxSources)
      : clock_(clock), maxSources_(maxSources) {}

  // The answer for `source`: the kept one when at most `maxAge` old and fetched since the last
  // invalidate(); the one in flight, once it lands; otherwise fetch()'s, which is kept.
  AlertsAnswer get(const std::string& source, base::Duration maxAge, const FetchAlerts& fetch);

  void invalidate();
  // Drops every kept answer whose source is not in `live`.
  void retain(const std::set<std::string>& live);
  size_t size() const;
  // Callers waiting for a fetch of `source` in flight (tests).
  int waiters(const std::string& source) const;

 private:
  struct Entry {
    std::shared_ptr<const AlertsAnswer> answer;  // null until the first fetch lands
    base::MonoTime fetchedAt{};                  // when the fetch that produced it started
    uint64_t generation = 0;                     // invalidations before that fetch started
    bool inFlight = false;
    uint64_t inFlightGeneration = 0;
    uint64_t inFlightId = 0;  // the newest fetch in flight
    int waiters = 0;          // callers waiting for it; the entry is not dropped meanwhile
  };
  bool droppable(const Entry& e) const { return !e.inFlight && e.waiters == 0; }
  void evictOldestBeyondLimit();

  const base::Clock& clock_;
  const size_t maxSources_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t generation_ = 0;               // guarded by mu_
  uint64_t fetches_ = 0;                  // guarded by mu_
};

// A PrometheusApi whose alerts() comes from `shared` (source `source`, answers at most `maxAge`
// old) and whose queries go to `inner`. What the reconciler's analysis talks to.
class SharedAlertsApi final : public PrometheusApi {
 public:
  SharedAlertsApi(PrometheusApiPtr inner, SharedAlerts& shared, std::string source,
                  base::Duration maxAge)
      : inner_(std::move(inner)), shared_(shared), source_(std::move(source)), maxAge_(maxAge) {}

  PromResult<std::vector<Alert>> alerts() override {
    return shared_.get(source_, maxAge_, [this] { return inner_->alerts(); });
  }
  PromResult<QueryResult> query(const std::string& promql,
                                std::optional<base::TimePoint> at) override {
    return inner_->query(promql, at);
  }

 private:
  PrometheusApiPtr inner_;
  SharedAlerts& shared_;
  std::string source_;
  base::Duration maxAge_;
};

}  // namespace tro::controllers::analysis
