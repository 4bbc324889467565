#pragma once
// Unpadded base64url (RFC 4648 §5), as continue tokens and JWT segments are written. The decoder
// also takes the standard alphabet and stops at padding.

#include <optional>
#include <string>
#include <string_view>

namespace kubesim::api {

std::string base64UrlEncode(std::string_view in);
std::optional<std::string> base64UrlDecode(std::string_view in);

}  // namespace kubesim::api
