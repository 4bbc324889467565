#pragma once
// InProcessApi: the operator's real client stack (kube::RestClient, requests.h, decode.h) talking
// to kubesim's API server core (kubesim::api::ApiServer) in the same process, with no socket in
// between. Every request is the HttpRequest the operator would send: its target is encoded as on
// the wire and parsed back by kubesim's own request-target parser, so paths, queries, patch
// types, Status errors, finalizers, defaulting, validation and watch events are the real server's
// (see docs/reference/kubesim.md for where kubesim and a real server still differ).
//
// Test controls sit around that stack, never inside it:
//  - failNext(verb, error, n): the next n calls of verb return `error` without reaching the
//    server; calls(verb) counts every call, injected or not;
//  - lastListOptions()/lastWatchOptions(): what the caller asked for last;
//  - compact(): an etcd compaction at the current revision (older watch and continue starting
//    points answer 410 Expired);
//  - closeWatches(): every open watch ends cleanly, as on timeoutSeconds;
//  - sendBookmark()/sendWatchError(): a BOOKMARK at the current revision, or an ERROR event that
//    ends the stream, on every open watch, after the events the server has already queued on it.
// A second InProcessApi made by share() talks to the same server with its own counters and
// injected errors (a second client of one cluster). Thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "operator/kube/api_client.h"

namespace tro::testing {

enum class Verb { Get, List, Watch, Create, Update, UpdateStatus, Patch, Remove };

enum class RolloutCrds {
  None,
  Shipped,  // crds/*.yaml exactly as shipped: TelemetryRollout and ClusterTelemetryRollout
  // The same CRDs with `spec` left unvalidated (as a CRD from a release that did not validate a
  // field would be): what tests of the controller's own validation need to get a malformed spec
  // past the server.
  OpenSpec,
};

struct InProcessApiOptions {
  // Namespaces created up front (the server starts with default, kube-system, kube-public and
  // kube-node-lease; creating a namespaced object elsewhere is a 404, as on a real server).
  std::vector<std::string> namespaces;
  // CustomResourceDefinitions installed up front: YAML or JSON documents.
  std::vector<std::string> crds;
  // This project's CRDs, installed after `crds`.
  RolloutCrds rolloutCrds = RolloutCrds::None;
  // Change events the server retains for watches and continue tokens.
  std::size_t watchHistory = 10000;
  // The server's clock (creationTimestamp, deletionTimestamp, managedFields times).
  std::function<std::chrono::system_clock::time_point()> clock;
};

class InProcessApi : public kube::ApiClient {
 public:
  class Cluster;  // the server, its transport and the real client over it (shared by share())

  explicit InProcessApi(InProcessApiOptions options = {});
  explicit InProcessApi(std::shared_ptr<Cluster> cluster);
  ~InProcessApi() override;
  InProcessApi(const InProcessApi&) = delete;
  InProcessApi& operator=(const InProcessApi&) = delete;

  // A second client of this one's server, with its own counters and injected errors.
  std::unique_ptr<InProcessApi> share() const;

  // --- test controls ---
  void failNext(Verb verb, kube::Error error, int times = 1);
  int calls(Verb verb) const;
  kube::ListOptions lastListOptions() const;
  kube::WatchOptions lastWatchOptions() const;
  void compact();
  void closeWatches();
  void sendBookmark();
  // Ends every open watch with an ERROR event carrying `error`'s Status.
  void sendWatchError(const kube::Error& error);
  size_t openWatches() const;
  // The server's current resourceVersion (what a LIST answers now).
  std::string currentResourceVersion() const;
  // Creates a Namespace (a no-op when it exists).
  void createNamespace(const std::string& name);

  // --- ApiClient ---
  kube::Result<kube::Json> get(const kube::ResourceType& type, const std::string& ns,
                               const std::string& name) override;
  kube::Result<kube::Json> list(const kube::ResourceType& type, const std::string& ns,
                                const kube::ListOptions& options) override;
  kube::Result<kube::Json> listEach(const kube::ResourceType& type, const std::string& ns,
                                    const kube::ListOptions& options,
                                    const std::function<void(kube::Json&&)>& onItem) override;
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

 private:
  // Counts the call; true (and `error` set) when an injected error answers it.
  bool injected(Verb verb, kube::Error& error);

  std::shared_ptr<Cluster> cluster_;
  mutable std::mutex mu_;
  std::map<Verb, std::vector<kube::Error>> injected_;  // guarded by mu_; front = next
  std::map<Verb, int> calls_;                          // guarded by mu_
  kube::ListOptions lastList_;                         // guarded by mu_
  kube::WatchOptions lastWatch_;                       // guarded by mu_
};

// Builds an Api error as the server would send it, for failNext() and assertions.
kube::Error apiError(int code, const std::string& reason, const std::string& message);

}  // namespace tro::testing
