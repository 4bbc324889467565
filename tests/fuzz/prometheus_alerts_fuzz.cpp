// Prometheus' /api/v1/alerts answer (prometheus_parse.h: "they never throw"). Input: the body,
// parsed as a 200 answer and as a 503 one. Invariant: each alert's name is its alertname label.

#include "controllers/analysis/prometheus_parse.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::controllers::analysis;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  tro::kube::HttpResponse response;
  response.status = 200;
  response.headers["content-type"] = "application/json";
  response.body = std::string(tro::fuzz::asText(data, size));
  const auto alerts = parseAlertsResponse(response);
  if (alerts.ok()) {
    for (const Alert& alert : *alerts) {
      const auto name = alert.labels.find("alertname");
      require(alert.name == (name == alert.labels.end() ? std::string() : name->second));
    }
  } else {
    (void)alerts.error().toString();
  }
  response.status = 503;
  const auto failed = parseAlertsResponse(response);
  require(!failed.ok());
  (void)failed.error().toString();
  return 0;
}
