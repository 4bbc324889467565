#pragma once
// FakeApiClient: an in-memory kube::ApiClient for runtime and controller tests.
//
// Behaves like the API server where the runtime depends on it:
//  - one global, increasing resourceVersion stamped on every write; uid and generation on create;
//  - list: equality label selectors ("a=b,c==d,e!=f"), paging with limit/continue; a continue
//    token older than the retained history answers 410 Expired (like a compacted etcd);
//  - watch: replays retained events after the requested resourceVersion ("" / "0": synthetic
//    ADDED for the current state), then streams new ones; a resourceVersion older than the
//    retained history answers 410 Expired; BOOKMARKs are sent only when a test calls
//    sendBookmark(); streams end cleanly only when a test calls closeWatches();
//  - create: 409 AlreadyExists; update/updateStatus: 404, and 409 Conflict on a stale
//    metadata.resourceVersion (an empty one is an unconditional update); patch: merge and JSON
//    patch (strategic merge and apply are treated as merge patches); remove: 404.
// Caveats: no field selectors, generateName, finalizers, admission or defaulting; later list
// pages show the current state rather than the first page's snapshot; watch events are filtered
// on the object's new labels (no synthetic DELETED when an object stops matching a selector);
// the body's namespace must match the request's (400 otherwise, as the real server answers).
// Thread-safe. Error injection: failNext(verb, error, n) makes the next n calls of verb fail.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "operator/kube/api_client.h"

namespace tro::testing {

enum class Verb { Get, List, Watch, Create, Update, UpdateStatus, Patch, Remove };

class FakeApiClient : public kube::ApiClient {
 public:
  // `retainedHistory`: how many past events watches and continue tokens can still reach.
  explicit FakeApiClient(size_t retainedHistory = 10000);
  ~FakeApiClient() override;

  // --- test controls ---
  void failNext(Verb verb, kube::Error error, int times = 1);
  // Forget all history: every resume point before now becomes 410 Expired.
  void compact();
  void setRetainedHistory(size_t events);
  // Ends every open watch cleanly (next() returns nullopt), as timeoutSeconds would.
  void closeWatches();
  // Sends a BOOKMARK at the current resourceVersion to every open watch.
  void sendBookmark();
  // Delivers `error` as an ERROR event to every open watch.
  void sendWatchError(kube::Error error);
  size_t openWatches() const;
  int calls(Verb verb) const;
  std::string currentResourceVersion() const;
  // The options of the last list / watch call (for asserting what the caller sent).
  kube::ListOptions lastListOptions() const;
  kube::WatchOptions lastWatchOptions() const;

  // --- ApiClient ---
  kube::Result<kube::Json> get(const kube::ResourceType& type, const std::string& ns,
                               const std::string& name) override;
  kube::Result<kube::Json> list(const kube::ResourceType& type, const std::string& ns,
                                const kube::ListOptions& options) override;
  kube::Result<kube::WatchStreamPtr> watch(const kube::ResourceType& type, const std::string& ns,
                                           const kube::WatchOptions& options) override;
  kube::Result<kube::Json> create(const kube::ResourceType& type, const std::string& ns,
                                  const kube::Json& object,
                                  const kube::WriteOptions& options) override;
  kube::Result<kube::Json> update(const kube::ResourceType& type, const std::string& ns,
                                  const kube::Json& object,
                                  const kube::WriteOptions& options) override;
  kube::Result<kube::Json> updateStatus(const kube::ResourceType& type, const std::string& ns,
                                        const kube::Json& object,
                                        const kube::WriteOptions& options) override;
  kube::Result<kube::Json> patch(const kube::ResourceType& type, const std::string& ns,
                                 const std::string& name, kube::PatchType patchType,
                                 const std::string& body,
                                 const kube::PatchOptions& options) override;
  kube::Result<kube::Json> remove(const kube::ResourceType& type, const std::string& ns,
                                  const std::string& name,
                                  const kube::DeleteOptions& options) override;

  struct Stream;  // shared between the fake and the WatchStream it hands out

 private:
  struct LoggedEvent {
    std::string typeKey;
    kube::WatchEvent event;
    uint64_t resourceVersion;
  };
  using Objects = std::map<std::string, kube::Json>;  // "ns/name" -> object

  bool takeInjected(Verb verb, kube::Error& error);                     // requires mu_
  Objects& objectsOf(const kube::ResourceType& type);                   // requires mu_
  kube::Json stamp(const kube::ResourceType& type, kube::Json object);  // requires mu_
  void record(const kube::ResourceType& type, kube::WatchEventType kind,
              const kube::Json& object);  // requires mu_
  kube::Result<kube::Json> write(const kube::ResourceType& type, const std::string& ns,
                                 kube::Json object, bool statusOnly);  // requires mu_
  void trimHistory();                                                  // requires mu_

  mutable std::mutex mu_;
  std::map<std::string, Objects> objects_;            // guarded by mu_; typeKey -> objects
  std::deque<LoggedEvent> history_;                   // guarded by mu_
  size_t retained_;                                   // guarded by mu_
  uint64_t resourceVersion_ = 100;                    // guarded by mu_
  uint64_t compactedThrough_ = 0;                     // guarded by mu_; RVs <= this are gone
  uint64_t nextUid_ = 1;                              // guarded by mu_
  std::map<Verb, std::deque<kube::Error>> injected_;  // guarded by mu_
  std::map<Verb, int> calls_;                         // guarded by mu_
  std::vector<std::weak_ptr<Stream>> streams_;        // guarded by mu_
  kube::ListOptions lastList_;                        // guarded by mu_
  kube::WatchOptions lastWatch_;                      // guarded by mu_
};

// Builds an Api error as the server would send it, for failNext() and assertions.
kube::Error apiError(int code, const std::string& reason, const std::string& message);

}  // namespace tro::testing
