#pragma once
// The metrics and health-probe HTTP server (controller-runtime's --metrics-bind-address and
// --health-probe-bind-address). Routes, GET only:
//   /metrics  Registry::render(), Content-Type text/plain; version=0.0.4  (when a registry is
//   given) /healthz  200 "ok" while the server runs /readyz   200 "ok" when every readiness check
//   passes, else 500 naming the failing checks
// Anything else is 404. Listening starts in start() and stops when the HttpServer is destroyed.
// cpprestsdk stays inside http_server.cpp (pimpl), so this header is cheap to include.

#include <memory>
#include <string>
#include <string_view>

#include "operator/base/result.h"
#include "operator/runtime/http_server_checks.h"
#include "operator/runtime/metrics.h"

namespace tro::runtime {

struct BindAddress {
  std::string host;  // "0.0.0.0" when the address was ":port"
  int port = 0;
};
// ":8080", "127.0.0.1:8081", "localhost:9090", "[::1]:8080". Port must be 1..65535.
base::Result<BindAddress, std::string> parseBindAddress(std::string_view address);

class HttpServer {
 public:
  // `registry` may be null (no /metrics); `checks` may be null (/readyz always ready).
  // Both must outlive the server.
  static base::Result<std::unique_ptr<HttpServer>, std::string> start(std::string_view address,
                                                                      const Registry* registry,
                                                                      const HealthChecks* checks);
  struct Impl;
  class Token {  // only start() can construct an HttpServer
    friend class HttpServer;
    Token() = default;
  };
  HttpServer(Token, std::unique_ptr<Impl> impl);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  const BindAddress& address() const;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tro::runtime
