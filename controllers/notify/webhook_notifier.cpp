#include "controllers/notify/webhook_notifier.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "operator/base/url.h"

namespace tro::controllers::notify {

namespace {

runtime::CounterFamily& notificationsFamily(runtime::Registry& registry) {
  return registry.counter("telemetry_rollout_notifications_total",
                          "TelemetryRollout webhook notifications, by result (delivered, failed "
                          "after every attempt or refused, dropped unsent).",
                          {"result"});
}

NotifierOptions normalized(NotifierOptions options) {
  options.capacity = std::max<size_t>(options.capacity, 1);
  options.attempts = std::max(options.attempts, 1);
  options.initialBackoff = std::max(options.initialBackoff, base::Duration::zero());
  options.maxBackoff = std::max(options.maxBackoff, options.initialBackoff);
  options.maxConcurrentReceivers = std::max(options.maxConcurrentReceivers, 1);
  options.maxReceivers = std::max<size_t>(options.maxReceivers, 1);
  return options;
}

std::string describe(const SendResult& result) {
  return result.ok() ? "HTTP " + std::to_string(*result) : result.error();
}

}  // namespace

SendVerdict classify(const SendResult& result) {
  if (!result.ok()) return SendVerdict::Retry;
  const int code = *result;
  if (code >= 200 && code < 300) return SendVerdict::Delivered;
  if (code == 408 || code == 429 || code >= 500) return SendVerdict::Retry;
  return SendVerdict::Failed;
}

std::string receiverKey(const std::string& url) {
  auto parsed = base::parseHttpUrl(url, {.allowQuery = true});
  return parsed.ok() ? parsed->origin() : url;
}

base::Duration backoffAfter(int attempt, const NotifierOptions& options) {
  base::Duration wait = options.initialBackoff;
  for (int i = 1; i < attempt && wait < options.maxBackoff; ++i) wait *= 2;
  return std::min(wait, options.maxBackoff);
}

WebhookNotifier::WebhookNotifier(WebhookSenderPtr sender, const base::Clock& clock,
                                 runtime::Registry& registry, base::Logger log,
                                 NotifierOptions options)
    : sender_(std::move(sender)),
      clock_(clock),
      log_(std::move(log)),
      options_(normalized(options)),
      delivered_(notificationsFamily(registry).labels({"delivered"})),
      failed_(notificationsFamily(registry).labels({"failed"})),
      dropped_(notificationsFamily(registry).labels({"dropped"})) {
  workers_.reserve(static_cast<size_t>(options_.maxConcurrentReceivers));
  for (int i = 0; i < options_.maxConcurrentReceivers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) { run(stop); });
  }
}

WebhookNotifier::~WebhookNotifier() {
  for (auto& worker : workers_) worker.request_stop();  // all at once: cancels every POST
  for (auto& worker : workers_) worker.join();
  size_t left = 0;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, receiver] : receivers_) {
      left += receiver.queue.size() + (receiver.current ? 1 : 0);
    }
    receivers_.clear();
  }
  if (left > 0) {
    log_.warn("notifications dropped at shutdown", {{"count", static_cast<int64_t>(left)}});
    dropped_.inc(static_cast<double>(left));
  }
}

void WebhookNotifier::notify(Notification notification) {
  const std::string key = receiverKey(notification.target.url);
  std::optional<Notification> evicted;
  bool untracked = false;
  {
    std::lock_guard lock(mu_);
    auto it = receivers_.find(key);
    if (it == receivers_.end() && receivers_.size() >= options_.maxReceivers) {
      untracked = true;
    } else {
      if (it == receivers_.end()) it = receivers_.emplace(key, Receiver{}).first;
      Receiver& receiver = it->second;
      if (receiver.queue.size() >= options_.capacity) {
        evicted = std::move(receiver.queue.front().notification);
        receiver.queue.pop_front();
      }
      receiver.queue.push_back({nextSeq_++, std::move(notification)});
    }
  }
  if (untracked) {
    dropped_.inc();
    log_.warn("too many webhook receivers with notifications pending; dropped this one",
              {{"rollout", notification.rollout},
               {"phase", notification.phase},
               {"receiver", key},
               {"maxReceivers", static_cast<int64_t>(options_.maxReceivers)}});
    return;
  }
  cv_.notify_all();
  if (evicted) {
    dropped_.inc();
    log_.warn("notification queue full; dropped the oldest",
              {{"rollout", evicted->rollout}, {"phase", evicted->phase}, {"receiver", key}});
  }
}

size_t WebhookNotifier::pending() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, receiver] : receivers_) n += receiver.queue.size();
  return n;
}

size_t WebhookNotifier::receivers() const {
  std::lock_guard lock(mu_);
  return receivers_.size();
}

void WebhookNotifier::run(std::stop_token stop) {
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    const Choice choice = choose(clock_.monotonicNow());
    if (choice.receiver == receivers_.end()) {
      idle(lock, choice, stop);
      continue;
    }
    // Taking a receiver may leave work no idle worker was woken for: the clock waiter's, or a
    // second receiver that became ready at the same instant.
    if (choice.othersReady || (choice.wakeAt && !clockWaiter_)) cv_.notify_all();
    attempt(choice.receiver, lock, stop);
  }
}

WebhookNotifier::Choice WebhookNotifier::choose(base::MonoTime now) {
  Choice choice{receivers_.end(), false, std::nullopt};
  // While a worker waits on the clock, backoffs that end are its to take, not an awake worker's:
  // a worker registered on the clock (SimulatedClock::waiters()) then means no attempt has
  // started since the backoff began, which is what tests wait for before moving time.
  const bool clockIsWatched = clockWaiter_;
  uint64_t oldest = std::numeric_limits<uint64_t>::max();
  for (auto it = receivers_.begin(); it != receivers_.end(); ++it) {
    const Receiver& r = it->second;
    if (r.inFlight || (!r.current && r.queue.empty())) continue;
    if (r.current && (clockIsWatched || now < r.notBefore)) {
      choice.wakeAt = std::min(choice.wakeAt.value_or(r.notBefore), r.notBefore);
      continue;
    }
    const uint64_t seq = r.current ? r.current->seq : r.queue.front().seq;
    if (choice.receiver != receivers_.end()) choice.othersReady = true;
    if (seq < oldest) {
      oldest = seq;
      choice.receiver = it;
    }
  }
  return choice;
}

void WebhookNotifier::idle(std::unique_lock<std::mutex>& lock, const Choice& choice,
                           std::stop_token stop) {
  if (choice.wakeAt && !clockWaiter_) {
    clockWaiter_ = true;
    clock_.waitUntil(lock, cv_, *choice.wakeAt, stop);
    clockWaiter_ = false;
    return;  // the caller chooses again; if it takes work, it wakes a successor (run())
  }
  bool woken = false;  // return on the first wake-up: the caller chooses again
  cv_.wait(lock, stop, [&woken] { return std::exchange(woken, true); });
}

void WebhookNotifier::attempt(Receivers::iterator r, std::unique_lock<std::mutex>& lock,
                              std::stop_token stop) {
  Receiver& receiver = r->second;
  if (!receiver.current) {
    receiver.current = std::move(receiver.queue.front());
    receiver.queue.pop_front();
    receiver.attempts = 0;
  }
  receiver.inFlight = true;
  const int attempt = ++receiver.attempts;
  const Notification& n = receiver.current->notification;
  const WebhookRequest request{n.target.url, n.document.dump(), n.target.timeout};
  const base::Logger log = log_.withValues(
      {{"rollout", n.rollout}, {"phase", n.phase}, {"url", base::redactUrl(n.target.url)}});
  lock.unlock();

  const SendResult result = sender_->post(request, stop);
  const SendVerdict verdict = classify(result);

  lock.lock();
  const Outcome outcome = settle(r, verdict, attempt, stop.stop_requested());  // may erase r
  cv_.notify_all();
  lock.unlock();

  const std::string answer = describe(result);
  switch (outcome) {
    case Outcome::Delivered:
      delivered_.inc();
      log.info("notification delivered", {{"attempt", attempt}, {"answer", answer}});
      break;
    case Outcome::Failed:
      failed_.inc();
      log.warn("notification failed", {{"attempts", attempt},
                                       {"answer", answer},
                                       {"retryable", verdict == SendVerdict::Retry}});
      break;
    case Outcome::Retry:
      log.debug("notification attempt failed; retrying",
                {{"attempt", attempt},
                 {"answer", answer},
                 {"retryInSeconds",
                  std::chrono::duration<double>(backoffAfter(attempt, options_)).count()}});
      break;
    case Outcome::Abandoned:  // counted as dropped by the destructor
      log.warn("notification abandoned at shutdown", {{"attempt", attempt}});
      break;
  }
  lock.lock();
}

WebhookNotifier::Outcome WebhookNotifier::settle(Receivers::iterator r, SendVerdict verdict,
                                                 int attempt, bool stopped) {
  Receiver& receiver = r->second;
  receiver.inFlight = false;
  if (verdict != SendVerdict::Delivered) {
    if (stopped) return Outcome::Abandoned;  // stays `current`, for the destructor to count
    if (verdict == SendVerdict::Retry && attempt < options_.attempts) {
      receiver.notBefore = clock_.monotonicNow() + backoffAfter(attempt, options_);
      return Outcome::Retry;
    }
  }
  const Outcome outcome = verdict == SendVerdict::Delivered ? Outcome::Delivered : Outcome::Failed;
  receiver.current.reset();
  receiver.attempts = 0;
  if (receiver.queue.empty()) receivers_.erase(r);  // forgotten: nothing pending
  return outcome;
}

}  // namespace tro::controllers::notify
