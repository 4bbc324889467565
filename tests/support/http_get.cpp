#include "tests/support/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>

#include "operator/base/url.h"

namespace tro::testing {
namespace {

std::string sendAndReceive(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[8192];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, n);
  }
  ::close(fd);
  return response;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string dechunk(const std::string& body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) break;
    const size_t size = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
    if (size == 0) break;
    out += body.substr(eol + 2, size);
    pos = eol + 2 + size + 2;
  }
  return out;
}

}  // namespace

HttpReply httpGet(std::uint16_t port, const std::string& pathAndQuery) {
  return httpRequest(port, "GET", pathAndQuery);
}

HttpReply httpRequest(std::uint16_t port, const std::string& method,
                      const std::string& pathAndQuery, const std::string& headers,
                      const std::string& body) {
  std::string request = method + " " + pathAndQuery +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
  if (!body.empty() && lower(headers).find("content-length:") == std::string::npos) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  const std::string raw = sendAndReceive(port, request + "\r\n" + body);
  const size_t headerEnd = raw.find("\r\n\r\n");
  HttpReply reply;
  if (headerEnd == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) return reply;
  const size_t space = raw.find(' ');
  reply.status = std::atoi(raw.c_str() + space + 1);
  const std::string answerHeaders = lower(raw.substr(0, headerEnd));
  reply.body = raw.substr(headerEnd + 4);
  if (answerHeaders.find("transfer-encoding: chunked") != std::string::npos) {
    reply.body = dechunk(reply.body);
  }
  return reply;
}

std::string urlEncode(const std::string& text) { return base::percentEncode(text); }

}  // namespace tro::testing
