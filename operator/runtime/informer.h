#pragma once
// Informer: a thread that drives a Watcher and keeps a Store in step with the API server
// (client-go's SharedInformer, kube-rs' reflector).
//
// Contract:
//  - InitBegin..InitDone collects a full snapshot and replaces the store atomically, so objects
//    deleted while the watch was broken (410 Gone) disappear. Apply/Delete update the store.
//  - Handlers run on the informer thread AFTER the store is updated, so a handler that enqueues a
//    key sees the new state when the key is processed. Keep them short (enqueue, don't reconcile).
//    On a relist, onUpdate fires for objects whose resourceVersion changed, onAdd/onDelete for
//    objects that appeared/disappeared; unchanged objects fire nothing.
//  - Handlers must be set before start(). stop() (or destruction) cancels the open watch and
//    joins the thread. Backoff waits use Clock::waitUntil, so SimulatedClock drives them.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "operator/base/clock.h"
#include "operator/kube/api_client.h"
#include "operator/runtime/store.h"
#include "operator/runtime/watcher.h"

namespace tro::runtime {

struct InformerHandlers {
  std::function<void(const ObjectPtr&)> onAdd;
  std::function<void(const ObjectPtr& oldObject, const ObjectPtr& newObject)> onUpdate;
  std::function<void(const ObjectPtr&)> onDelete;
};

class Informer {
 public:
  Informer(kube::ApiClient& client, const base::Clock& clock, WatcherConfig config,
           StoreOptions storeOptions = treesWith(stripManagedFields));
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  void setHandlers(InformerHandlers handlers);  // before start()
  // Called on the informer thread after every complete list (the first and each relist), once
  // the store holds it and the handlers ran for its objects. Before start().
  void setSyncedHandler(std::function<void()> onSynced);
  void start();
  void stop();

  const Store& store() const { return store_; }
  bool hasSynced() const;
  // Blocks until the first list completed or `deadline` on the monotonic clock passes; returns
  // hasSynced().
  bool waitForSync(base::MonoTime deadline) const;

  // For metrics.
  uint64_t watchRestarts() const { return watcher_.watchRestarts(); }
  uint64_t relists() const { return watcher_.relists(); }
  uint64_t errors() const { return errors_.load(); }
  // The last error the watcher reported ("" if none yet), with its context.
  std::string lastError() const;
  // The same error as a value, for callers that decide on its kind or code.
  std::optional<kube::Error> lastFailure() const;

 private:
  void run(std::stop_token stop);
  void handle(WatcherEvent& event);
  void finishInit(const std::string& resourceVersion);

  const base::Clock& clock_;
  Watcher watcher_;
  Store store_;
  InformerHandlers handlers_;
  std::function<void()> onSynced_;
  std::vector<StoredPtr> pending_;  // informer thread only: the snapshot being listed
  std::atomic<uint64_t> errors_{0};

  mutable std::mutex mu_;
  mutable std::condition_variable_any cv_;
  bool synced_ = false;                   // guarded by mu_
  std::optional<kube::Error> lastError_;  // guarded by mu_
  std::jthread thread_;                   // last: joined before the members it uses are destroyed
};

}  // namespace tro::runtime
