#pragma once
// The one check of a notification webhook URL, shared by spec validation (per-rollout
// spec.notifications.webhook.url) and the operator's --notification-webhook-url flag, so both
// accept exactly the same URLs: http:// or https://, a non-empty host, an optional numeric port
// (1-65535), no whitespace or control characters, no user info (credentials in a URL end up in
// logs and Events; put them in the receiver's path or use a token in the query instead).

#include <optional>
#include <string>

namespace tro::controllers::notify {

// nullopt when `url` is acceptable; otherwise why not, as a sentence fragment for a SpecProblem.
std::optional<std::string> webhookUrlProblem(const std::string& url);

}  // namespace tro::controllers::notify
