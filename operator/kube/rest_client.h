#pragma once
// ApiClient over a Transport: builds each request with requests.h, sends it, and decodes the
// answer with decode.h. Errors carry context naming the verb and object ("get deployments
// shop/api: ..."). Rate limiting and retries are not done here: wrap the Transport in the
// decorators of operator/kube/transport/ for that.
//
// The Transport must outlive the client. The client holds no mutable state, so it may be used
// from several threads if the Transport may.

#include <chrono>

#include "operator/kube/api_client.h"
#include "operator/kube/transport.h"

namespace tro::kube {

class RestClient final : public ApiClient {
 public:
  explicit RestClient(Transport& transport,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Every request's timeout (the HTTP transport keeps one connection pool per timeout).
  std::chrono::milliseconds timeout() const { return timeout_; }

  Result<Json> get(const ResourceType& type, const std::string& ns,
                   const std::string& name) override;
  Result<Json> list(const ResourceType& type, const std::string& ns,
                    const ListOptions& options) override;
  Result<Json> listEach(const ResourceType& type, const std::string& ns, const ListOptions& options,
                        const std::function<void(Json&&)>& onItem) override;
  // 2xx: a stream decoding one event per line (blank lines skipped). Non-2xx: the decoded Error.
  Result<WatchStreamPtr> watch(const ResourceType& type, const std::string& ns,
                               const WatchOptions& options) override;
  Result<Json> create(const ResourceType& type, const std::string& ns, const Json& object,
                      const WriteOptions& options) override;
  Result<Json> update(const ResourceType& type, const std::string& ns, const Json& object,
                      const WriteOptions& options) override;
  Result<Json> updateStatus(const ResourceType& type, const std::string& ns, const Json& object,
                            const WriteOptions& options) override;
  Result<Json> patch(const ResourceType& type, const std::string& ns, const std::string& name,
                     PatchType patchType, const std::string& body,
                     const PatchOptions& options) override;
  Result<Json> remove(const ResourceType& type, const std::string& ns, const std::string& name,
                      const DeleteOptions& options) override;

 private:
  // Sends a built request and decodes the answer; `context` prefixes any error.
  Result<Json> execute(const Result<HttpRequest>& request, const std::string& context);

  Transport& transport_;
  std::chrono::milliseconds timeout_;
};

}  // namespace tro::kube
