#pragma once
// A small HTTP server for webhooks pushed to the operator (Alertmanager's `webhook_configs`): one
// path, POST only, a bearer token required, bodies bounded, on its own address. Every answer is
// counted by result in `requests`:
//   401 unauthorized  no or a wrong `Authorization: Bearer` token (compared in constant time)
//   405 method        anything but POST;  404 not_found: another path
//   411 / 413 too_large  no Content-Length, or one over maxBodyBytes (refused before reading)
//   the handler's code otherwise: 2xx accepted, 503 unavailable, other malformed (its message
//   in the body)
// cpprestsdk stays inside webhook_server.cpp. The handler runs on the server's threads and must
// return promptly (enqueue, never wait for I/O).

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "operator/base/result.h"
#include "operator/runtime/http_server.h"
#include "operator/runtime/metrics.h"

namespace tro::runtime {

struct WebhookServerOptions {
  std::string address;  // ":9443", "127.0.0.1:9443"
  std::string path;     // "/alertmanager"
  std::string token;    // required, non-empty
  size_t maxBodyBytes = 1u << 20;
};

struct WebhookAnswer {
  int code = 200;
  std::string message;  // the body, text/plain
};
using WebhookHandler = std::function<WebhookAnswer(std::string_view body)>;

class WebhookServer {
 public:
  // `requests` has the label "result"; it and `handler`'s captures must outlive the server.
  static base::Result<std::unique_ptr<WebhookServer>, std::string> start(
      WebhookServerOptions options, WebhookHandler handler, CounterFamily& requests);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  const BindAddress& address() const;

  struct Impl;
  explicit WebhookServer(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Constant-time comparison of a presented secret with the expected one.
bool sameSecret(std::string_view presented, std::string_view expected);

}  // namespace tro::runtime
