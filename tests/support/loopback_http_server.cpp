#include "tests/support/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

// Bound what Endless and HugeChunk answers send to a client that never stops reading.
constexpr size_t kEndlessCap = 128u << 20;
constexpr size_t kChunkCap = 64u << 20;

// A listening socket on 127.0.0.1 with a port the kernel chose; invalid when that failed.
Fd listenOnLoopback(int& port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (!fd.valid() || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd.get(), 16) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Fd();
  }
  port = ntohs(addr.sin_port);
  return fd;
}

// Waits until `fd` is ready for `events` (or has failed, which the next call then reports),
// looking at `stop` every 50 ms; false once stop is requested.
bool waitReady(int fd, short events, const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, 50);
    if (n > 0 || (n < 0 && errno != EINTR)) return true;
  }
  return false;
}

// The request head through its blank line, after reading (and dropping) the body its
// Content-Length announces, so that closing the connection later sends no reset; nullopt when
// the peer left (or stop came) first.
std::optional<std::string> readRequest(int fd, const std::stop_token& stop) {
  std::string data;
  char buf[4096];
  std::optional<size_t> total;  // head + body, once the head is in
  for (;;) {
    if (!total) {
      if (const size_t end = data.find("\r\n\r\n"); end != std::string::npos) {
        size_t length = 0;
        if (const size_t cl = data.find("Content-Length:"); cl != std::string::npos && cl < end) {
          length = std::strtoul(data.c_str() + cl + 15, nullptr, 10);
        }
        total = end + 4 + length;
      }
    }
    if (total && data.size() >= *total) return data.substr(0, data.find("\r\n\r\n") + 4);
    if (data.size() > (1u << 20) || !waitReady(fd, POLLIN, stop)) return std::nullopt;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    data.append(buf, static_cast<size_t>(n));
  }
}

// Reads and discards until the peer closes: true when it did, false when stop came first.
bool awaitPeerClose(int fd, const std::stop_token& stop) {
  char buf[4096];
  while (waitReady(fd, POLLIN, stop)) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return true;
  }
  return false;
}

// Paces a server's writes (not a synchronisation): true when stop came during the pause.
bool pauseUnlessStopped(std::chrono::milliseconds pause, const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, pause, [] { return false; });
  return stop.stop_requested();
}

}  // namespace

Answer canned(int status, std::string body, std::string headers) {
  Answer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  return a;
}

Answer hostile(Answer::Kind kind, std::string body) {
  Answer a;
  a.kind = kind;
  a.body = std::move(body);
  return a;
}

Fd::Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

LoopbackHttpServer::LoopbackHttpServer(Answer answer) : answer_(std::move(answer)) {
  listener_ = listenOnLoopback(port_);
  thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
}

size_t LoopbackHttpServer::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

std::vector<std::string> LoopbackHttpServer::heads() const {
  std::lock_guard lock(mu_);
  return heads_;
}

bool LoopbackHttpServer::awaitPeerLeft(size_t n) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, 10s, [&] { return peerLeft_ >= n; });
}

void LoopbackHttpServer::serve(const std::stop_token& stop) {
  if (!listener_.valid()) return;
  while (waitReady(listener_.get(), POLLIN, stop)) {
    Fd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn.valid()) continue;
    {
      std::lock_guard lock(mu_);
      ++connections_;
    }
    std::optional<std::string> head = readRequest(conn.get(), stop);
    if (!head) continue;
    {
      std::lock_guard lock(mu_);
      heads_.push_back(std::move(*head));
    }
    if (respond(conn.get(), stop)) {
      std::lock_guard lock(mu_);
      ++peerLeft_;
      changed_.notify_all();
    }
  }
}

// Sends all of `data`; false once the peer is gone or stop is requested.
bool LoopbackHttpServer::sendAll(int fd, std::string_view data, const std::stop_token& stop) {
  while (!data.empty()) {
    if (!waitReady(fd, POLLOUT, stop)) return false;
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
    bytesSent_ += static_cast<size_t>(n);
  }
  return true;
}

// Answers one request; true when the peer dropped the connection while the server was still
// writing to it or holding it open.
bool LoopbackHttpServer::respond(int fd, const std::stop_token& stop) {
  const std::string head200 = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
  switch (answer_.kind) {
    case Answer::Kind::Canned: {
      const std::string out =
          "HTTP/1.1 " + std::to_string(answer_.status) +
          " X\r\nContent-Type: application/json\r\n" + answer_.headers +
          "Connection: close\r\nContent-Length: " + std::to_string(answer_.body.size()) +
          "\r\n\r\n" + answer_.body;
      sendAll(fd, out, stop);
      ::shutdown(fd, SHUT_WR);  // the request was read whole, so closing sends no reset
      return false;
    }
    case Answer::Kind::Endless: {
      if (!sendAll(fd, head200 + "\r\n" + answer_.body, stop)) return !stop.stop_requested();
      const std::string chunk(64u << 10, ' ');
      while (bytesSent_.load() < kEndlessCap) {
        if (!sendAll(fd, chunk, stop)) return !stop.stop_requested();
      }
      return false;
    }
    case Answer::Kind::HugeLength: {
      if (!sendAll(fd, head200 + "Content-Length: 100000000\r\n\r\n" + answer_.body, stop)) {
        return !stop.stop_requested();
      }
      return awaitPeerClose(fd, stop);
    }
    case Answer::Kind::Drip: {
      if (!sendAll(fd, head200 + "Transfer-Encoding: chunked\r\n\r\n", stop)) {
        return !stop.stop_requested();
      }
      // Chunks of one space, sent a byte at a time: each read the client makes completes
      // within 600 ms, so a timeout that restarts at every read would never fire; only a
      // deadline on the whole exchange ends it. Gives up after 10 s.
      const std::string_view chunk = "1\r\n \r\n";
      for (size_t i = 0; i < 50; ++i) {
        if (!sendAll(fd, chunk.substr(i % chunk.size(), 1), stop)) return !stop.stop_requested();
        if (pauseUnlessStopped(200ms, stop)) return false;
      }
      return false;
    }
    case Answer::Kind::HugeChunk: {
      if (!sendAll(fd, head200 + "Transfer-Encoding: chunked\r\n\r\n7ffffff0\r\n", stop)) {
        return !stop.stop_requested();
      }
      const std::string chunk(64u << 10, ' ');
      while (bytesSent_.load() < kChunkCap) {
        if (!sendAll(fd, chunk, stop)) return !stop.stop_requested();
      }
      return awaitPeerClose(fd, stop);  // a client still waiting for the rest is left to time out
    }
  }
  return false;
}

}  // namespace tro::testing
