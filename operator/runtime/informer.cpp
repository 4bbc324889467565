#include "operator/runtime/informer.h"

#include <utility>

#include "operator/base/free_memory.h"

namespace tro::runtime {

Informer::Informer(kube::ApiClient& client, const base::Clock& clock, WatcherConfig config,
                   StoreOptions storeOptions)
    : clock_(clock), watcher_(client, std::move(config)), store_(std::move(storeOptions)) {
  // Listed objects are prepared (projected, packed) one by one as their page is decoded.
  watcher_.setListSink(
      [this](kube::Json&& object) { pending_.push_back(store_.prepare(std::move(object))); });
}

Informer::~Informer() { stop(); }

void Informer::setHandlers(InformerHandlers handlers) { handlers_ = std::move(handlers); }

void Informer::setSyncedHandler(std::function<void()> onSynced) { onSynced_ = std::move(onSynced); }

void Informer::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Informer::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

bool Informer::hasSynced() const {
  std::lock_guard l(mu_);
  return synced_;
}

std::string Informer::lastError() const {
  std::lock_guard l(mu_);
  return lastError_ ? lastError_->toString() : std::string();
}

std::optional<kube::Error> Informer::lastFailure() const {
  std::lock_guard l(mu_);
  return lastError_;
}

bool Informer::waitForSync(base::MonoTime deadline) const {
  std::unique_lock l(mu_);
  while (!synced_ && clock_.monotonicNow() < deadline) {
    clock_.waitUntil(l, cv_, deadline, std::stop_token{});
  }
  return synced_;
}

void Informer::run(std::stop_token stop) {
  // A blocked stream read must return when we stop: cancel it from the stopping thread.
  std::stop_callback onStop(stop, [this] {
    watcher_.cancel();
    std::lock_guard l(mu_);  // pairs with the wait below: no lost wake-up
    cv_.notify_all();
  });
  while (!stop.stop_requested()) {
    StepResult result = watcher_.step();
    if (stop.stop_requested()) break;
    for (auto& event : result.events) handle(event);
    if (result.backoff > base::Duration{0}) {
      base::MonoTime until = clock_.monotonicNow() + result.backoff;
      std::unique_lock l(mu_);
      while (!stop.stop_requested() && clock_.monotonicNow() < until) {
        clock_.waitUntil(l, cv_, until, stop);
      }
    }
  }
}

void Informer::handle(WatcherEvent& event) {
  switch (event.kind) {
    case WatcherEvent::Kind::InitBegin:
      pending_.clear();
      break;
    case WatcherEvent::Kind::InitApply:
      break;  // the page's objects already went to the list sink (constructor), one by one
    case WatcherEvent::Kind::InitDone:
      finishInit(event.resourceVersion);
      break;
    case WatcherEvent::Kind::Apply: {
      auto [previous, stored] = store_.apply(std::move(event.object));
      if (!previous && handlers_.onAdd) handlers_.onAdd(stored);
      if (previous && handlers_.onUpdate) handlers_.onUpdate(previous, stored);
      break;
    }
    case WatcherEvent::Kind::Delete: {
      ObjectPtr removed = store_.remove(event.object);
      if (handlers_.onDelete) {
        handlers_.onDelete(removed ? removed : std::make_shared<const kube::Json>(event.object));
      }
      break;
    }
    case WatcherEvent::Kind::Error:
      // Recorded for metrics; the watcher already chose relist or backoff.
      errors_++;
      if (event.error) {
        std::lock_guard l(mu_);
        lastError_ = *event.error;
      }
      break;
  }
}

void Informer::finishInit(const std::string& resourceVersion) {
  StoreDiff diff = store_.replacePrepared(std::move(pending_), resourceVersion);
  pending_.clear();
  base::releaseFreeMemory();  // what the list's pages left between the stored objects
  {
    std::lock_guard l(mu_);
    synced_ = true;
    cv_.notify_all();
  }
  // One object decoded at a time: a packed store's relist never holds its trees all at once.
  for (const auto& object : diff.added) {
    if (handlers_.onAdd) handlers_.onAdd(object->object());
  }
  for (const auto& [previous, object] : diff.updated) {
    if (handlers_.onUpdate) handlers_.onUpdate(previous->object(), object->object());
  }
  for (const auto& object : diff.removed) {
    if (handlers_.onDelete) handlers_.onDelete(object->object());
  }
  if (onSynced_) onSynced_();
}

}  // namespace tro::runtime
