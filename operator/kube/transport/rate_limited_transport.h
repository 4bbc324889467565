#pragma once
// A Transport that takes a RateLimiter token before every send() and stream() and then
// delegates. Put it inside a RetryingTransport so that every attempt, retries included, is
// limited. When `stop` is requested while waiting for a token the call returns a Cancelled error.

#include <stop_token>

#include "operator/kube/transport.h"
#include "operator/kube/transport/rate_limiter.h"

namespace tro::kube::transport {

class RateLimitedTransport final : public Transport {
 public:
  // `limiter` must outlive this transport; it may be shared by several transports.
  RateLimitedTransport(TransportPtr inner, RateLimiter& limiter, std::stop_token stop = {});

  Result<HttpResponse> send(const HttpRequest& request, std::chrono::milliseconds timeout) override;
  Result<StreamOpen> stream(const HttpRequest& request) override;

 private:
  TransportPtr inner_;
  RateLimiter& limiter_;
  std::stop_token stop_;
};

}  // namespace tro::kube::transport
