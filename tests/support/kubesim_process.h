#pragma once
// The real kubesim binary for integration tests and benchmarks, driven with the real kubectl.
// Started on a free port with --kubeconfig-out into a private temp dir; ready once the kubeconfig
// (and, with the simulated world on, the apps' metrics port file) has been written; stopped with
// SIGTERM, then SIGKILL, on destruction. Every kubectl call gets a fresh --cache-dir so discovery
// reflects CRDs applied a moment ago, and HOME points into the temp dir so ~/.kube is never read.
//
// The operations endpoints (request accounting, API faults) are reached through kubectl --raw
// with the same credentials as the API.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::testing {

class Kubesim {
 public:
  // `flags` are passed to kubesim as they are (for example --pod-ready-delay 100ms). Error:
  // nullptr, with the reason and kubesim's stderr in `error`.
  static std::unique_ptr<Kubesim> start(const std::vector<std::string>& flags, std::string& error);
  Kubesim() : dir_("kubesim-it") {}  // use start()
  ~Kubesim();
  Kubesim(const Kubesim&) = delete;
  Kubesim& operator=(const Kubesim&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path kubeconfig() const { return dir() / "kubeconfig"; }
  ChildProcess& process() { return *process_; }
  // The loopback port of the simulated apps' /metrics; 0 when the world is off.
  std::uint16_t metricsPort() const { return metricsPort_; }

  RunResult kubectl(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Starts kubectl without waiting (for --watch); its output is read from the process.
  std::optional<ChildProcess> kubectlAsync(const std::vector<std::string>& args);
  // Writes `content` to a file in the instance's directory and returns its path.
  std::string writeFile(const std::string& name, const std::string& content) const;

  // GET /kubesim/requests: {"total", "requests": [{verb, resource, fieldManager, code, count...}]}.
  // nullopt when kubectl fails (the reason in `error`).
  std::optional<nlohmann::json> requests(std::string* error = nullptr);
  bool resetRequests(std::string* error = nullptr);
  // POST /kubesim/faults with `settings` (see kubesim/http/fault_settings.h); DELETE clears all.
  bool setFaults(const nlohmann::json& settings, std::string* error = nullptr);
  bool clearFaults(std::string* error = nullptr);

 private:
  std::vector<std::string> kubectlArgv(const std::vector<std::string>& args);
  std::map<std::string, std::string> env() const;
  bool control(const std::vector<std::string>& args, std::string* out, std::string* error);

  TempDir dir_;
  std::optional<ChildProcess> process_;
  std::uint16_t metricsPort_ = 0;
  int calls_ = 0;
};

// Sums the counts of /kubesim/requests rows that match every given key (verb, resource,
// fieldManager, subresource, code as a string, ...); a key absent from `match` matches anything.
std::uint64_t countRequests(const nlohmann::json& requests,
                            const std::map<std::string, std::string>& match);

}  // namespace tro::testing
