#include "controllers/rollout/alert_poller.h"

#include <algorithm>
#include <iterator>

namespace tro::controllers {

namespace {

runtime::CounterFamily& pollsFamily(runtime::Registry& registry) {
  return registry.counter("telemetry_rollout_alert_polls_total",
                          "Shared /api/v1/alerts polls, by result (ok, error).", {"result"});
}

}  // namespace

AlertPoller::AlertPoller(AlertPollerOptions options, ListRollouts list, Connect connect,
                         analysis::SharedAlerts& shared, Wake wake, const base::Clock& clock,
                         runtime::Registry& registry, base::Logger log)
    : options_(options),
      list_(std::move(list)),
      connect_(std::move(connect)),
      shared_(shared),
      wake_(std::move(wake)),
      clock_(clock),
      log_(std::move(log)),
      pollsOk_(pollsFamily(registry).labels({"ok"})),
      pollsFailed_(pollsFamily(registry).labels({"error"})),
      wakeups_(registry
                   .counter("telemetry_rollout_alert_poll_wakeups_total",
                            "Rollouts woken for analysis because a shared alert poll found one "
                            "of their alert gates newly breached.")
                   .labels({})),
      sources_(registry
                   .gauge("telemetry_rollout_alert_poll_sources",
                          "Alert sources (a Prometheus and the credentials it is asked with) "
                          "polled in the last round.")
                   .labels({})) {}

void AlertPoller::start() {
  if (!threads_.empty()) return;
  threads_.emplace_back([this](std::stop_token stop) { schedule(stop); });
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    threads_.emplace_back([this](std::stop_token stop) { work(stop); });
  }
}

void AlertPoller::stop() {
  for (auto& t : threads_) t.request_stop();
  {
    std::lock_guard lock(mu_);  // no waiter between its check and its wait misses the stop
  }
  cv_.notify_all();
  threads_.clear();  // joins
}

void AlertPoller::pollOnce() {
  for (const AlertSource& source : round()) poll(source);
}

std::vector<AlertSource> AlertPoller::round() {
  std::map<std::string, AlertSource> sources = alertSources(list_());
  std::vector<AlertSource> out;
  std::set<std::string> live;
  for (auto& [key, source] : sources) {
    if (out.size() >= options_.maxSources) break;
    live.insert(key);
    out.push_back(std::move(source));
  }
  if (sources.size() > options_.maxSources) {
    log_.warn("more alert sources than are polled; the rest are analysed at their interval",
              {{"sources", static_cast<int64_t>(sources.size())},
               {"polled", static_cast<int64_t>(options_.maxSources)}});
  }
  sources_.set(static_cast<double>(out.size()));
  shared_.retain(live);
  std::lock_guard lock(mu_);
  std::erase_if(states_, [&](const auto& kv) {
    return live.count(kv.first) == 0 && inFlight_.count(kv.first) == 0;
  });
  return out;
}

std::shared_ptr<analysis::PrometheusApi> AlertPoller::clientFor(const AlertSource& source) {
  {
    std::lock_guard lock(mu_);
    SourceState& state = states_[source.key];
    if (state.client && !state.failed &&
        clock_.monotonicNow() - state.connectedAt < options_.reconnectAfter) {
      return state.client;
    }
  }
  const GatedRollout& first = source.rollouts.front();
  auto made = connect_(first.ns, first.analysis);
  std::lock_guard lock(mu_);
  SourceState& state = states_[source.key];
  if (!made.ok()) {
    state.client.reset();
    state.failed = true;
    const std::string problem = made.error().toString();
    if (problem != lastProblem_) {  // errors name fields and Secrets, never a credential
      lastProblem_ = problem;
      log_.warn("cannot poll alerts for a rollout; it is analysed at its interval",
                {{"rollout", first.key}, {"error", problem}});
    }
    return nullptr;
  }
  state.client = std::shared_ptr<analysis::PrometheusApi>(std::move(made).value());
  state.connectedAt = clock_.monotonicNow();
  state.failed = false;
  return state.client;
}

void AlertPoller::poll(const AlertSource& source) {
  if (source.rollouts.empty()) return;
  std::shared_ptr<analysis::PrometheusApi> client = clientFor(source);
  if (!client) {
    pollsFailed_.inc();
    return;
  }
  // A zero age: a new answer, unless a fetch for this source is already in flight.
  analysis::AlertsAnswer answer =
      shared_.get(source.key, base::Duration::zero(), [&] { return client->alerts(); });
  if (!answer.ok()) {
    pollsFailed_.inc();
    std::lock_guard lock(mu_);
    states_[source.key].failed = true;  // made again next round
    log_.debug("alert poll failed",
               {{"rollout", source.rollouts.front().key}, {"error", answer.error().toString()}});
    return;
  }
  pollsOk_.inc();
  std::set<std::string> current = breaches(source, *answer, clock_.now());
  std::set<std::string> fresh;
  {
    std::lock_guard lock(mu_);
    SourceState& state = states_[source.key];
    std::set_difference(current.begin(), current.end(), state.breached.begin(),
                        state.breached.end(), std::inserter(fresh, fresh.end()));
    state.breached = std::move(current);
  }
  if (fresh.empty()) return;
  std::vector<std::string> woken = rolloutsOf(fresh);
  wakeups_.inc(static_cast<double>(woken.size()));
  log_.info("polled alerts concern rollouts: analysing them now",
            {{"rollouts", static_cast<int64_t>(woken.size())}, {"first", woken.front()}});
  wake_(woken);
}

void AlertPoller::schedule(std::stop_token stop) {
  base::MonoTime next = clock_.monotonicNow();
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu_);
      while (!stop.stop_requested() && clock_.monotonicNow() < next) {
        clock_.waitUntil(lock, cv_, next, stop);
      }
    }
    if (stop.stop_requested()) return;
    next = clock_.monotonicNow() + options_.period;
    std::vector<AlertSource> sources = round();
    std::lock_guard lock(mu_);
    for (AlertSource& source : sources) {
      if (!inFlight_.insert(source.key).second) continue;  // the last round's is still going
      queue_.push_back(std::move(source));
    }
    cv_.notify_all();
  }
}

void AlertPoller::work(std::stop_token stop) {
  for (;;) {
    AlertSource source;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, stop, [this] { return !queue_.empty(); });
      if (stop.stop_requested()) return;
      source = std::move(queue_.front());
      queue_.pop_front();
    }
    poll(source);
    std::lock_guard lock(mu_);
    inFlight_.erase(source.key);
  }
}

}  // namespace tro::controllers
