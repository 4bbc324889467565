#pragma once
// Pure parsing of Prometheus HTTP API answers (https://prometheus.io/docs/prometheus/latest/
// querying/api/). Given a whole response (status, body) they return the values or a classified
// PrometheusError; they never throw. The client (prometheus_client.h) only sends and calls these.

#include <string_view>

#include "controllers/analysis/prometheus_types.h"
#include "operator/kube/http.h"

namespace tro::controllers::analysis {

// GET /api/v1/alerts
PromResult<std::vector<Alert>> parseAlertsResponse(const kube::HttpResponse& response);
// GET /api/v1/query: resultType scalar or vector
PromResult<QueryResult> parseQueryResponse(const kube::HttpResponse& response);

// A sample value as Prometheus writes it: "1.5", "1e-3", "NaN", "+Inf", "-Inf".
std::optional<double> parseSampleValue(std::string_view text);

}  // namespace tro::controllers::analysis
