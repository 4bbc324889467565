#pragma once
// The real kubesim binary for the operator's integration tests (tests/support's Kubesim fixture),
// with the kubeconfig loaded as the operator loads it.
//
// connect() builds the core of the operator's production client stack: makeHttpTransport ->
// RateLimitedTransport -> RetryingTransport -> RestClient. operator/app/run.cpp adds request
// metering (MeteredTransport) and, for urgent writes, an AdaptiveConcurrencyTransport; neither
// changes what is sent.

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
#include "tests/support/kubesim_process.h"

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
  explicit KubesimServer(std::unique_ptr<Kubesim> kubesim) : kubesim_(std::move(kubesim)) {}

  const std::filesystem::path& dir() const { return kubesim_->dir(); }
  std::filesystem::path kubeconfig() const { return kubesim_->kubeconfig(); }
  ChildProcess& process() { return kubesim_->process(); }
  Kubesim& kubesim() { return *kubesim_; }
  // The kubeconfig as the operator reads it.
  kube::Result<kube::ClusterConfig> config() const;

 private:
  std::unique_ptr<Kubesim> kubesim_;
};

// Creates a namespace for one test, named `prefix` + the test's name made a DNS label (lower
// case, at most 63 characters), so tests never see each other's objects. Returns its name.
kube::Result<std::string> createTestNamespace(kube::ApiClient& api, const std::string& prefix,
                                              const std::string& testName);

// YAML (one document) to JSON, typing plain scalars as YAML 1.2 core does (null, bool, int,
// float, else string); quoted scalars stay strings. Error: the parser's message.
kube::Result<kube::Json> yamlToJson(const std::string& yaml);

}  // namespace tro::testing
