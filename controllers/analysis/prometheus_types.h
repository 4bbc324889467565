#pragma once
// What the Prometheus HTTP API answers, as plain values, and how asking it can fail.
// Values keep Prometheus' special floats: NaN, +Inf and -Inf are real doubles here; deciding
// what they mean (NaN is "no data", an infinity is a value) is evaluate()'s job.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "operator/base/clock.h"
#include "operator/base/result.h"

namespace tro::controllers::analysis {

using Labels = std::map<std::string, std::string>;

struct Alert {
  std::string name;   // the "alertname" label
  Labels labels;      // all labels, alertname included
  std::string state;  // "firing" | "pending" (Prometheus lists no inactive alerts)
  std::optional<base::TimePoint> activeAt;  // when it became pending; absent if not reported
  std::optional<double> value;  // the rule expression's value when last evaluated, if reported
  bool operator==(const Alert&) const = default;
};

struct Sample {
  Labels labels;  // empty for a scalar
  double value = 0;
};

struct QueryResult {
  enum class Kind { Scalar, Vector };  // instant queries; matrix/string are rejected as Decode
  Kind kind = Kind::Vector;
  std::vector<Sample> samples;  // a scalar is exactly one sample without labels
};

struct PrometheusError {
  enum class Kind {
    Unreachable,  // connection refused, DNS, TLS: nothing was answered
    Timeout,      // no answer within the per-request timeout
    Http,         // a non-2xx answer without a Prometheus error body (proxy, 404 ...)
    Prometheus,   // {"status":"error","errorType":...,"error":...}, any HTTP status
    Decode,       // a 2xx answer that is not the expected JSON shape
    Config,       // bad address, unreadable CA or token file
  };
  Kind kind = Kind::Unreachable;
  int httpStatus = 0;     // set for Http and Prometheus
  std::string errorType;  // Prometheus' errorType: bad_data, timeout, execution, unavailable ...
  std::string message;
  // "prometheus error bad_data (400): parse error at char 5 ..." for status and Events.
  std::string toString() const;
};

const char* toString(PrometheusError::Kind kind);

template <typename T>
using PromResult = base::Result<T, PrometheusError>;

}  // namespace tro::controllers::analysis
