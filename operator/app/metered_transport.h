#pragma once
// Counts every HTTP attempt to the API server as rest_client_requests_total{method, code}, as
// client-go does: it sits innermost in the client stack, under rate limiting and retries, so a
// retried request counts once per attempt. Transport failures count with code "<error>".

#include "operator/kube/transport.h"
#include "operator/runtime/metrics.h"

namespace tro::app {

class MeteredTransport final : public kube::Transport {
 public:
  MeteredTransport(kube::TransportPtr inner, runtime::CounterFamily& requests)
      : inner_(std::move(inner)), requests_(requests) {}

  kube::Result<kube::HttpResponse> send(const kube::HttpRequest& request,
                                        std::chrono::milliseconds timeout) override;
  kube::Result<kube::StreamOpen> stream(const kube::HttpRequest& request) override;

 private:
  void count(const std::string& method, int status);
  kube::TransportPtr inner_;
  runtime::CounterFamily& requests_;
};

}  // namespace tro::app
