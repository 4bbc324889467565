#include "controllers/notify/webhook_http_sender.h"

#include "operator/base/url.h"
#include "operator/kube/transport/cpprest_transport.h"

namespace tro::controllers::notify {

namespace {

class HttpWebhookSender final : public WebhookSender {
 public:
  HttpWebhookSender(kube::DestinationPolicy policy, std::string userAgent)
      : policy_(std::move(policy)), userAgent_(std::move(userAgent)) {}

  SendResult post(const WebhookRequest& request, std::stop_token stop) override {
    const std::string what = "POST " + base::redactUrl(request.url);
    auto url = base::parseHttpUrl(request.url, {.allowQuery = true});
    if (!url.ok()) return base::fail(what + ": " + url.error());
    kube::ClusterConfig config;
    config.server = url->origin();
    config.userAgent = userAgent_;
    kube::transport::HttpTransportOptions options;
    options.maxResponseBytes = kMaxWebhookAnswerBytes;
    options.timeoutIsDeadline = true;
    options.abortAll = stop;
    options.destinationGuard = [this](const std::string& host, int port) {
      return policy_.guardResolved(host, port);
    };
    auto transport = kube::transport::makeHttpTransport(config, options);
    if (!transport.ok()) return base::fail(what + ": " + transport.error().message);
    kube::HttpRequest message;
    message.method = "POST";
    message.path =
        (url->path.empty() ? "/" : url->path) + (url->query.empty() ? "" : "?" + url->query);
    message.headers = {{"Content-Type", "application/json"}};
    message.body = request.body;
    auto response =
        (*transport)
            ->send(message, std::chrono::duration_cast<std::chrono::milliseconds>(request.timeout));
    if (response.ok()) return response->status;
    const kube::Error& e = response.error();
    // An answer too long to read still answered: its status is what counts.
    if (e.reason == "ResponseTooLarge" && e.code != 0) return e.code;
    return base::fail(what + ": " + base::redactUrl(e.message));
  }

 private:
  const kube::DestinationPolicy policy_;
  const std::string userAgent_;
};

}  // namespace

WebhookSenderPtr makeHttpWebhookSender(kube::DestinationPolicy policy, std::string userAgent) {
  return std::make_unique<HttpWebhookSender>(std::move(policy), std::move(userAgent));
}

}  // namespace tro::controllers::notify
