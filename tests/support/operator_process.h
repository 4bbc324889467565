#pragma once
// The real telemetry-rollout-operator binary for integration tests and benchmarks: started
// against a kubeconfig with its metrics and health servers on free loopback ports, text logs in a
// private temp dir. Ready when /readyz answers 200 (every informer synced; the CRD must be
// served first). kill() is SIGKILL (no lease release, no drain); restart() starts it again with
// the same flags.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::testing {

class OperatorProcess {
 public:
  // Starts and waits for readiness. Error: nullptr, with the reason and the logs in `error`.
  static std::unique_ptr<OperatorProcess> start(const std::filesystem::path& kubeconfig,
                                                const std::vector<std::string>& flags,
                                                std::string& error);
  OperatorProcess() : dir_("operator-it") {}  // use start()
  ~OperatorProcess();
  OperatorProcess(const OperatorProcess&) = delete;
  OperatorProcess& operator=(const OperatorProcess&) = delete;

  ChildProcess& process() { return *process_; }
  bool running() const { return process_.has_value(); }
  std::uint16_t metricsPort() const { return metricsPort_; }
  // The logs of every run so far (stderr), for failure messages.
  std::string logs() const;
  // Their last `bytes` (prefixed "...\n" when cut), for failure messages that stay readable.
  std::string logsTail(std::size_t bytes = 6000) const;
  // The /metrics page; empty when unreachable.
  std::string metrics() const;
  // The value of the first sample whose line starts with `series` (for example
  // `telemetry_rollout_rollbacks_total{reason="alert"}`); nullopt when there is none.
  std::optional<double> metric(const std::string& series) const;

  void kill();                       // SIGKILL and reap
  int terminate();                   // SIGTERM (graceful), then SIGKILL after a grace; exit code
  bool restart(std::string& error);  // start again (after kill or terminate) and wait until ready

 private:
  bool launch(std::string& error);

  TempDir dir_;
  std::filesystem::path kubeconfig_;
  std::vector<std::string> flags_;
  std::uint16_t metricsPort_ = 0;
  std::uint16_t healthPort_ = 0;
  std::optional<ChildProcess> process_;
  std::string previousLogs_;
  int runs_ = 0;
};

}  // namespace tro::testing
