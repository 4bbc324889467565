#include "tests/support/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tro::testing {
namespace {

// Waits up to 100 ms for `fd` to be readable, so loops can notice a stop request.
bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 100) > 0;
}

}  // namespace

bool Connection::write(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::unique_ptr<LoopbackHttpServer> LoopbackHttpServer::start(Handler handler, std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    error = std::string("loopback server: ") + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<LoopbackHttpServer>(
      new LoopbackHttpServer(fd, ntohs(addr.sin_port), std::move(handler)));
}

LoopbackHttpServer::LoopbackHttpServer(int fd, std::uint16_t port, Handler handler)
    : fd_(fd),
      port_(port),
      handler_(std::move(handler)),
      acceptor_([this](std::stop_token stop) { acceptLoop(stop); }) {}

LoopbackHttpServer::~LoopbackHttpServer() {
  acceptor_.request_stop();
  acceptor_.join();
  std::vector<std::jthread> workers;
  {
    std::lock_guard lock(mu_);
    workers = std::move(workers_);
  }
  for (auto& w : workers) w.request_stop();
  workers.clear();  // joins
  ::close(fd_);
}

std::vector<std::string> LoopbackHttpServer::heads() const {
  std::lock_guard lock(mu_);
  return heads_;
}

void LoopbackHttpServer::acceptLoop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    if (!readable(fd_)) continue;
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    std::lock_guard lock(mu_);
    workers_.emplace_back([this, client](std::stop_token s) { serve(client, s); });
  }
}

void LoopbackHttpServer::serve(int fd, std::stop_token stop) {
  std::string buffer;
  char chunk[4096];
  while (!stop.stop_requested()) {
    const size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string head = buffer.substr(0, end + 2);
      // Skip a body announced by Content-Length (webhook POSTs); heads are all tests read.
      size_t length = 0;
      if (const size_t cl = head.find("Content-Length:"); cl != std::string::npos) {
        length = std::strtoul(head.c_str() + cl + 15, nullptr, 10);
      }
      while (buffer.size() < end + 4 + length && !stop.stop_requested()) {
        if (!readable(fd)) continue;
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      buffer.erase(0, std::min(buffer.size(), end + 4 + length));
      {
        std::lock_guard lock(mu_);
        heads_.push_back(head);
      }
      Connection out(fd);
      handler_(head, out, stop);
      break;  // one request per connection: every answer says Connection: close
    }
    if (!readable(fd)) continue;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

LoopbackHttpServer::Handler LoopbackHttpServer::answer(int status, std::string body) {
  return [status, body](const std::string&, Connection& out, std::stop_token) {
    out.write("HTTP/1.1 " + std::to_string(status) +
              " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n" + body);
  };
}

LoopbackHttpServer::Handler LoopbackHttpServer::endless(std::string prefix, char filler) {
  return [prefix, filler](const std::string&, Connection& out, std::stop_token stop) {
    if (!out.write(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
            prefix)) {
      return;
    }
    const std::string chunk(64 * 1024, filler);
    while (!stop.stop_requested() && out.write(chunk)) {
    }
  };
}

}  // namespace tro::testing
