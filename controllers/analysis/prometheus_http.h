#pragma once
// The production PrometheusApi: a PrometheusClient over the cpprestsdk transport, configured
// from spec.analysis.prometheus. Lives in its own library (tro_analysis_prometheus) so that pure
// controller code and its tests never link the HTTP stack.
//  - address: http(s)://host:port[/prefix]; the prefix is kept (Prometheus behind a proxy).
//  - caFile: PEM bundle read once here; empty = system trust store.
//  - bearerTokenFile: sent as "Authorization: Bearer", re-read when the file changes.
//  - timeout: per request.
// Errors (unreadable CA file, bad URL) are Config errors naming the field's value.

#include "controllers/analysis/prometheus_client.h"
#include "controllers/rollout/spec.h"

namespace tro::controllers::analysis {

PromResult<PrometheusApiPtr> makePrometheusClient(const AnalysisSpec& spec);

}  // namespace tro::controllers::analysis
