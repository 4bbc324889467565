#pragma once
// WebhookNotifier: delivers Notifications by HTTP POST, off the reconcile path.
//  - notify() only appends to a bounded in-memory queue and returns (never waits for I/O).
//    When the queue is full the oldest pending notification is dropped (counted): the newest
//    outcome of a rollout matters more than an old one.
//  - One worker thread (owned, joined on destruction) sends one notification at a time, in
//    order. Each attempt has the target's timeout. 2xx is delivered; a transport error, 408, 429
//    or 5xx is retried after an exponential backoff (initialBackoff doubling up to maxBackoff)
//    up to `attempts` attempts; any other answer (4xx: the receiver refuses it) fails at once.
//    A receiver that is down delays later notifications (by at most the retry budget), never a
//    reconcile.
//  - Destruction stops the worker: an attempt in flight is cancelled and pending notifications
//    are dropped (counted): delivery is at most once (see notification.h).
// Metric (registered on the Registry passed in):
//   telemetry_rollout_notifications_total{result="delivered|failed|dropped"}
// Time and waits go through the injected Clock, so tests drive backoff with SimulatedClock; the
// worker waits on the clock only during a backoff (SimulatedClock::waiters() tells tests so).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "controllers/notify/notification.h"
#include "operator/base/clock.h"
#include "operator/base/log.h"
#include "operator/base/result.h"
#include "operator/runtime/metrics.h"

namespace tro::controllers::notify {

struct WebhookRequest {
  std::string url;
  std::string body;  // JSON
  base::Duration timeout = std::chrono::seconds(5);
};

// The HTTP status the receiver answered, or why no answer came (connect refused, timeout,
// cancelled by `stop`). Implementations must return promptly once `stop` is requested.
using SendResult = base::Result<int, std::string>;

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual SendResult post(const WebhookRequest& request, std::stop_token stop) = 0;
};
using WebhookSenderPtr = std::unique_ptr<WebhookSender>;

struct NotifierOptions {
  size_t capacity = 64;  // pending notifications before the oldest is dropped
  int attempts = 5;      // per notification, the first included
  base::Duration initialBackoff = std::chrono::seconds(1);
  base::Duration maxBackoff = std::chrono::seconds(30);
};

enum class SendVerdict { Delivered, Retry, Failed };
SendVerdict classify(const SendResult& result);

// The wait after failed attempt `attempt` (1-based): initialBackoff * 2^(attempt-1), capped.
base::Duration backoffAfter(int attempt, const NotifierOptions& options);

class WebhookNotifier final : public Notifier {
 public:
  // `clock` and `registry` must outlive the notifier.
  WebhookNotifier(WebhookSenderPtr sender, const base::Clock& clock, runtime::Registry& registry,
                  base::Logger log, NotifierOptions options = {});
  ~WebhookNotifier() override;
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void notify(Notification notification) override;

  // Notifications waiting (not counting one being sent); for tests and logs.
  size_t pending() const;

 private:
  void run(std::stop_token stop);
  void deliver(const Notification& n, std::stop_token stop);
  // Waits until `deadline` on the clock; false when stopped first.
  bool sleepUntil(base::TimePoint deadline, std::stop_token stop);

  const WebhookSenderPtr sender_;
  const base::Clock& clock_;
  const base::Logger log_;
  const NotifierOptions options_;
  runtime::Counter& delivered_;
  runtime::Counter& failed_;
  runtime::Counter& dropped_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<Notification> queue_;  // guarded by mu_
  std::jthread worker_;             // last: starts once everything above exists
};

}  // namespace tro::controllers::notify
