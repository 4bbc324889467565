#pragma once
// A real Alertmanager (Debian's `prometheus-alertmanager`) for integration tests and benchmarks:
// a route that sends alerts at once (group_wait 0s) to a webhook receiver with a bearer token
// (every alert, or only those of some namespaces), clustering off, on a free loopback port, data
// in a private temp dir. stop() takes it away (the port then
// refuses connections), so a test can show that polling still works without it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/process.h"

namespace tro::testing {

struct AlertmanagerOptions {
  std::string webhookUrl;  // http://127.0.0.1:<port>/alertmanager
  std::string tokenFile;   // the bearer token file, sent as Authorization: Bearer
  // Set: only alerts whose namespace label matches it (RE2, anchored) reach the webhook; the
  // others go to a receiver that sends nothing.
  std::string webhookNamespaceRegex;
};

class Alertmanager {
 public:
  // Error: nullptr, with the reason and Alertmanager's stderr in `error`.
  static std::unique_ptr<Alertmanager> start(const AlertmanagerOptions& options,
                                             std::string& error);
  Alertmanager() : dir_("alertmanager-it") {}  // use start()
  ~Alertmanager();
  Alertmanager(const Alertmanager&) = delete;
  Alertmanager& operator=(const Alertmanager&) = delete;

  static const char* binary();  // the Alertmanager executable found at configure time
  std::uint16_t port() const { return port_; }
  void stop();
  std::string logs() const;

 private:
  bool launch(std::string& error);

  TempDir dir_;
  std::uint16_t port_ = 0;
  std::optional<ChildProcess> process_;
};

}  // namespace tro::testing
