#pragma once
// Standard base64 (RFC 4648 §4, with padding): decoding for kubeconfig *-data fields and Secret
// data, encoding for HTTP basic authentication. Whitespace
// (line breaks in pasted PEM data) is skipped; any other stray character is an error.

#include <optional>
#include <string>
#include <string_view>

namespace tro::kube {

// nullopt when the text is not valid base64.
std::optional<std::string> base64Decode(std::string_view text);

std::string base64Encode(std::string_view bytes);

}  // namespace tro::kube
