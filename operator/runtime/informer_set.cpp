#include "operator/runtime/informer_set.h"

#include <utility>

namespace tro::runtime {

InformerSet::InformerSet(kube::ApiClient& client, const base::Clock& clock, WatcherConfig watcher,
                         StoreOptions store)
    : client_(client), clock_(clock), watcher_(std::move(watcher)), store_(std::move(store)) {}

void InformerSet::setHandlers(InformerHandlers handlers) {
  std::lock_guard l(mu_);
  handlers_ = std::move(handlers);
}

void InformerSet::setSyncedHandler(std::function<void(const std::string& ns)> onSynced) {
  std::lock_guard l(mu_);
  onSynced_ = std::move(onSynced);
}

InformerSet::~InformerSet() { stopAll(); }

void InformerSet::want(const std::string& ns) {
  std::shared_ptr<Informer> started;
  {
    std::lock_guard l(mu_);
    if (informers_.contains(ns)) return;
    WatcherConfig watcher = watcher_;
    watcher.ns = ns;
    started = std::make_shared<Informer>(client_, clock_, std::move(watcher), store_);
    started->setHandlers(handlers_);
    if (onSynced_) started->setSyncedHandler([onSynced = onSynced_, ns] { onSynced(ns); });
    informers_.emplace(ns, started);
    // Started under the lock: a release() racing this want() finds a running informer to stop.
    started->start();
  }
}

void InformerSet::release(const std::string& ns) {
  std::shared_ptr<Informer> stopping;
  {
    std::lock_guard l(mu_);
    auto it = informers_.find(ns);
    if (it == informers_.end()) return;
    stopping = std::move(it->second);
    informers_.erase(it);
  }
  stopping->stop();  // joins its thread: outside the lock, so readers are not held up
}

void InformerSet::stopAll() {
  std::map<std::string, std::shared_ptr<Informer>> stopping;
  {
    std::lock_guard l(mu_);
    std::swap(stopping, informers_);
  }
  for (auto& [ns, informer] : stopping) informer->stop();
}

std::vector<std::shared_ptr<const Store>> InformerSet::stores(const std::string& ns) const {
  std::vector<std::shared_ptr<const Store>> out;
  std::lock_guard l(mu_);
  for (const std::string& key : {ns, std::string()}) {
    auto it = informers_.find(key);
    if (it == informers_.end()) continue;
    // Shares the informer's ownership: the store outlives a release() while it is read.
    out.emplace_back(it->second, &it->second->store());
    if (key.empty()) break;
  }
  return out;
}

bool InformerSet::synced(const std::string& ns) const {
  std::lock_guard l(mu_);
  for (const std::string& key : {ns, std::string()}) {
    auto it = informers_.find(key);
    if (it != informers_.end() && it->second->hasSynced()) return true;
  }
  return false;
}

std::string InformerSet::listProblem(const std::string& ns) const {
  std::lock_guard l(mu_);
  for (const std::string& key : {ns, std::string()}) {
    auto it = informers_.find(key);
    if (it != informers_.end() && !it->second->hasSynced()) {
      if (std::string e = it->second->lastError(); !e.empty()) return e;
    }
  }
  return "";
}

bool InformerSet::synced() const {
  std::lock_guard l(mu_);
  for (const auto& [ns, informer] : informers_) {
    if (!informer->hasSynced()) return false;
  }
  return true;
}

std::vector<std::string> InformerSet::namespaces() const {
  std::lock_guard l(mu_);
  std::vector<std::string> out;
  for (const auto& [ns, informer] : informers_) out.push_back(ns);
  return out;
}

size_t InformerSet::size() const {
  std::lock_guard l(mu_);
  return informers_.size();
}

}  // namespace tro::runtime
