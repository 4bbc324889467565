#include "operator/runtime/work_queue.h"

#include <algorithm>

namespace tro::runtime {

WorkQueue::WorkQueue(const base::Clock& clock, WorkQueueOptions options)
    : clock_(clock), options_(std::move(options)), backoff_(options_.backoff) {}

void WorkQueue::add(const std::string& key) {
  std::lock_guard lock(mu_);
  addLocked(key, false);
}

void WorkQueue::addUrgent(const std::string& key) {
  std::lock_guard lock(mu_);
  addLocked(key, true);
}

void WorkQueue::addLocked(const std::string& key, bool urgent) {
  if (shuttingDown_) return;
  if (dirty_.contains(key)) {
    if (!urgent || urgent_.contains(key)) return;
    // Already queued in the normal lane: move it to the urgent one.
    urgent_.insert(key);
    if (processing_.contains(key)) return;
    queue_.erase(std::find(queue_.begin(), queue_.end(), key));
    urgentQueue_.push_back(key);
    cv_.notify_one();
    return;
  }
  if (options_.adds) options_.adds->inc();
  dirty_.insert(key);
  if (urgent) urgent_.insert(key);
  if (processing_.contains(key)) return;  // re-queued by done()
  (urgent ? urgentQueue_ : queue_).push_back(key);
  updateDepthLocked();
  cv_.notify_one();
}

void WorkQueue::addAfter(const std::string& key, base::Duration delay) {
  std::lock_guard lock(mu_);
  if (shuttingDown_) return;
  if (delay <= base::Duration::zero()) {
    addLocked(key, false);
    return;
  }
  base::MonoTime deadline = clock_.monotonicNow() + delay;
  auto it = waitingDeadline_.find(key);
  if (it != waitingDeadline_.end()) {
    if (it->second <= deadline) return;  // the earliest deadline wins
    waiting_.erase({it->second, key});
    it->second = deadline;
  } else {
    waitingDeadline_.emplace(key, deadline);
  }
  waiting_.emplace(deadline, key);
  cv_.notify_all();  // waiters recompute their next deadline
}

void WorkQueue::addRateLimited(const std::string& key) {
  base::Duration delay;
  {
    std::lock_guard lock(mu_);
    delay = backoff_.when(key);
  }
  addAfter(key, delay);
}

void WorkQueue::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  backoff_.forget(key);
}

std::size_t WorkQueue::numRequeues(const std::string& key) const {
  std::lock_guard lock(mu_);
  return backoff_.numRequeues(key);
}

void WorkQueue::promoteDueLocked() {
  base::MonoTime now = clock_.monotonicNow();
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    std::string key = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    waitingDeadline_.erase(key);
    addLocked(key, false);
  }
}

std::optional<std::string> WorkQueue::get(std::stop_token stop) {
  std::unique_lock lock(mu_);
  while (true) {
    if (shuttingDown_ || stop.stop_requested()) return std::nullopt;
    promoteDueLocked();
    if (!urgentQueue_.empty() || !queue_.empty()) break;
    // With nothing delayed, wake up now and then anyway: a notify always arrives first.
    base::MonoTime deadline =
        waiting_.empty() ? clock_.monotonicNow() + std::chrono::hours(1) : waiting_.begin()->first;
    clock_.waitUntil(lock, cv_, deadline, stop);
  }
  auto& lane = urgentQueue_.empty() ? queue_ : urgentQueue_;
  std::string key = std::move(lane.front());
  lane.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  urgent_.erase(key);
  updateDepthLocked();
  return key;
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard lock(mu_);
  processing_.erase(key);
  if (!dirty_.contains(key)) return;
  (urgent_.contains(key) ? urgentQueue_ : queue_).push_back(key);
  updateDepthLocked();
  cv_.notify_one();
}

void WorkQueue::shutDown() {
  std::lock_guard lock(mu_);
  shuttingDown_ = true;
  cv_.notify_all();
}

bool WorkQueue::shuttingDown() const {
  std::lock_guard lock(mu_);
  return shuttingDown_;
}

std::size_t WorkQueue::len() {
  std::lock_guard lock(mu_);
  promoteDueLocked();
  return urgentQueue_.size() + queue_.size();
}

std::size_t WorkQueue::waitingLen() const {
  std::lock_guard lock(mu_);
  return waiting_.size();
}

std::size_t WorkQueue::processingLen() const {
  std::lock_guard lock(mu_);
  return processing_.size();
}

void WorkQueue::updateDepthLocked() {
  if (options_.depth) options_.depth->set(static_cast<double>(urgentQueue_.size() + queue_.size()));
}

}  // namespace tro::runtime
