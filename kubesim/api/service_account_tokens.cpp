#include "kubesim/api/service_account_tokens.h"

#include <algorithm>

#include "kubesim/api/base64url.h"
#include "kubesim/common/api_error.h"

namespace kubesim::api {
namespace {

std::int64_t unixSeconds(ServiceAccountTokens::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string ServiceAccountTokens::issue(Grant grant, const std::vector<std::string>& audiences,
                                        TimePoint now, const std::string& jti) {
  forgetExpired(now);
  while (grants_.size() >= limit_ && !grants_.empty()) {
    auto soonest = std::min_element(
        grants_.begin(), grants_.end(),
        [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; });
    grants_.erase(soonest);
  }
  const Json header = {{"alg", "RS256"}, {"kid", "kubesim"}};
  const Json claims = {
      {"aud", audiences},
      {"exp", unixSeconds(grant.expires)},
      {"iat", unixSeconds(now)},
      {"iss", kServiceAccountIssuer},
      {"jti", jti},
      {"kubernetes.io",
       {{"namespace", grant.ns}, {"serviceaccount", {{"name", grant.name}, {"uid", grant.uid}}}}},
      {"nbf", unixSeconds(now)},
      {"sub", "system:serviceaccount:" + grant.ns + ":" + grant.name}};
  std::string signature;
  for (int i = 0; i < 8; ++i) {
    const std::uint32_t word = random_();
    signature.append(reinterpret_cast<const char*>(&word), sizeof word);
  }
  std::string token = base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump()) + "." +
                      base64UrlEncode(signature);
  grant.audiences = audiences;
  grants_[token] = std::move(grant);
  return token;
}

std::optional<ServiceAccountTokens::Grant> ServiceAccountTokens::find(const std::string& token,
                                                                      TimePoint now) {
  auto it = grants_.find(token);
  if (it == grants_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    grants_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void ServiceAccountTokens::forgetExpired(TimePoint now) {
  std::erase_if(grants_, [now](const auto& entry) { return entry.second.expires <= now; });
}

}  // namespace kubesim::api
