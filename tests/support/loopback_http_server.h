#pragma once
// A raw HTTP server on 127.0.0.1 for tests that must answer what no well-behaved server library
// would: an endless body, a drip, a 2 GiB chunk, a Content-Length it never sends. It serves one
// connection at a time, one request per connection, each with the same Answer; it counts
// connections and records request heads, so a test can show that nothing (or exactly which
// Authorization header) reached it; and it counts connections the peer dropped while the server
// was still writing or holding them, so a test can show that the client gave up.
// Every wait looks at the server's stop token, so destruction always finishes promptly.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace tro::testing {

// What the server does once it has read a request (its head, and a body it announced).
struct Answer {
  enum class Kind {
    Canned,      // `status`, `headers` and `body` with its Content-Length, then close
    Endless,     // 200 without a length: `body`, then 64 KiB chunks of spaces until the peer goes
    HugeLength,  // 200 announcing Content-Length: 100000000, `body`, then hold until the peer goes
    Drip,        // 200 chunked, one byte every 200 ms until the peer goes
    HugeChunk,   // 200 chunked, one chunk announcing 2 GiB: spaces until the peer goes
  };
  Kind kind = Kind::Canned;
  int status = 200;
  std::string headers;  // extra header lines, each ending in "\r\n"
  std::string body;
};

Answer canned(int status, std::string body, std::string headers = "");
Answer hostile(Answer::Kind kind, std::string body = "");

// A file descriptor that closes itself.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept;
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

class LoopbackHttpServer {
 public:
  explicit LoopbackHttpServer(Answer answer);
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;
  // Destruction: thread_ goes first (declared last), requesting stop and joining.

  bool ok() const { return listener_.valid(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t connections() const;
  std::vector<std::string> heads() const;
  size_t bytesSent() const { return bytesSent_.load(); }
  // Waits (up to 10 s) until the peer has dropped `n` connections the server was writing to or
  // holding.
  bool awaitPeerLeft(size_t n);

 private:
  void serve(const std::stop_token& stop);
  bool sendAll(int fd, std::string_view data, const std::stop_token& stop);
  bool respond(int fd, const std::stop_token& stop);

  const Answer answer_;
  int port_ = 0;
  Fd listener_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  size_t connections_ = 0;          // guarded by mu_
  size_t peerLeft_ = 0;             // guarded by mu_
  std::vector<std::string> heads_;  // guarded by mu_
  std::atomic<size_t> bytesSent_{0};
  std::jthread thread_;  // last: stops and joins before anything it uses goes
};

}  // namespace tro::testing
