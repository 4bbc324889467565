#pragma once
// The one check of a notification webhook URL, shared by spec validation (per-rollout
// spec.notifications.webhook.url) and the operator's --notification-webhook-url flag, so both
// accept exactly the same URLs: base::parseHttpUrl() with a query string allowed (a receiver's
// token often travels there; it is redacted wherever the URL is echoed). No user info:
// credentials in a URL end up in logs and Events.

#include <optional>
#include <string>

namespace tro::controllers::notify {

// nullopt when `url` is acceptable; otherwise why not, as a sentence fragment for a SpecProblem.
std::optional<std::string> webhookUrlProblem(const std::string& url);

}  // namespace tro::controllers::notify
