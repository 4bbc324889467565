#pragma once
// List continue tokens in the real server's format: base64url (unpadded) of
// {"v":"meta.k8s.io/v1","rv":<snapshot resourceVersion>,"start":"<last key>\u0000"}.
// The key is the object name within a namespace-scoped list, "ns/name" across namespaces.

#include <cstdint>
#include <optional>
#include <string>

namespace kubesim::api {

struct ContinueToken {
  std::uint64_t rv = 0;
  std::string start;  // list items with key >= start come next
};

std::string encodeContinue(const ContinueToken& token);
std::optional<ContinueToken> decodeContinue(const std::string& text);

}  // namespace kubesim::api
