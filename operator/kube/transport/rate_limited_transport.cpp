#include "operator/kube/transport/rate_limited_transport.h"

#include <utility>

namespace tro::kube::transport {
namespace {

Error cancelledWaitingForToken() {
  Error e;
  e.kind = ErrorKind::Cancelled;
  e.message = "cancelled while waiting for the client-side rate limiter";
  return e;
}

}  // namespace

RateLimitedTransport::RateLimitedTransport(TransportPtr inner, RateLimiter& limiter,
                                           std::stop_token stop)
    : inner_(std::move(inner)), limiter_(limiter), stop_(std::move(stop)) {}

Result<HttpResponse> RateLimitedTransport::send(const HttpRequest& request,
                                                std::chrono::milliseconds timeout) {
  if (!limiter_.acquire(stop_)) return fail(cancelledWaitingForToken());
  return inner_->send(request, timeout);
}

Result<StreamOpen> RateLimitedTransport::stream(const HttpRequest& request) {
  if (!limiter_.acquire(stop_)) return fail(cancelledWaitingForToken());
  return inner_->stream(request);
}

}  // namespace tro::kube::transport
