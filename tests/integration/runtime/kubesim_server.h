#pragma once
// The real kubesim binary for the operator's integration tests: started on a free port with
// --kubeconfig-out into a fresh temp dir, ready once the kubeconfig file appears (deadline);
// stopped (SIGTERM, then SIGKILL) on destruction together with its temp dir.
//
// connect() builds the operator's production client stack exactly as operator/app/run.cpp
// does: makeHttpTransport -> RateLimitedTransport -> RetryingTransport -> RestClient.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "operator/base/clock.h"
#include "operator/kube/cluster_config.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport.h"
#include "operator/kube/transport/rate_limiter.h"
#include "tests/support/process.h"

namespace tro::testing {

// The production client stack. Owns its clock and every layer; members are destroyed in
// reverse order, so the RestClient goes before the transports it uses.
struct ClientStack {
  base::SystemClock clock;
  std::unique_ptr<kube::transport::RateLimiter> limiter;
  kube::TransportPtr transport;
  std::unique_ptr<kube::RestClient> api;
};

kube::Result<std::unique_ptr<ClientStack>> connect(const kube::ClusterConfig& config);

class KubesimServer {
 public:
  // nullptr on failure, with the reason (and kubesim's stderr) in `error`.
  static std::unique_ptr<KubesimServer> start(const std::vector<std::string>& extraFlags,
                                              std::string& error);
  KubesimServer() : dir_("kubesim-rt") {}  // use start()
  ~KubesimServer();
  KubesimServer(const KubesimServer&) = delete;
  KubesimServer& operator=(const KubesimServer&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path kubeconfig() const { return dir() / "kubeconfig"; }
  ChildProcess& process() { return *process_; }
  // The kubeconfig as the operator reads it.
  kube::Result<kube::ClusterConfig> config() const;

 private:
  TempDir dir_;
  std::optional<ChildProcess> process_;
};

// YAML (one document) to JSON, typing plain scalars as YAML 1.2 core does (null, bool, int,
// float, else string); quoted scalars stay strings. Error: the parser's message.
kube::Result<kube::Json> yamlToJson(const std::string& yaml);

}  // namespace tro::testing
