// Prometheus' /api/v1/query answer (prometheus_parse.h: "they never throw"). Input: the body,
// parsed as a 200 answer and as a 422 one (Prometheus' error answers carry a JSON body too).
// Invariant: a scalar result is exactly one sample without labels.

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
  const auto result = parseQueryResponse(response);
  if (result.ok() && result->kind == QueryResult::Kind::Scalar) {
    require(result->samples.size() == 1 && result->samples.front().labels.empty());
  }
  if (!result.ok()) (void)result.error().toString();
  response.status = 422;
  const auto failed = parseQueryResponse(response);
  require(!failed.ok());
  (void)failed.error().toString();
  return 0;
}
