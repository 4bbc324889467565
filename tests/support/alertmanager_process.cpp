#include "tests/support/alertmanager_process.h"

#include <fstream>

#include "tests/support/free_port.h"
#include "tests/support/ready_process.h"

namespace tro::testing {

using namespace std::chrono_literals;

const char* Alertmanager::binary() { return ALERTMANAGER_BINARY; }

std::unique_ptr<Alertmanager> Alertmanager::start(const AlertmanagerOptions& options,
                                                  std::string& error) {
  auto a = std::make_unique<Alertmanager>();
  if (a->dir_.path().empty()) {
    error = "cannot create a temp dir";
    return nullptr;
  }
  // Child routes inherit group_by and the timers: whatever is sent goes out at once.
  const std::string routes = options.webhookNamespaceRegex.empty()
                                 ? "  receiver: operator\n"
                                 : "  receiver: ignored\n"
                                   "  routes:\n"
                                   "    - receiver: operator\n"
                                   "      matchers: ['namespace=~\"" +
                                       options.webhookNamespaceRegex + "\"']\n";
  std::ofstream(a->dir_.path() / "alertmanager.yml")
      << "route:\n"
      << routes
      << "  group_by: [alertname, namespace]\n"
         "  group_wait: 0s\n"
         "  group_interval: 1s\n"
         "  repeat_interval: 1m\n"
         "receivers:\n"
         "  - name: ignored\n"
         "  - name: operator\n"
         "    webhook_configs:\n"
         "      - url: \""
      << options.webhookUrl
      << "\"\n"
         "        send_resolved: false\n"
         "        http_config:\n"
         "          authorization: {credentials_file: \""
      << options.tokenFile << "\"}\n";
  for (int attempt = 0; attempt < 3; ++attempt) {
    a->port_ = freeLoopbackPort();
    if (a->launch(error)) return a;
  }
  return nullptr;
}

bool Alertmanager::launch(std::string& error) {
  const std::filesystem::path& dir = dir_.path();
  auto process =
      spawnReady({ALERTMANAGER_BINARY, "--config.file=" + (dir / "alertmanager.yml").string(),
                  "--storage.path=" + (dir / "data").string(),
                  "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                  "--cluster.listen-address=", "--log.level=warn"},
                 dir, port_, "Alertmanager", error);
  if (!process) return false;
  process_.emplace(std::move(*process));
  return true;
}

Alertmanager::~Alertmanager() { stop(); }

void Alertmanager::stop() {
  if (process_) process_->terminate(10s);
  process_.reset();
}

std::string Alertmanager::logs() const { return process_ ? process_->err() : std::string(); }

}  // namespace tro::testing
