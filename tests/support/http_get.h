#pragma once
// Plain HTTP/1.1 GET against a loopback port, for tests that read /metrics, /readyz or the
// Prometheus HTTP API. One request per connection (Connection: close); chunked bodies are
// decoded. No TLS, no redirects.

#include <cstdint>
#include <string>

namespace tro::testing {

struct HttpReply {
  int status = 0;  // 0: no connection or no parsable response
  std::string body;
};

HttpReply httpGet(std::uint16_t port, const std::string& pathAndQuery);

// Any method, with extra header lines ("Authorization: Bearer x\r\n" each) and a body; a
// Content-Length is added unless `headers` carries one.
HttpReply httpRequest(std::uint16_t port, const std::string& method,
                      const std::string& pathAndQuery, const std::string& headers = "",
                      const std::string& body = "");

// Percent-encodes everything but RFC 3986 unreserved characters (for query parameters).
std::string urlEncode(const std::string& text);

}  // namespace tro::testing
