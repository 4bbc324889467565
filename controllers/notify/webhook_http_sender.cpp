#include "controllers/notify/webhook_http_sender.h"

#include <cpprest/http_client.h>

#include <exception>

namespace tro::controllers::notify {

namespace {

namespace http = web::http;

class HttpWebhookSender final : public WebhookSender {
 public:
  explicit HttpWebhookSender(std::string userAgent) : userAgent_(std::move(userAgent)) {}

  SendResult post(const WebhookRequest& request, std::stop_token stop) override {
    const std::string what = "POST " + request.url;
    try {
      http::client::http_client_config config;
      config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(request.timeout));
      http::client::http_client client(utility::conversions::to_string_t(request.url), config);
      http::http_request message(http::methods::POST);
      message.headers().add(U("User-Agent"), utility::conversions::to_string_t(userAgent_));
      message.set_body(request.body, "application/json");
      pplx::cancellation_token_source cancel;
      std::stop_callback onStop(stop, [&cancel] { cancel.cancel(); });
      http::http_response response = client.request(message, cancel.get_token()).get();
      // Read the body so the exchange completes; its content does not matter.
      response.content_ready().wait();
      return static_cast<int>(response.status_code());
    } catch (const pplx::task_canceled&) {
      return base::fail(what + ": cancelled");
    } catch (const std::exception& e) {
      return base::fail(what + ": " + e.what());
    }
  }

 private:
  const std::string userAgent_;
};

}  // namespace

WebhookSenderPtr makeHttpWebhookSender(std::string userAgent) {
  return std::make_unique<HttpWebhookSender>(std::move(userAgent));
}

}  // namespace tro::controllers::notify
