#pragma once
// The production WebhookSender: HTTP(S) POST with cpprestsdk (which only
// webhook_http_sender.cpp includes). https:// receivers are verified against the system trust
// store. Every cpprestsdk exception becomes an error string; a stop request cancels the request
// in flight. No redirects are followed (a 3xx is an answer, and the notifier fails it).

#include "controllers/notify/webhook_notifier.h"

namespace tro::controllers::notify {

WebhookSenderPtr makeHttpWebhookSender(std::string userAgent = "telemetry-rollout-operator");

}  // namespace tro::controllers::notify
