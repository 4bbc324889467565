#include "controllers/notify/webhook_url.h"

#include "operator/base/url.h"

namespace tro::controllers::notify {

std::optional<std::string> webhookUrlProblem(const std::string& url) {
  auto parsed = base::parseHttpUrl(url, base::UrlOptions{.allowQuery = true});
  if (parsed.ok()) return std::nullopt;
  return parsed.error();
}

}  // namespace tro::controllers::notify
