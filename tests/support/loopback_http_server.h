#pragma once
// A hostile-capable HTTP server on 127.0.0.1 for tests: raw sockets, so it can answer what no
// well-behaved server library would (an endless body, a drip, a bomb of nested brackets). It
// counts every connection and records each request head (request line and headers), so a test
// can prove that nothing reached it, or exactly which Authorization header did.
// Each connection runs on its own thread; all stop and join on destruction.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace tro::testing {

// Writes bytes to the connection; false once the peer is gone.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  bool write(const std::string& bytes);

 private:
  int fd_;
};

class LoopbackHttpServer {
 public:
  // Called once per request with its head (up to the blank line); answers through `out`.
  using Handler =
      std::function<void(const std::string& head, Connection& out, std::stop_token stop)>;

  static std::unique_ptr<LoopbackHttpServer> start(Handler handler, std::string& error);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t connections() const { return connections_.load(); }
  std::vector<std::string> heads() const;

  // Canned handlers.
  static Handler answer(int status, std::string body);
  // 200 with `prefix`, then 64 KiB chunks of `filler` until the peer hangs up.
  static Handler endless(std::string prefix, char filler = ' ');

 private:
  LoopbackHttpServer(int fd, std::uint16_t port, Handler handler);
  void acceptLoop(std::stop_token stop);
  void serve(int fd, std::stop_token stop);

  const int fd_;
  const std::uint16_t port_;
  const Handler handler_;
  std::atomic<size_t> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> heads_;     // guarded by mu_
  std::vector<std::jthread> workers_;  // guarded by mu_
  std::jthread acceptor_;              // last: starts once everything above exists
};

}  // namespace tro::testing
