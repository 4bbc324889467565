#include "kubesim/api/continue_token.h"

#include <nlohmann/json.hpp>

#include "kubesim/api/base64url.h"

namespace kubesim::api {

std::string encodeContinue(const ContinueToken& token) {
  nlohmann::json j = {{"v", "meta.k8s.io/v1"}, {"rv", token.rv}, {"start", token.start}};
  return base64UrlEncode(j.dump());
}

std::optional<ContinueToken> decodeContinue(const std::string& text) {
  auto raw = base64UrlDecode(text);
  if (!raw) return std::nullopt;
  auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (!j.is_object() || !j.contains("rv") || !j["rv"].is_number_unsigned() ||
      !j.contains("start") || !j["start"].is_string()) {
    return std::nullopt;
  }
  return ContinueToken{j["rv"].get<std::uint64_t>(), j["start"].get<std::string>()};
}

}  // namespace kubesim::api
