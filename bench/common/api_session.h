#pragma once
// ApiSession: the operator's own client stack (kubeconfig -> cpprestsdk transport -> RestClient)
// pointed at kubesim, for benchmarks. Deliberately without the operator's client-side rate limit
// and retries: a benchmark measures the server, and a failed request must show up as an error,
// not as a slower success. Thread-safe like RestClient (the transport may be shared).

#include <filesystem>
#include <memory>

#include "operator/kube/api_client.h"
#include "operator/kube/transport.h"

namespace tro::bench {

class ApiSession {
 public:
  // Config error when the kubeconfig cannot be read or its TLS material cannot be used.
  static kube::Result<std::unique_ptr<ApiSession>> open(const std::filesystem::path& kubeconfig);
  ApiSession(kube::TransportPtr transport, std::unique_ptr<kube::ApiClient> client)
      : transport_(std::move(transport)), client_(std::move(client)) {}

  kube::ApiClient& client() { return *client_; }

 private:
  kube::TransportPtr transport_;  // declared first: the client refers to it
  std::unique_ptr<kube::ApiClient> client_;
};

}  // namespace tro::bench
