#pragma once
// KeepWarm: keeps a transport's connection pool as wide as a burst will need, while one may
// come. The rollback lane sends its Deployment writes only when a rollout rolls back, so its
// pool is cold by then, and the first `limit` requests each paid a TCP and TLS handshake:
// measured on kubesim, 100 PATCHes from 16 threads took 0.43 s over cold connections and 0.17 s
// over warm ones (issue #14's write-path trace; docs/benchmarks.md). cpprestsdk closes a pooled
// connection after 30-60 s idle, so every `period` while `armed()` (a rollout could roll back)
// this sends `connections()` concurrent GETs of `path` (/version: public, answered from memory)
// to `transport`, which keeps that many connections open.
//  - Give it the transport BELOW any adaptive bound: its quick answers are no evidence of how the
//    server takes writes, and must not lower the bound's latency baseline.
//  - Answers are ignored (a failure only means the next burst pays a handshake); the transport's
//    own metrics count them.
//  - One thread (owned, joined by stop()) waits on the Clock; each round runs its GETs on
//    short-lived threads, joined before the round ends.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "operator/base/clock.h"
#include "operator/kube/transport.h"

namespace tro::kube::transport {

struct KeepWarmOptions {
  base::Duration period = std::chrono::seconds(15);
  std::string path = "/version";
  // The burst's own request timeout: the HTTP transport keeps one connection pool per timeout,
  // so a GET with another timeout would warm a pool the burst never uses.
  std::chrono::milliseconds timeout{30000};
  int maxConnections = 64;
};

class KeepWarm {
 public:
  // `transport` and `clock` must outlive this.
  KeepWarm(Transport& transport, KeepWarmOptions options, std::function<bool()> armed,
           std::function<int()> connections, const base::Clock& clock);
  ~KeepWarm() { stop(); }
  KeepWarm(const KeepWarm&) = delete;
  KeepWarm& operator=(const KeepWarm&) = delete;

  void start();
  void stop();  // idempotent

  // One round on the caller's thread, armed or not: the GETs answered 2xx.
  int warmOnce();

 private:
  void run(std::stop_token stop);

  Transport& transport_;
  const KeepWarmOptions options_;
  std::function<bool()> armed_;
  std::function<int()> connections_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::jthread thread_;
};

}  // namespace tro::kube::transport
