#pragma once
// The provider seam of analysis: PrometheusApi fetches, evaluate() judges (Argo Rollouts'
// metric/provider.go split). PrometheusClient implements it over any kube::Transport, so tests
// use a fake transport and production the cpprestsdk one (prometheus_http.h).
//
// Every call is one GET with the configured per-request timeout, sent once: the analysis
// interval is the retry. Errors come back classified (prometheus_types.h); nothing throws.
// Thread-safe when the transport is (the client itself keeps no mutable state).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/prometheus_types.h"
#include "operator/kube/http.h"
#include "operator/kube/transport.h"

namespace tro::controllers::analysis {

class PrometheusApi {
 public:
  virtual ~PrometheusApi() = default;
  // Every pending and firing alert Prometheus knows.
  virtual PromResult<std::vector<Alert>> alerts() = 0;
  // An instant query, evaluated at `at` (Prometheus' own "now" when unset).
  virtual PromResult<QueryResult> query(const std::string& promql,
                                        std::optional<base::TimePoint> at) = 0;
};
using PrometheusApiPtr = std::unique_ptr<PrometheusApi>;

// Request values, asserted on directly in tests.
kube::HttpRequest alertsRequest();
// Also passes `timeout` to Prometheus so the server gives up when the client does.
kube::HttpRequest queryRequest(const std::string& promql, std::optional<base::TimePoint> at,
                               std::chrono::milliseconds timeout);

// Transport failures as analysis sees them: Timeout stays Timeout, Config stays Config,
// everything else (refused, DNS, TLS, cancelled) is Unreachable.
PrometheusError fromTransportError(const kube::Error& error);

class PrometheusClient final : public PrometheusApi {
 public:
  PrometheusClient(kube::TransportPtr transport, std::chrono::milliseconds timeout)
      : transport_(std::move(transport)), timeout_(timeout) {}

  PromResult<std::vector<Alert>> alerts() override;
  PromResult<QueryResult> query(const std::string& promql,
                                std::optional<base::TimePoint> at) override;

 private:
  kube::TransportPtr transport_;
  std::chrono::milliseconds timeout_;
};

}  // namespace tro::controllers::analysis
