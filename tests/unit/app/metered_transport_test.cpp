#include "operator/app/metered_transport.h"

#include <gtest/gtest.h>

namespace tro::app {
namespace {

// Answers with a fixed status, or fails like a refused connection when status is 0.
class FixedTransport final : public kube::Transport {
 public:
  explicit FixedTransport(int status) : status_(status) {}
  kube::Result<kube::HttpResponse> send(const kube::HttpRequest&,
                                        std::chrono::milliseconds) override {
    if (status_ == 0) {
      kube::Error refused;
      refused.kind = kube::ErrorKind::Transport;
      refused.message = "connection refused";
      return kube::fail(refused);
    }
    kube::HttpResponse r;
    r.status = status_;
    return r;
  }
  kube::Result<kube::StreamOpen> stream(const kube::HttpRequest&) override {
    kube::StreamOpen open;
    open.response.status = status_;
    return open;
  }

 private:
  int status_;
};

TEST(MeteredTransportTest, CountsEveryAttemptByMethodAndCode) {
  runtime::Registry registry;
  auto& requests = registry.counter("rest_client_requests_total", "requests", {"method", "code"});
  MeteredTransport ok(std::make_unique<FixedTransport>(200), requests);
  MeteredTransport conflict(std::make_unique<FixedTransport>(409), requests);
  MeteredTransport refused(std::make_unique<FixedTransport>(0), requests);
  kube::HttpRequest get{"GET", "/api/v1/namespaces", {}, {}, ""};
  kube::HttpRequest patch{"PATCH", "/apis/apps/v1/namespaces/a/deployments/b", {}, {}, "[]"};

  (void)ok.send(get, std::chrono::seconds(1));
  (void)ok.send(get, std::chrono::seconds(1));
  (void)ok.stream(get);
  (void)conflict.send(patch, std::chrono::seconds(1));
  EXPECT_FALSE(refused.send(patch, std::chrono::seconds(1)).ok());

  EXPECT_EQ(requests.labels({"GET", "200"}).value(), 3);
  EXPECT_EQ(requests.labels({"PATCH", "409"}).value(), 1);
  EXPECT_EQ(requests.labels({"PATCH", "<error>"}).value(), 1);
}

}  // namespace
}  // namespace tro::app
