#include "controllers/analysis/prometheus_client.h"

#include <cstdio>

#include "controllers/analysis/prometheus_parse.h"
#include "controllers/analysis/promql.h"
#include "operator/base/untrusted_text.h"

namespace tro::controllers::analysis {

namespace {

// Unix seconds with millisecond precision, the form Prometheus documents for "time".
std::string unixSeconds(base::TimePoint at) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buf;
}

}  // namespace

kube::HttpRequest alertsRequest() {
  kube::HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/alerts";
  request.headers = {{"Accept", "application/json"}};
  return request;
}

kube::HttpRequest queryRequest(const std::string& promql, std::optional<base::TimePoint> at,
                               std::chrono::milliseconds timeout) {
  kube::HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/query";
  request.query.emplace_back("query", promql);
  if (at) request.query.emplace_back("time", unixSeconds(*at));
  request.query.emplace_back("timeout", promDuration(timeout));
  request.headers = {{"Accept", "application/json"}};
  return request;
}

const char* toString(PrometheusError::Kind kind) {
  switch (kind) {
    case PrometheusError::Kind::Unreachable:
      return "unreachable";
    case PrometheusError::Kind::Timeout:
      return "timeout";
    case PrometheusError::Kind::Http:
      return "http error";
    case PrometheusError::Kind::Prometheus:
      return "prometheus error";
    case PrometheusError::Kind::Decode:
      return "undecodable response";
    case PrometheusError::Kind::Config:
      return "configuration error";
  }
  return "unknown";
}

std::string PrometheusError::toString() const {
  std::string out = analysis::toString(kind);
  if (!errorType.empty()) out += " " + errorType;
  if (httpStatus != 0) out += " (" + std::to_string(httpStatus) + ")";
  return out + ": " + message;
}

PrometheusError fromTransportError(const kube::Error& error) {
  PrometheusError out;
  out.message = error.message;
  switch (error.kind) {
    case kube::ErrorKind::Timeout:
      out.kind = PrometheusError::Kind::Timeout;
      break;
    case kube::ErrorKind::Config:
      out.kind = PrometheusError::Kind::Config;
      break;
    case kube::ErrorKind::Decode:  // ResponseTooLarge
      out.kind = PrometheusError::Kind::Decode;
      break;
    default:
      out.kind = PrometheusError::Kind::Unreachable;
  }
  return out;
}

PromResult<std::vector<Alert>> PrometheusClient::alerts() {
  kube::HttpRequest request = alertsRequest();
  auto response = transport_->send(request, timeout_);
  if (!response.ok()) return base::fail(fromTransportError(response.error()));
  auto parsed = parseAlertsResponse(*response);
  if (!parsed.ok()) {
    PrometheusError e = parsed.error();
    e.message = request.describe() + ": " + e.message;
    return base::fail(std::move(e));
  }
  return parsed;
}

PromResult<QueryResult> PrometheusClient::query(const std::string& promql,
                                                std::optional<base::TimePoint> at) {
  auto response = transport_->send(queryRequest(promql, at, timeout_), timeout_);
  if (!response.ok()) return base::fail(fromTransportError(response.error()));
  auto parsed = parseQueryResponse(*response);
  if (!parsed.ok()) {
    PrometheusError e = parsed.error();
    e.message = "query " + base::quoteExcerpt(promql, 128) + ": " + e.message;
    return base::fail(std::move(e));
  }
  return parsed;
}

}  // namespace tro::controllers::analysis
