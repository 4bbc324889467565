#pragma once
// A Transport for tests: records every request and answers from a script. send() pops the next
// canned response (or error); stream() pops the next scripted stream open. An unscripted call is
// a test bug and answers with a Transport error rather than crashing.

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "operator/kube/transport.h"

namespace tro::kube::testing {

// Yields scripted lines, then either a clean end (nullopt) or the scripted final error.
class ScriptedLineStream final : public LineStream {
 public:
  ScriptedLineStream(std::vector<std::string> lines, std::optional<Error> finalError)
      : lines_(lines.begin(), lines.end()), finalError_(std::move(finalError)) {}

  Result<std::optional<std::string>> nextLine() override {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      Error e;
      e.kind = ErrorKind::Cancelled;
      e.message = "cancelled";
      return fail(e);
    }
    if (!lines_.empty()) {
      std::string line = std::move(lines_.front());
      lines_.pop_front();
      return std::optional<std::string>(std::move(line));
    }
    if (finalError_) return fail(*finalError_);
    return std::optional<std::string>();
  }

  void cancel() override {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }

 private:
  std::mutex mutex_;
  std::deque<std::string> lines_;
  std::optional<Error> finalError_;
  bool cancelled_ = false;
};

class FakeTransport final : public Transport {
 public:
  void respond(int status, std::string body, std::map<std::string, std::string> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    responses_.emplace_back(std::move(response));
  }
  void failWith(Error error) { responses_.emplace_back(fail(std::move(error))); }
  void streamLines(std::vector<std::string> lines, std::optional<Error> finalError = {}) {
    StreamOpen open;
    open.response.status = 200;
    open.stream = std::make_unique<ScriptedLineStream>(std::move(lines), std::move(finalError));
    streams_.emplace_back(std::move(open));
  }
  void streamRefused(int status, std::string body) {
    StreamOpen open;
    open.response.status = status;
    open.response.body = std::move(body);
    streams_.emplace_back(std::move(open));
  }

  Result<HttpResponse> send(const HttpRequest& request,
                            std::chrono::milliseconds timeout) override {
    requests.push_back(request);
    timeouts.push_back(timeout);
    if (responses_.empty()) return fail(unscripted(request));
    auto next = std::move(responses_.front());
    responses_.pop_front();
    return next;
  }

  Result<StreamOpen> stream(const HttpRequest& request) override {
    requests.push_back(request);
    if (streams_.empty()) return fail(unscripted(request));
    auto next = std::move(streams_.front());
    streams_.pop_front();
    return next;
  }

  std::vector<HttpRequest> requests;
  std::vector<std::chrono::milliseconds> timeouts;

 private:
  static Error unscripted(const HttpRequest& request) {
    Error e;
    e.kind = ErrorKind::Transport;
    e.message = "unscripted request " + request.describe();
    return e;
  }

  std::deque<Result<HttpResponse>> responses_;
  std::deque<StreamOpen> streams_;
};

}  // namespace tro::kube::testing
