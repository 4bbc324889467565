#pragma once
// A real Prometheus server (Debian's `prometheus` package) for integration tests and benchmarks:
// scrapes the given loopback targets and evaluates the given rule file every second, listens on a
// free loopback port, keeps its TSDB in a private temp dir. stop() and restart() keep the port and
// the data, so a test can take Prometheus away during a canary window and bring it back.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::testing {

struct PrometheusOptions {
  std::vector<std::uint16_t> scrapeTargets;  // 127.0.0.1:<port>/metrics, one job each
  std::string rules;                         // rule file content (YAML); empty: no rules
  std::chrono::milliseconds interval = std::chrono::seconds(1);  // scrape and evaluation
  std::optional<std::uint16_t> alertmanagerPort{};  // 127.0.0.1:<port> gets the firing alerts
};

class Prometheus {
 public:
  // Error: nullptr, with the reason and Prometheus' stderr in `error`.
  static std::unique_ptr<Prometheus> start(const PrometheusOptions& options, std::string& error);
  Prometheus() : dir_("prometheus-it") {}  // use start()
  ~Prometheus();
  Prometheus(const Prometheus&) = delete;
  Prometheus& operator=(const Prometheus&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // SIGTERM and wait; then the port refuses connections until restart().
  void stop();
  // Starts again on the same port with the same data; waits until ready.
  bool restart(std::string& error);
  std::string logs() const;

  // /api/v1/query: the `data` object ({resultType, result}); nullopt on any error.
  std::optional<nlohmann::json> query(const std::string& promql) const;
  // /api/v1/alerts: the alerts (each {labels, annotations, state, activeAt, value}).
  std::vector<nlohmann::json> alerts() const;
  // Whether an alert named `name` whose labels include every pair in `labels` has that state
  // ("firing" or "pending").
  bool alertIs(const std::string& name, const std::map<std::string, std::string>& labels,
               const std::string& state) const;

 private:
  bool launch(std::string& error);

  TempDir dir_;
  std::uint16_t port_ = 0;
  std::optional<ChildProcess> process_;
};

// A rule file with the runbooks' HighErrorRate (error ratio > 0.02 per namespace and Deployment)
// over 5 s rate windows, short enough for tests and benchmarks, and the given `for:` ("0s": the
// evaluation that makes the alert active also makes it firing).
std::string highErrorRateRules(const std::string& forDuration);

}  // namespace tro::testing
