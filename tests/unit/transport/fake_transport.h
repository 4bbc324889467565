#pragma once
// A scripted Transport for decorator tests: answers send()/stream() from a queue of outcomes and
// records every request it saw. Thread-safe so a test thread can inspect it while a worker sends.

#include <deque>
#include <mutex>
#include <vector>

#include "operator/kube/transport.h"

namespace tro::kube::transport::testing {

class FakeLineStream final : public LineStream {
 public:
  Result<std::optional<std::string>> nextLine() override { return std::optional<std::string>(); }
  void cancel() override {}
};

struct FakeState {
  std::mutex mu;
  std::deque<Result<HttpResponse>> outcomes;  // consumed by send() and stream()
  std::vector<HttpRequest> seen;
  size_t calls() {
    std::lock_guard l(mu);
    return seen.size();
  }
};

class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(FakeState& state) : state_(state) {}

  Result<HttpResponse> send(const HttpRequest& request, std::chrono::milliseconds) override {
    std::lock_guard l(state_.mu);
    state_.seen.push_back(request);
    if (state_.outcomes.empty()) return HttpResponse{200, {}, "default"};
    Result<HttpResponse> next = std::move(state_.outcomes.front());
    state_.outcomes.pop_front();
    return next;
  }

  Result<StreamOpen> stream(const HttpRequest& request) override {
    Result<HttpResponse> r = send(request, std::chrono::milliseconds(0));
    if (!r.ok()) return fail(r.error());
    StreamOpen open;
    open.response = r.value();
    if (open.response.status / 100 == 2) {
      open.response.body.clear();
      open.stream = std::make_unique<FakeLineStream>();
    }
    return open;
  }

 private:
  FakeState& state_;
};

inline HttpResponse response(int status, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), "body-" + std::to_string(status)};
}

inline Error error(ErrorKind kind, std::string reason = "") {
  Error e;
  e.kind = kind;
  e.reason = std::move(reason);
  e.message = "fake";
  return e;
}

}  // namespace tro::kube::transport::testing
