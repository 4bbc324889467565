#include "operator/runtime/http_server.h"

#include <cpprest/http_listener.h>
#include <charconv>

#include "operator/runtime/cpprest_reply.h"

namespace tro::runtime {

namespace http = web::http;
using http::experimental::listener::http_listener;

base::Result<BindAddress, std::string> parseBindAddress(std::string_view address) {
  auto bad = [&](std::string_view why) {
    return base::fail("invalid bind address \"" + std::string(address) + "\": " + std::string(why));
  };
  auto colon = address.rfind(':');
  if (colon == std::string_view::npos) return bad("want host:port or :port");
  std::string_view host = address.substr(0, colon);
  std::string_view port = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("IPv6 hosts must be in brackets");
  }
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size()) {
    return bad("port is not a number");
  }
  if (p < 1 || p > 65535) return bad("port must be between 1 and 65535");
  return BindAddress{host.empty() ? "0.0.0.0" : std::string(host), p};
}

using detail::reply;

struct HttpServer::Impl {
  BindAddress address;
  const Registry* registry;
  const HealthChecks* checks;
  std::unique_ptr<http_listener> listener;

  void handle(const http::http_request& request) const {
    std::string path = request.relative_uri().path();
    if (request.method() != http::methods::GET) {
      reply(request, http::status_codes::MethodNotAllowed, "method not allowed\n");
    } else if (path == "/metrics" && registry != nullptr) {
      reply(request, http::status_codes::OK, registry->render(),
            "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == "/healthz") {
      reply(request, http::status_codes::OK, "ok\n");
    } else if (path == "/readyz") {
      HealthChecks::Outcome outcome = checks ? checks->evaluate() : HealthChecks::Outcome{};
      if (!checks) outcome.body = "ok\n";
      reply(request, outcome.ready ? http::status_codes::OK : http::status_codes::InternalError,
            outcome.body);
    } else {
      reply(request, http::status_codes::NotFound, "not found\n");
    }
  }
};

base::Result<std::unique_ptr<HttpServer>, std::string> HttpServer::start(
    std::string_view address, const Registry* registry, const HealthChecks* checks) {
  auto bind = parseBindAddress(address);
  if (!bind.ok()) return base::fail(bind.error());
  auto impl = std::make_unique<Impl>(Impl{*bind, registry, checks, nullptr});
  std::string host =
      bind->host.find(':') != std::string::npos ? "[" + bind->host + "]" : bind->host;
  std::string uri = "http://" + host + ":" + std::to_string(bind->port) + "/";
  // cpprestsdk reports bad URIs and bind failures as exceptions: turn them into errors here.
  try {
    impl->listener = std::make_unique<http_listener>(uri);
    const Impl* self = impl.get();
    impl->listener->support([self](const http::http_request& r) { self->handle(r); });
    impl->listener->open().wait();
  } catch (const std::exception& e) {
    return base::fail("serving on " + std::string(address) + ": " + e.what());
  }
  return std::make_unique<HttpServer>(Token{}, std::move(impl));
}

HttpServer::HttpServer(Token, std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  try {
    impl_->listener->close().wait();
  } catch (const std::exception&) {
    // Closing can only fail if the listener never opened; nothing is left to release.
  }
}

const BindAddress& HttpServer::address() const { return impl_->address; }

}  // namespace tro::runtime
