#pragma once
// Splitting and percent-decoding an HTTP request target ("/api/v1/pods?labelSelector=a%3Db")
// into the path and query of a kubesim::api::Request. Pure; malformed escapes are kept verbatim
// (as Go's net/url does for the path) rather than rejected, so odd input never throws.

#include <map>
#include <string>

namespace kubesim::http {

struct RequestTarget {
  std::string path;
  std::multimap<std::string, std::string> query;
};

// Decodes %XX escapes; in query components '+' also means space.
std::string percentDecode(const std::string& text, bool plusIsSpace);
RequestTarget parseRequestTarget(const std::string& target);

}  // namespace kubesim::http
