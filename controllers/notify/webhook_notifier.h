#pragma once
// WebhookNotifier: delivers Notifications by HTTP POST, off the reconcile path, so that neither a
// reconcile nor another receiver waits for a slow one (issue #21).
//  - Receivers: notifications queue per receiver, the webhook URL's origin (receiverKey():
//    scheme://host[:port]), not the whole URL: a host that hangs then holds at most one worker
//    however many paths or query tokens rollouts use on it. Each receiver's notifications are
//    delivered one at a time, in the order notify() was called.
//  - notify() only appends to its receiver's bounded queue (`capacity`) and returns (never waits
//    for I/O). When the queue is full its oldest pending notification is dropped (counted): the
//    newest outcome of a rollout matters more than an old one. A receiver is tracked while it has
//    something pending and forgotten once it has not; a notification for a receiver beyond
//    `maxReceivers` tracked at once is dropped (counted). Memory is thus bounded by
//    maxReceivers * (capacity + 1) notifications.
//  - A pool of `maxConcurrentReceivers` worker threads (owned, joined on destruction) serves the
//    receivers, the oldest waiting notification first. A receiver with an attempt in flight or in
//    backoff is taken by no other worker (its order holds), and a backoff holds no worker: the
//    receiver is ready again at its "not before" time. So a receiver that never answers holds
//    one worker for its timeout per attempt; the others wait only while every worker is so held.
//  - Each attempt has the target's timeout. 2xx is delivered; a transport error, 408, 429 or 5xx
//    is retried after an exponential backoff (initialBackoff doubling up to maxBackoff) up to
//    `attempts` attempts; any other answer (4xx: the receiver refuses it) fails at once.
//  - Destruction stops the workers: attempts in flight are cancelled and everything not yet
//    delivered is dropped (counted): delivery is at most once (see notification.h).
// Metric (registered on the Registry passed in):
//   telemetry_rollout_notifications_total{result="delivered|failed|dropped"}
// Time and waits go through the injected Clock, so tests drive backoff with SimulatedClock. Idle
// workers wait on a condition variable; at most one of them waits on the clock, for the earliest
// end of a backoff, and one does whenever a receiver is in backoff and a worker is idle
// (SimulatedClock::waiters() is then 1; otherwise 0).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

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
  size_t capacity = 64;  // pending notifications per receiver before its oldest is dropped
  int attempts = 5;      // per notification, the first included
  base::Duration initialBackoff = std::chrono::seconds(1);
  base::Duration maxBackoff = std::chrono::seconds(30);
  int maxConcurrentReceivers = 4;  // worker threads: receivers with an attempt in flight at once
  size_t maxReceivers = 1024;      // receivers with something pending, tracked at once
};

// The receiver whose queue a notification to `url` joins: the URL's origin (scheme, lower-cased
// host, port when not the scheme's default), or `url` itself when it does not parse (it always
// does once validated). Never carries the path or query, so it is safe to log.
std::string receiverKey(const std::string& url);

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

  // Notifications waiting, over all receivers (not counting those being sent or in backoff);
  // for tests and logs.
  size_t pending() const;
  // Receivers tracked: those with something pending, in flight or in backoff.
  size_t receivers() const;

 private:
  struct Queued {
    uint64_t seq = 0;  // order of notify() calls, across receivers
    Notification notification;
  };
  // One receiver's notifications: `current` is being delivered (an attempt in flight, or waiting
  // for `notBefore` after a failed one); `queue` waits behind it. Never empty while in the map.
  struct Receiver {
    std::optional<Queued> current;
    int attempts = 0;       // made on `current`
    bool inFlight = false;  // a worker is sending `current`: no other worker may take it
    base::MonoTime notBefore;
    std::deque<Queued> queue;
  };
  using Receivers = std::map<std::string, Receiver>;
  // What a worker may do now: the ready receiver holding the oldest notification (end() when
  // none), whether others are ready too, and when the earliest backoff ends.
  struct Choice {
    Receivers::iterator receiver;
    bool othersReady = false;
    std::optional<base::MonoTime> wakeAt;
  };
  enum class Outcome { Delivered, Failed, Retry, Abandoned };

  void run(std::stop_token stop);
  Choice choose(base::MonoTime now);  // under mu_
  // Under mu_: waits for a change, or on the clock for choice.wakeAt if no other worker does.
  void idle(std::unique_lock<std::mutex>& lock, const Choice& choice, std::stop_token stop);
  // Makes one attempt for `r` (taken under mu_, which is released during the POST).
  void attempt(Receivers::iterator r, std::unique_lock<std::mutex>& lock, std::stop_token stop);
  // Under mu_: the receiver's state after an attempt; may forget the receiver.
  Outcome settle(Receivers::iterator r, SendVerdict verdict, int attempt, bool stopped);

  const WebhookSenderPtr sender_;
  const base::Clock& clock_;
  const base::Logger log_;
  const NotifierOptions options_;
  runtime::Counter& delivered_;
  runtime::Counter& failed_;
  runtime::Counter& dropped_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;     // any change to receivers_; idle workers wait on it
  Receivers receivers_;                // guarded by mu_
  uint64_t nextSeq_ = 0;               // guarded by mu_
  bool clockWaiter_ = false;           // guarded by mu_: an idle worker waits on the clock
  std::vector<std::jthread> workers_;  // last: start once everything above exists
};

}  // namespace tro::controllers::notify
