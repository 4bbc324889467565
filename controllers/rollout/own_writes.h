#pragma once
// OwnWrites: the reconciler reads its own writes of each TelemetryRollout back over an informer
// cache that has not delivered them yet. Without it a reconcile that starts right after the
// previous one (a Deployment event, a polled alert) plans from the status before the write:
// seeing Progressing after a rollback, it enables the wave again, and its status write (a
// conflict, re-read, then written anyway) puts Progressing back, until the cache catches up; the
// crash trials caught this flapping eight times in a second. controller-runtime leaves this to
// each controller; kube-rs' reflector has the same lag.
// The same holds for the object a status write that lost to another writer (409) re-read: the
// next pass plans from it, not from the cache that has not seen the other writer yet.
//
// A write is recorded with the resourceVersions it superseded: the cached one the reconcile
// started from and the one its status update was made against. While the cache still holds one
// of those, freshest() answers the written object; once the cache holds anything else (the
// write itself, or a later change by anyone) the record is dropped and the cache is trusted.
// Thread-safe; one record per rollout.

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "operator/runtime/store.h"

namespace tro::controllers {

class OwnWrites {
 public:
  // `superseded`: resourceVersions the write replaced; `written`: the object the server stored.
  void record(const std::string& key, const std::set<std::string>& superseded,
              runtime::ObjectPtr written);
  // `cached`, or the recorded write when `cached` is one it superseded.
  runtime::ObjectPtr freshest(const std::string& key, runtime::ObjectPtr cached);
  // The cache now holds `resourceVersion` of `key`: a record it does not supersede is dropped
  // then, not at the next reconcile (which a rollout in a long window may not have for hours).
  void cacheHolds(const std::string& key, const std::string& resourceVersion);
  void forget(const std::string& key);

 private:
  struct Record {
    std::set<std::string> superseded;
    runtime::ObjectPtr written;
  };
  std::mutex mu_;
  std::map<std::string, Record> records_;  // guarded by mu_
};

}  // namespace tro::controllers
