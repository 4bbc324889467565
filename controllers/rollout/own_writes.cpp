#include "controllers/rollout/own_writes.h"

namespace tro::controllers {

using runtime::resourceVersionOf;  // operator/runtime/store.h

void OwnWrites::record(const std::string& key, const std::set<std::string>& superseded,
                       runtime::ObjectPtr written) {
  std::lock_guard lock(mu_);
  Record& r = records_[key];
  // A chain of writes over a cache that saw none of them: every earlier version is superseded.
  if (r.written) r.superseded.insert(resourceVersionOf(*r.written));
  r.superseded.insert(superseded.begin(), superseded.end());
  r.superseded.erase("");
  r.written = std::move(written);
}

runtime::ObjectPtr OwnWrites::freshest(const std::string& key, runtime::ObjectPtr cached) {
  std::lock_guard lock(mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return cached;
  if (cached && it->second.superseded.count(resourceVersionOf(*cached)) > 0)
    return it->second.written;
  records_.erase(it);  // the cache has our write, or something newer
  return cached;
}

void OwnWrites::cacheHolds(const std::string& key, const std::string& resourceVersion) {
  std::lock_guard lock(mu_);
  auto it = records_.find(key);
  if (it != records_.end() && it->second.superseded.count(resourceVersion) == 0) records_.erase(it);
}

void OwnWrites::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  records_.erase(key);
}

}  // namespace tro::controllers
