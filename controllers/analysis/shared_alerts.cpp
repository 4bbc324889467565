#include "controllers/analysis/shared_alerts.h"

#include <algorithm>

namespace tro::controllers::analysis {

AlertsAnswer SharedAlerts::get(const std::string& source, base::Duration maxAge,
                               const FetchAlerts& fetch) {
  std::unique_lock lock(mu_);
  Entry& e = entries_[source];  // stable: an entry with a caller in it is never dropped
  if (e.answer && e.generation == generation_ && clock_.monotonicNow() - e.fetchedAt <= maxAge) {
    return *e.answer;
  }
  if (e.inFlight && e.inFlightGeneration == generation_) {
    ++e.waiters;
    cv_.wait(lock, [&] { return !e.inFlight; });
    --e.waiters;
    if (e.answer) return *e.answer;  // it started after the caller's last invalidate()
  }
  const uint64_t id = ++fetches_;
  const uint64_t generation = generation_;
  const base::MonoTime startedAt = clock_.monotonicNow();
  e.inFlight = true;
  e.inFlightGeneration = generation;
  e.inFlightId = id;
  auto land = [&](std::shared_ptr<const AlertsAnswer> answer) {
    // An older fetch landing late does not replace a newer answer.
    if (answer && (!e.answer || generation >= e.generation)) {
      e.answer = std::move(answer);
      e.fetchedAt = startedAt;
      e.generation = generation;
    }
    if (e.inFlightId == id) e.inFlight = false;
    cv_.notify_all();
  };
  lock.unlock();
  std::shared_ptr<const AlertsAnswer> answer;
  try {
    answer = std::make_shared<const AlertsAnswer>(fetch());
  } catch (...) {
    lock.lock();
    land(nullptr);  // waiters fetch for themselves
    throw;
  }
  lock.lock();
  land(answer);
  evictOldestBeyondLimit();
  return *answer;
}

void SharedAlerts::invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
}

void SharedAlerts::retain(const std::set<std::string>& live) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_,
                [&](const auto& kv) { return live.count(kv.first) == 0 && droppable(kv.second); });
}

size_t SharedAlerts::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

int SharedAlerts::waiters(const std::string& source) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(source);
  return it == entries_.end() ? 0 : it->second.waiters;
}

void SharedAlerts::evictOldestBeyondLimit() {
  while (entries_.size() > maxSources_) {
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (droppable(it->second) &&
          (oldest == entries_.end() || it->second.fetchedAt < oldest->second.fetchedAt)) {
        oldest = it;
      }
    }
    if (oldest == entries_.end()) return;  // every one is in use
    entries_.erase(oldest);
  }
}

}  // namespace tro::controllers::analysis
