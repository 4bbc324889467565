#include "operator/app/metered_transport.h"

namespace tro::app {

void MeteredTransport::count(const std::string& method, int status) {
  requests_.labels({method, status > 0 ? std::to_string(status) : "<error>"}).inc();
}

kube::Result<kube::HttpResponse> MeteredTransport::send(const kube::HttpRequest& request,
                                                        std::chrono::milliseconds timeout) {
  auto response = inner_->send(request, timeout);
  count(request.method, response.ok() ? response->status : 0);
  return response;
}

kube::Result<kube::StreamOpen> MeteredTransport::stream(const kube::HttpRequest& request) {
  auto opened = inner_->stream(request);
  count(request.method, opened.ok() ? opened->response.status : 0);
  return opened;
}

}  // namespace tro::app
