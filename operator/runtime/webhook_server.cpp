#include "operator/runtime/webhook_server.h"

#include <cpprest/http_listener.h>

#include "operator/runtime/cpprest_reply.h"

namespace tro::runtime {

namespace http = web::http;
using http::experimental::listener::http_listener;

bool sameSecret(std::string_view presented, std::string_view expected) {
  unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < presented.size(); ++i) {
    diff |= static_cast<unsigned char>(presented[i]) ^
            static_cast<unsigned char>(expected.empty() ? 0 : expected[i % expected.size()]);
  }
  return diff == 0 && !expected.empty();
}

struct WebhookServer::Impl {
  WebhookServerOptions options;
  WebhookHandler handler;
  CounterFamily& requests;
  BindAddress address;
  std::unique_ptr<http_listener> listener;

  void answer(const http::http_request& request, int code, const std::string& result,
              const std::string& body) {
    requests.labels({result}).inc();
    detail::reply(request, static_cast<http::status_code>(code), body + "\n");
  }

  void handle(const http::http_request& request) {
    if (request.relative_uri().path() != options.path) {
      return answer(request, 404, "not_found", "not found");
    }
    if (request.method() != http::methods::POST) {
      return answer(request, 405, "method", "method not allowed: POST only");
    }
    const auto& headers = request.headers();
    auto auth = headers.find(http::header_names::authorization);
    const std::string prefix = "Bearer ";
    if (auth == headers.end() || auth->second.rfind(prefix, 0) != 0 ||
        !sameSecret(std::string_view(auth->second).substr(prefix.size()), options.token)) {
      return answer(request, 401, "unauthorized", "unauthorized");
    }
    // The length is checked before a byte of the body is read into memory.
    auto length = headers.find(http::header_names::content_length);
    if (length == headers.end()) {
      return answer(request, 411, "too_large", "a Content-Length is required");
    }
    if (request.headers().content_length() > options.maxBodyBytes) {
      return answer(request, 413, "too_large",
                    "body over " + std::to_string(options.maxBodyBytes) + " bytes");
    }
    http::http_request copy = request;  // extract_string is not const
    copy.extract_string(true).then([this, request](pplx::task<std::string> body) {
      std::string text;
      try {
        text = body.get();
      } catch (const std::exception&) {
        return answer(request, 400, "malformed", "the body could not be read");
      }
      if (text.size() > options.maxBodyBytes) {
        return answer(request, 413, "too_large", "body too large");
      }
      WebhookAnswer a = handler(text);
      const char* result = a.code / 100 == 2 ? "accepted"
                           : a.code == 503   ? "unavailable"
                                             : "malformed";
      answer(request, a.code, result, a.message);
    });
  }
};

base::Result<std::unique_ptr<WebhookServer>, std::string> WebhookServer::start(
    WebhookServerOptions options, WebhookHandler handler, CounterFamily& requests) {
  if (options.token.empty()) return base::fail("a webhook server needs a token");
  auto bind = parseBindAddress(options.address);
  if (!bind.ok()) return base::fail(bind.error());
  auto impl = std::make_unique<Impl>(
      Impl{std::move(options), std::move(handler), requests, *bind, nullptr});
  const std::string host =
      bind->host.find(':') != std::string::npos ? "[" + bind->host + "]" : bind->host;
  const std::string uri = "http://" + host + ":" + std::to_string(bind->port) + "/";
  try {
    impl->listener = std::make_unique<http_listener>(uri);
    Impl* self = impl.get();
    impl->listener->support([self](const http::http_request& r) { self->handle(r); });
    impl->listener->open().wait();
  } catch (const std::exception& e) {
    return base::fail("serving webhooks on " + impl->options.address + ": " + e.what());
  }
  return std::make_unique<WebhookServer>(std::move(impl));
}

WebhookServer::WebhookServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookServer::~WebhookServer() {
  try {
    impl_->listener->close().wait();
  } catch (const std::exception&) {
    // Closing can only fail if the listener never opened; nothing is left to release.
  }
}

const BindAddress& WebhookServer::address() const { return impl_->address; }

}  // namespace tro::runtime
