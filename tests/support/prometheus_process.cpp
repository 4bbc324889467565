#include "tests/support/prometheus_process.h"

#include <fstream>

#include "tests/support/free_port.h"
#include "tests/support/http_get.h"
#include "tests/support/ready_process.h"

namespace tro::testing {

using namespace std::chrono_literals;

namespace {

std::string config(const PrometheusOptions& options, const std::filesystem::path& rules) {
  const std::string every = std::to_string(options.interval.count()) + "ms";
  std::string out = "global: {scrape_interval: " + every + ", evaluation_interval: " + every +
                    ", scrape_timeout: " + every + "}\n";
  if (!options.rules.empty()) out += "rule_files: [\"" + rules.string() + "\"]\n";
  if (options.alertmanagerPort) {
    out += "alerting: {alertmanagers: [{static_configs: [{targets: [\"127.0.0.1:" +
           std::to_string(*options.alertmanagerPort) + "\"]}]}]}\n";
  }
  out += "scrape_configs:\n";
  int job = 0;
  for (std::uint16_t port : options.scrapeTargets) {
    out += "  - job_name: target-" + std::to_string(job++) +
           "\n    static_configs: [{targets: [\"127.0.0.1:" + std::to_string(port) + "\"]}]\n";
  }
  return out;
}

}  // namespace

std::unique_ptr<Prometheus> Prometheus::start(const PrometheusOptions& options,
                                              std::string& error) {
  auto p = std::make_unique<Prometheus>();
  if (p->dir_.path().empty()) {
    error = "cannot create a temp dir";
    return nullptr;
  }
  const auto rules = p->dir_.path() / "rules.yaml";
  std::ofstream(rules) << options.rules;
  std::ofstream(p->dir_.path() / "prometheus.yml") << config(options, rules);
  // The port is chosen before Prometheus binds it; another process may take it in between.
  for (int attempt = 0; attempt < 3; ++attempt) {
    p->port_ = freeLoopbackPort();
    if (p->launch(error)) return p;
  }
  return nullptr;
}

bool Prometheus::launch(std::string& error) {
  const std::filesystem::path& dir = dir_.path();
  auto process =
      spawnReady({PROMETHEUS_BINARY, "--config.file=" + (dir / "prometheus.yml").string(),
                  "--storage.tsdb.path=" + (dir / "data").string(),
                  "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"},
                 dir, port_, "Prometheus", error);
  if (!process) return false;
  process_.emplace(std::move(*process));
  return true;
}

Prometheus::~Prometheus() { stop(); }

void Prometheus::stop() {
  if (process_) process_->terminate(10s);
  process_.reset();
}

bool Prometheus::restart(std::string& error) {
  stop();
  return launch(error);
}

std::string Prometheus::logs() const { return process_ ? process_->err() : std::string(); }

std::optional<nlohmann::json> Prometheus::query(const std::string& promql) const {
  const HttpReply reply = httpGet(port_, "/api/v1/query?query=" + urlEncode(promql));
  if (reply.status != 200) return std::nullopt;
  auto parsed = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || parsed.value("status", "") != "success") return std::nullopt;
  return parsed["data"];
}

std::vector<nlohmann::json> Prometheus::alerts() const {
  const HttpReply reply = httpGet(port_, "/api/v1/alerts");
  if (reply.status != 200) return {};
  auto parsed = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return {};
  return parsed["data"].value("alerts", std::vector<nlohmann::json>{});
}

bool Prometheus::alertIs(const std::string& name, const std::map<std::string, std::string>& labels,
                         const std::string& state) const {
  for (const auto& alert : alerts()) {
    const auto& l = alert["labels"];
    if (l.value("alertname", "") != name || alert.value("state", "") != state) continue;
    bool all = true;
    for (const auto& [key, value] : labels) all = all && l.value(key, "") == value;
    if (all) return true;
  }
  return false;
}

std::string highErrorRateRules(const std::string& forDuration) {
  return R"(groups:
  - name: runbook
    rules:
      - alert: HighErrorRate
        expr: |
          sum by (namespace, deployment) (rate(http_requests_total{code=~"5.."}[5s]))
            / sum by (namespace, deployment) (rate(http_requests_total[5s])) > 0.02
        for: )" +
         forDuration + R"(
        labels: {severity: page}
)";
}

}  // namespace tro::testing
