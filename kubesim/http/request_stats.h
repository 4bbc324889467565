#pragma once
// RequestStats: counts of the API requests kubesim answered, by verb, group, resource,
// subresource, field manager, User-Agent and response code, so tests can assert e.g. "exactly
// one PATCH of this Deployment by field manager telemetry-rollout-operator". Rendered as JSON
// (GET /kubesim/requests) and as Prometheus text (GET /kubesim/metrics, counter
// kubesim_requests_total). Thread-safe. Counts only what came through the HTTP front: the
// simulated cluster's controllers call the API core in-process and are not counted.

#include <compare>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "kubesim/common/api_error.h"
#include "kubesim/http/request_facts.h"

namespace kubesim::http {

struct RequestKey {
  std::string verb;
  std::string group;
  std::string resource;
  std::string subresource;
  std::string fieldManager;
  std::string userAgent;
  int code = 0;
  auto operator<=>(const RequestKey&) const = default;
};

class RequestStats {
 public:
  void record(const RequestFacts& facts, int code);
  void reset();
  std::map<RequestKey, std::uint64_t> snapshot() const;
  // {"total": N, "requests": [{"verb", "group", "resource", "subresource", "fieldManager",
  //  "userAgent", "code", "count"}, ...]} sorted by key.
  Json toJson() const;
  std::string toPrometheus() const;

 private:
  mutable std::mutex mutex_;
  std::map<RequestKey, std::uint64_t> counts_;  // guarded by mutex_
};

// Prometheus label-value escaping (backslash, double quote, newline).
std::string escapeLabelValue(const std::string& value);

}  // namespace kubesim::http
