#include "controllers/analysis/prometheus_parse.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "operator/base/bounded_json.h"
#include "operator/base/rfc3339.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers::analysis {

using Json = nlohmann::json;

namespace {

PrometheusError decodeError(const std::string& message) {
  return PrometheusError{PrometheusError::Kind::Decode, 0, "", message};
}

// Parses the envelope shared by every endpoint and returns "data", or the classified error.
// Answers nest a few levels (data.result[].metric.labels); anything deeper is not Prometheus.
constexpr int kMaxAnswerDepth = 32;

PromResult<Json> envelope(const kube::HttpResponse& response) {
  auto parsed = base::parseJsonBounded(response.body, {response.body.size(), kMaxAnswerDepth});
  const Json body = parsed.ok() ? std::move(parsed).value() : Json();
  bool is2xx = response.status >= 200 && response.status < 300;
  if (body.is_object() && kube::stringAt(body, "status") == "error") {
    return base::fail(PrometheusError{PrometheusError::Kind::Prometheus, response.status,
                                      base::cleanExcerpt(kube::stringAt(body, "errorType"), 64),
                                      base::quoteExcerpt(kube::stringAt(body, "error"))});
  }
  if (!is2xx) {
    return base::fail(PrometheusError{
        PrometheusError::Kind::Http, response.status, "",
        "HTTP " + std::to_string(response.status) + ": " + base::quoteExcerpt(response.body, 128)});
  }
  if (!parsed.ok())
    return base::fail(decodeError("response is not usable JSON: " + parsed.error()));
  if (!body.is_object() || kube::stringAt(body, "status") != "success") {
    return base::fail(decodeError("response has no \"status\":\"success\""));
  }
  auto data = body.find("data");
  if (data == body.end()) return base::fail(decodeError("response has no \"data\""));
  return *data;
}

std::optional<Labels> readLabels(const Json& object) {
  if (!object.is_object()) return std::nullopt;
  Labels labels;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!it->is_string()) return std::nullopt;
    labels[it.key()] = it->get<std::string>();
  }
  return labels;
}

// [<unix time>, "<value>"]
std::optional<double> readPair(const Json& pair) {
  if (!pair.is_array() || pair.size() != 2 || !pair[1].is_string()) return std::nullopt;
  return parseSampleValue(pair[1].get_ref<const std::string&>());
}

}  // namespace

std::optional<double> parseSampleValue(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  if (std::isnan(value) || std::isinf(value)) return std::nullopt;  // only the spellings above
  return value;
}

namespace {

PromResult<std::vector<Alert>> parseAlerts(const kube::HttpResponse& response) {
  auto data = envelope(response);
  if (!data.ok()) return base::fail(data.error());
  auto list = data->find("alerts");
  if (list == data->end() || !list->is_array()) {
    return base::fail(decodeError("alerts response has no \"data.alerts\" array"));
  }
  std::vector<Alert> alerts;
  for (const Json& item : *list) {
    auto labels = item.is_object()
                      ? readLabels(item.contains("labels") ? item["labels"] : Json::object())
                      : std::optional<Labels>();
    if (!labels) return base::fail(decodeError("alert without a labels object"));
    Alert alert;
    alert.labels = std::move(*labels);
    alert.name = alert.labels.count("alertname") ? alert.labels.at("alertname") : "";
    alert.state = kube::stringAt(item, "state");
    if (auto at = item.find("activeAt"); at != item.end() && at->is_string()) {
      alert.activeAt = base::parseRfc3339(at->get_ref<const std::string&>());
      if (!alert.activeAt) {
        return base::fail(decodeError("alert " + base::quoteExcerpt(alert.name, 64) +
                                      ": bad activeAt " +
                                      base::quoteExcerpt(at->get_ref<const std::string&>(), 64)));
      }
    }
    if (auto v = item.find("value"); v != item.end() && v->is_string()) {
      alert.value = parseSampleValue(v->get_ref<const std::string&>());
    }
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

PromResult<QueryResult> parseQuery(const kube::HttpResponse& response) {
  auto data = envelope(response);
  if (!data.ok()) return base::fail(data.error());
  if (!data->is_object()) return base::fail(decodeError("query response \"data\" not an object"));
  std::string type = kube::stringAt(*data, "resultType");
  auto result = data->find("result");
  if (result == data->end()) return base::fail(decodeError("query response has no result"));
  QueryResult out;
  if (type == "scalar") {
    out.kind = QueryResult::Kind::Scalar;
    auto value = readPair(*result);
    if (!value) return base::fail(decodeError("scalar result is not [time, \"value\"]"));
    out.samples.push_back(Sample{{}, *value});
    return out;
  }
  if (type != "vector") {
    return base::fail(decodeError("unsupported resultType " + base::quoteExcerpt(type, 32) +
                                  " (instant queries must return scalar or vector)"));
  }
  if (!result->is_array()) return base::fail(decodeError("vector result is not an array"));
  for (const Json& item : *result) {
    if (!item.is_object()) return base::fail(decodeError("vector sample is not an object"));
    auto labels = readLabels(item.contains("metric") ? item["metric"] : Json::object());
    auto value = item.contains("value") ? readPair(item["value"]) : std::nullopt;
    if (!labels || !value) return base::fail(decodeError("malformed vector sample"));
    out.samples.push_back(Sample{std::move(*labels), *value});
  }
  return out;
}

}  // namespace

// The parsers check every type before reading it; this is the boundary guarantee that a
// malformed answer can never escape as an exception.
PromResult<std::vector<Alert>> parseAlertsResponse(const kube::HttpResponse& response) {
  try {
    return parseAlerts(response);
  } catch (const nlohmann::json::exception& e) {
    return base::fail(decodeError(std::string("alerts response: ") + e.what()));
  }
}

PromResult<QueryResult> parseQueryResponse(const kube::HttpResponse& response) {
  try {
    return parseQuery(response);
  } catch (const nlohmann::json::exception& e) {
    return base::fail(decodeError(std::string("query response: ") + e.what()));
  }
}

}  // namespace tro::controllers::analysis
