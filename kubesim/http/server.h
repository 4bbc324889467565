#pragma once
// Server: kubesim's HTTP(S) front on cpprestsdk's http_listener. It authenticates, enforces the
// body limit, answers /version and health itself (front.h), hands every other request to the
// Backend (the API core) and writes its response back unchanged, Warning headers included.
// Watches are streamed as chunked JSON lines, one event per line, flushed per event, until the
// backend ends the stream (timeoutSeconds, ERROR event), the client goes away, the stream reaches
// maxWatchDuration, or the server stops. Never throws on client input: anything unexpected
// becomes a 500 Status.
// Caveats: cpprestsdk cannot report the port it bound, so port 0 is resolved by briefly binding a
// probe socket (a tiny race with other processes). cpprestsdk does not report a client that
// disconnects mid-watch; the server notices it when the stream's unsent backlog stops draining
// for `stalledWatchLimit`, and otherwise when the watch times out.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "kubesim/http/backend.h"
#include "kubesim/http/front.h"
#include "kubesim/http/log.h"
#include "kubesim/http/tls_material.h"
#include "operator/base/clock.h"
#include "operator/base/result.h"

namespace kubesim::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0: choose a free port
  bool plainHttp = false;  // when false, `tls` must hold the server certificate and key
  TlsMaterial tls;
  FrontOptions front;
  // Upper bound of one watch stream when the client gives no timeoutSeconds (the real server
  // picks 30-60 minutes).
  std::chrono::seconds maxWatchDuration{std::chrono::minutes(30)};
  std::chrono::seconds stalledWatchLimit{10};
};

class Server {
 public:
  // Starts listening; returns once the listener accepts connections. `backend`, `clock` and
  // `log` must outlive the server. Error: a message (port in use, bad TLS material, ...).
  static tro::base::Result<std::unique_ptr<Server>, std::string> start(
      ServerOptions options, Backend& backend, const tro::base::Clock& clock, Logger& log);
  ~Server();  // stops (idempotent)
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // "https://127.0.0.1:PORT" (http:// in plain mode).
  std::string url() const;
  // Number of watch streams currently being served (for tests and logs).
  std::size_t activeWatches() const;
  // Ends open watch streams and closes the listener; blocks until both are done. Idempotent.
  void stop();

  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);  // use start()

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kubesim::http
