#include "tests/integration/notify/webhook_receiver.h"

#include <cpprest/http_listener.h>

#include "tests/support/free_port.h"

namespace tro::testing {

namespace http = web::http;

struct WebhookReceiver::Impl {
  std::unique_ptr<http::experimental::listener::http_listener> listener;
};

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {}

WebhookReceiver::~WebhookReceiver() {
  if (!impl_->listener) return;
  try {
    impl_->listener->close().wait();
  } catch (const std::exception&) {
    // Closing a listener that failed to open; nothing left to release.
  }
}

std::unique_ptr<WebhookReceiver> WebhookReceiver::start(std::vector<int> answers,
                                                        std::string& error) {
  std::unique_ptr<WebhookReceiver> r(new WebhookReceiver());
  r->answers_ = std::move(answers);
  r->port_ = freeLoopbackPort();
  if (r->port_ == 0) {
    error = "no free loopback port";
    return nullptr;
  }
  try {
    r->impl_->listener = std::make_unique<http::experimental::listener::http_listener>(
        utility::conversions::to_string_t(r->url()));
    WebhookReceiver* self = r.get();
    r->impl_->listener->support(http::methods::POST, [self](http::http_request request) {
      const int code = self->answer(request.extract_utf8string(true).get());
      request.reply(static_cast<http::status_code>(code)).wait();
    });
    r->impl_->listener->open().wait();
  } catch (const std::exception& e) {
    error = std::string("webhook receiver on ") + r->url() + ": " + e.what();
    return nullptr;
  }
  return r;
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

std::vector<std::string> WebhookReceiver::bodies() const {
  std::lock_guard l(mu_);
  return bodies_;
}

int WebhookReceiver::answer(std::string body) {
  std::lock_guard l(mu_);
  bodies_.push_back(std::move(body));
  const size_t n = bodies_.size();
  return n <= answers_.size() ? answers_[n - 1] : 200;
}

}  // namespace tro::testing
