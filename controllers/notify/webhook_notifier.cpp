#include "controllers/notify/webhook_notifier.h"

#include <algorithm>

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
      dropped_(notificationsFamily(registry).labels({"dropped"})),
      worker_([this](std::stop_token stop) { run(stop); }) {}

WebhookNotifier::~WebhookNotifier() {
  worker_.request_stop();
  worker_.join();
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    log_.warn("notifications dropped at shutdown",
              {{"count", static_cast<int64_t>(queue_.size())}});
    dropped_.inc(static_cast<double>(queue_.size()));
  }
}

void WebhookNotifier::notify(Notification notification) {
  std::optional<Notification> evicted;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.capacity) {
      evicted = std::move(queue_.front());
      queue_.pop_front();
    }
    queue_.push_back(std::move(notification));
  }
  cv_.notify_all();
  if (evicted) {
    dropped_.inc();
    log_.warn("notification queue full; dropped the oldest",
              {{"rollout", evicted->rollout}, {"phase", evicted->phase}});
  }
}

size_t WebhookNotifier::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void WebhookNotifier::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Notification next;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, stop, [this] { return !queue_.empty(); });
      if (stop.stop_requested()) return;
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(next, stop);
  }
}

void WebhookNotifier::deliver(const Notification& n, std::stop_token stop) {
  const WebhookRequest request{n.target.url, n.document.dump(), n.target.timeout};
  const base::Logger log =
      log_.withValues({{"rollout", n.rollout}, {"phase", n.phase}, {"url", n.target.url}});
  for (int attempt = 1;; ++attempt) {
    SendResult result = sender_->post(request, stop);
    const SendVerdict verdict = classify(result);
    if (verdict == SendVerdict::Delivered) {
      delivered_.inc();
      log.info("notification delivered", {{"attempt", attempt}, {"answer", describe(result)}});
      return;
    }
    if (stop.stop_requested()) {
      dropped_.inc();
      log.warn("notification abandoned at shutdown", {{"attempt", attempt}});
      return;
    }
    if (verdict == SendVerdict::Failed || attempt >= options_.attempts) {
      failed_.inc();
      log.warn("notification failed", {{"attempts", attempt},
                                       {"answer", describe(result)},
                                       {"retryable", verdict == SendVerdict::Retry}});
      return;
    }
    const base::Duration wait = backoffAfter(attempt, options_);
    log.debug("notification attempt failed; retrying",
              {{"attempt", attempt},
               {"answer", describe(result)},
               {"retryInSeconds", std::chrono::duration<double>(wait).count()}});
    if (!sleepUntil(clock_.now() + wait, stop)) {
      dropped_.inc();
      log.warn("notification abandoned at shutdown", {{"attempt", attempt}});
      return;
    }
  }
}

bool WebhookNotifier::sleepUntil(base::TimePoint deadline, std::stop_token stop) {
  std::unique_lock lock(mu_);
  while (!stop.stop_requested() && clock_.now() < deadline) {
    clock_.waitUntil(lock, cv_, deadline, stop);
  }
  return !stop.stop_requested();
}

}  // namespace tro::controllers::notify
