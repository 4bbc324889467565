#pragma once
// InformerSet: informers of one resource type, one per namespace that is wanted, started by
// want() and stopped by release() (issue 11: the operator watches Deployments only in the
// namespaces that hold TelemetryRollouts, so a cluster of 5,000 Deployments costs it only the
// ones near its rollouts). want("") is one informer over all namespaces.
//
// Contract:
//  - want() and release() are idempotent and may be called from any thread (the rollout
//    informer's handlers call them). want() of a namespace not watched yet starts its informer,
//    which lists it and then follows its watch; its handlers run for every object listed, so a
//    Deployment that matches a selector later arrives as an update like any other.
//  - release() stops the namespace's informer and drops its cache. A reader that still holds the
//    store (store()) keeps it alive, unchanging, until it lets go.
//  - stopAll() stops and drops every informer; the destructor calls it.
// Thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "operator/runtime/informer.h"

namespace tro::runtime {

class InformerSet {
 public:
  // `client` and `clock` must outlive the set. `watcher.ns` is set per informer.
  InformerSet(kube::ApiClient& client, const base::Clock& clock, WatcherConfig watcher,
              StoreOptions store);
  ~InformerSet();
  InformerSet(const InformerSet&) = delete;
  InformerSet& operator=(const InformerSet&) = delete;

  void setHandlers(InformerHandlers handlers);  // before the first want()
  // After each complete list of namespace `ns` ("" for the all-namespaces informer), on that
  // informer's thread (Informer::setSyncedHandler). Before the first want().
  void setSyncedHandler(std::function<void(const std::string& ns)> onSynced);
  void want(const std::string& ns);
  void release(const std::string& ns);
  void stopAll();

  // The caches that hold namespace `ns`: its own informer's and the all-namespaces one's.
  std::vector<std::shared_ptr<const Store>> stores(const std::string& ns) const;
  // Whether `ns` is watched (by its own informer or the all-namespaces one) and listed.
  bool synced(const std::string& ns) const;
  // Whether every watched namespace is listed.
  bool synced() const;
  // Why `ns` is not listed yet: the last error of the informers that hold it and have not
  // listed (e.g. "list statefulsets: 403 Forbidden ..."); "" while they merely list, or once
  // listed, or when `ns` is not watched.
  std::string listProblem(const std::string& ns) const;
  std::vector<std::string> namespaces() const;  // watched, sorted; "" = all
  size_t size() const;

 private:
  kube::ApiClient& client_;
  const base::Clock& clock_;
  const WatcherConfig watcher_;
  const StoreOptions store_;
  InformerHandlers handlers_;
  std::function<void(const std::string& ns)> onSynced_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Informer>> informers_;  // guarded by mu_
};

}  // namespace tro::runtime
