#pragma once
// The typed verbs of the Kubernetes API, as the runtime and controllers use them. RestClient
// (operator/kube/rest_client.h) implements it over a Transport with rate limiting, retries and
// Status decoding; tests implement it with in-memory fakes.
//
// Every method returns the decoded object (or List / Status) on 2xx, or an Error carrying the
// server's Status. Writes are never retried blindly: only reads, watches and writes that cannot
// have taken effect (connection refused, 429 with Retry-After) are retried by RestClient.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "operator/kube/error.h"
#include "operator/kube/resource.h"

namespace tro::kube {

class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // The next event. nullopt: the server closed the stream normally (timeoutSeconds elapsed) and
  // the caller may resume from the last resourceVersion it saw. An ERROR event from the server
  // is returned as an Error carrying its Status (410 Expired => isGone()).
  virtual Result<std::optional<WatchEvent>> next() = 0;
  // Thread-safe; unblocks next(), which returns a Cancelled error.
  virtual void cancel() = 0;
};
using WatchStreamPtr = std::unique_ptr<WatchStream>;

class ApiClient {
 public:
  virtual ~ApiClient() = default;
  // `ns` is ignored for cluster-scoped types; "" on a namespaced type means all namespaces
  // (list/watch only).
  virtual Result<Json> get(const ResourceType& type, const std::string& ns,
                           const std::string& name) = 0;
  virtual Result<Json> list(const ResourceType& type, const std::string& ns,
                            const ListOptions& options) = 0;
  // list(), with each object of `items` handed to `onItem` as it is decoded and left out of the
  // returned page (whose metadata and other fields are as list() gives them): a page of 500
  // Deployments never exists as one tree. This default decodes the whole page first.
  virtual Result<Json> listEach(const ResourceType& type, const std::string& ns,
                                const ListOptions& options,
                                const std::function<void(Json&&)>& onItem) {
    auto page = list(type, ns, options);
    if (!page.ok()) return page;
    if (auto items = page->find("items"); items != page->end() && items->is_array()) {
      for (auto& item : *items) onItem(std::move(item));
      *items = Json::array();
    }
    return page;
  }
  virtual Result<WatchStreamPtr> watch(const ResourceType& type, const std::string& ns,
                                       const WatchOptions& options) = 0;
  virtual Result<Json> create(const ResourceType& type, const std::string& ns, const Json& object,
                              const WriteOptions& options) = 0;
  // PUT; the object must carry metadata.resourceVersion (optimistic concurrency).
  virtual Result<Json> update(const ResourceType& type, const std::string& ns, const Json& object,
                              const WriteOptions& options) = 0;
  virtual Result<Json> updateStatus(const ResourceType& type, const std::string& ns,
                                    const Json& object, const WriteOptions& options) = 0;
  // `body` is the patch document as sent (JSON; for Apply, JSON is valid YAML).
  virtual Result<Json> patch(const ResourceType& type, const std::string& ns,
                             const std::string& name, PatchType patchType, const std::string& body,
                             const PatchOptions& options) = 0;
  virtual Result<Json> remove(const ResourceType& type, const std::string& ns,
                              const std::string& name, const DeleteOptions& options) = 0;
};

}  // namespace tro::kube
