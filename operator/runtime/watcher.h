#pragma once
// Watcher: the list-then-watch loop as an explicit state machine (kube-rs watcher.rs).
//
//   Empty --InitBegin--> InitListing --(pages: InitApply)...--InitDone--> InitListed
//   InitListed --open watch from the list's resourceVersion--> Watching
//   Watching --event--> Watching (Apply / Delete; bookmarks only move the resourceVersion)
//   Watching --clean close (timeoutSeconds)--> InitListed   (resume, no relist)
//   any --410 Gone (watch ERROR event, watch open, expired continue token)--> Empty (relist)
//   any --other error--> same state, with a backoff delay in the StepResult
//
// Contract: step() performs one transition (at most one API call or one stream read) and returns
// the events it produced. It never sleeps: the caller waits `StepResult::backoff` before the next
// step (the informer does so on its Clock). Backoff is exponential, capped, reset on success.
// step() must be called from one thread; cancel() and the counters are thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "operator/base/clock.h"
#include "operator/kube/api_client.h"

namespace tro::runtime {

enum class WatcherState { Empty, InitListing, InitListed, Watching };

struct WatcherEvent {
  enum class Kind { InitBegin, InitApply, InitDone, Apply, Delete, Error };
  Kind kind;
  std::vector<kube::Json> objects;   // InitApply: one page
  kube::Json object;                 // Apply / Delete
  std::optional<kube::Error> error;  // Error
  std::string resourceVersion;       // InitDone: the list's resourceVersion
};

struct WatcherConfig {
  kube::ResourceType type;
  std::string ns;  // "" = all namespaces (or cluster-scoped)
  std::string labelSelector;
  std::string fieldSelector;
  int pageSize = 500;
  int watchTimeoutSeconds = 290;
  base::Duration initialBackoff = std::chrono::milliseconds(800);
  base::Duration maxBackoff = std::chrono::seconds(30);
  // Called on the stepping thread whenever the watch is re-opened or relisted (for metrics such
  // as watch_restarts_total); must not block.
  std::function<void()> onRestart;
};

struct StepResult {
  std::vector<WatcherEvent> events;
  base::Duration backoff{0};  // > 0: wait this long before the next step
};

class Watcher {
 public:
  Watcher(kube::ApiClient& client, WatcherConfig config);
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  StepResult step();
  // When set (before the first step), each listed object goes to `sink` as its page is decoded,
  // on the stepping thread, and InitApply events carry none: the informer stores each as it
  // arrives, so a page never exists as one tree (kube::ApiClient::listEach).
  void setListSink(std::function<void(kube::Json&&)> sink) { listSink_ = std::move(sink); }
  // Thread-safe: cancels the open watch (its next() returns Cancelled) and any watch opened later.
  void cancel();

  WatcherState state() const { return state_; }
  // Resume point: the list's resourceVersion, then the last event's or bookmark's.
  const std::string& resourceVersion() const { return resourceVersion_; }
  uint64_t watchRestarts() const { return watchRestarts_.load(); }  // re-opened without relist
  uint64_t relists() const { return relists_.load(); }              // 410 Gone -> Empty

 private:
  StepResult stepEmpty();
  StepResult stepListing();
  StepResult stepOpenWatch();
  StepResult stepWatching();
  StepResult failed(kube::Error error);
  void setStream(kube::WatchStreamPtr stream);

  kube::ApiClient& client_;
  WatcherConfig config_;
  std::function<void(kube::Json&&)> listSink_;
  WatcherState state_ = WatcherState::Empty;
  std::string continueToken_;
  std::string resourceVersion_;
  base::Duration backoff_{0};
  std::atomic<uint64_t> watchRestarts_{0};
  std::atomic<uint64_t> relists_{0};

  std::mutex streamMu_;          // guards stream_ and cancelled_ against cancel()
  kube::WatchStreamPtr stream_;  // guarded by streamMu_ (read by step() without it: one writer)
  bool cancelled_ = false;       // guarded by streamMu_
};

}  // namespace tro::runtime
