#pragma once
// ApiServer: the transport-independent core of kubesim. It answers every Kubernetes API request
// (discovery, OpenAPI, CRUD on built-in kinds and CRD kinds, patches, status subresource,
// finalizers and garbage collection, lists with selectors/paging/Table) as a value-to-value call,
// and serves watches as pull-based event streams. All state lives in memory and is guarded by one
// mutex; every method is thread-safe.
// Caveats: /version, /healthz, /livez, /readyz and authentication belong to the HTTP layer.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/object_store.h"
#include "kubesim/api/request.h"
#include "kubesim/common/api_error.h"

namespace kubesim::api {

// One watch stream. Lines are single JSON watch events ({"type":...,"object":...}) without a
// trailing newline. The stream finishes after an ERROR event, on timeoutSeconds, when the server
// drops a watcher that fell too far behind, or on cancel(); the client then resumes.
class Watch {
 public:
  virtual ~Watch() = default;
  // Next event line; nullopt when none arrived within `wait` or the stream is finished.
  virtual std::optional<std::string> nextLine(std::chrono::milliseconds wait) = 0;
  // True once no more lines will come (queued lines have all been taken).
  virtual bool finished() const = 0;
  // Ends the stream (idempotent); safe to call from any thread.
  virtual void cancel() = 0;
};
using WatchPtr = std::unique_ptr<Watch>;

class ApiServer {
 public:
  struct Options {
    // Number of change events retained for watches that resume from a resourceVersion (and for
    // continue tokens); older starting points get 410 Expired.
    std::size_t watchHistory = 1000;
    // Source of creationTimestamp/deletionTimestamp/managedFields times.
    std::function<std::chrono::system_clock::time_point()> clock = [] {
      return std::chrono::system_clock::now();
    };
    // Seed for the UUIDv4 generator (uids), so tests get reproducible uids.
    std::uint64_t uidSeed = 0x5eed;
    // Maximum events queued per watch before the watch is closed (client resumes).
    std::size_t watchQueueLimit = 10000;
    // Interval between BOOKMARK events when allowWatchBookmarks=true.
    std::chrono::milliseconds bookmarkInterval{std::chrono::seconds(60)};
  };

  explicit ApiServer(Options options);
  ApiServer() : ApiServer(Options{}) {}
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Every non-watch request. Never throws; client errors become Status responses. A request with
  // groups (an authenticated user's) is authorized first; one its user may not make is a 403.
  Response handle(const Request& request);

  // The user of a ServiceAccount token issued by this server's TokenRequest API
  // (`kubectl create token`), while it is unexpired and its ServiceAccount (and the object it is
  // bound to, if any) still exists; nullopt for any other string.
  std::optional<UserInfo> authenticate(const std::string& token);

  // True when the request is a watch (?watch=true or 1, or the legacy /watch/ path prefix).
  static bool isWatch(const Request& request);

  // Starts a watch described by the request (path of a collection, query: resourceVersion,
  // labelSelector, fieldSelector, allowWatchBookmarks, timeoutSeconds). Errors (unknown resource,
  // bad selector) are returned before any line; an expired resourceVersion is reported as an
  // ERROR event line (410 Expired), as the real server does.
  Result<WatchPtr> watch(const Request& request);

  // In-process change feed for kubesim's own simulated controllers (their informer). `listener`
  // first receives the stored objects of `groupResources` ("apps/deployments", "/pods") as Added
  // changes, then every later change of those resources, in resourceVersion order. It is called
  // under the server's lock: it must be quick and must not call the server. Returns an id for
  // unsubscribe(), after which the listener is never called again.
  using ChangeListener = std::function<void(const Change&)>;
  std::uint64_t subscribe(std::vector<std::string> groupResources, ChangeListener listener);
  void unsubscribe(std::uint64_t id);

  // Drops the whole change history, as an etcd compaction at the current revision does: every
  // watch or continue token starting before now then answers 410 Expired.
  void compact();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kubesim::api
