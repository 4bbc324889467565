#pragma once
// Standard base64 with padding (RFC 4648 §4), as Go's JSON writes []byte and kubeconfigs carry
// *-data fields: the one encoder of kubesim's HTTP layer.

#include <string>
#include <string_view>

namespace kubesim::http {

std::string base64Encode(std::string_view data);

}  // namespace kubesim::http
