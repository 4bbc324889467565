#pragma once
// The production WebhookSender: one HTTP(S) POST through the same transport as every other
// request the operator makes (kube/transport/cpprest_transport.h), with its bounds:
//  - the destination is checked against `policy` (--allowed-webhook-hosts, loopback and
//    link-local refused unless named) before every attempt, DNS answer included;
//  - the attempt's timeout bounds the whole exchange; at most kMaxWebhookAnswerBytes of the
//    answer are read (its content does not matter: a longer answer still counts by its status);
//  - no redirects are followed (a 3xx is an answer, and the notifier fails it);
//  - https:// receivers are verified against the system trust store.
// A stop request cancels the attempt in flight. Errors name the URL redacted (base/url.h).

#include "controllers/notify/webhook_notifier.h"
#include "operator/kube/destination_policy.h"

namespace tro::controllers::notify {

inline constexpr size_t kMaxWebhookAnswerBytes = 64u << 10;

WebhookSenderPtr makeHttpWebhookSender(kube::DestinationPolicy policy,
                                       std::string userAgent = "telemetry-rollout-operator");

}  // namespace tro::controllers::notify
