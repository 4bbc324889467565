// Durations and timestamps from outside: base::parseDuration (every duration of a
// TelemetryRollout, and flags), base::parseRfc3339 (times read back from
// status, Prometheus' and Alertmanager's times), parseSampleValue (Prometheus answers), and the
// renderings that feed them back (formatDuration, promDuration, formatRfc3339). Input: the text.
// Invariants: formatDuration's rendering parses back to the same duration; promDuration's
// parses; a status time within years 1..9999 reads back as written, truncated to seconds
// (rfc3339.h: a restarted operator must compute the same window ends).

#include <chrono>
#include <string>

#include "controllers/analysis/prometheus_parse.h"
#include "controllers/analysis/promql.h"
#include "operator/base/duration.h"
#include "operator/base/rfc3339.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using tro::fuzz::require;

void checkDuration(std::string_view text) {
  const auto d = tro::base::parseDuration(text);
  if (!d.ok()) return;
  const auto again = tro::base::parseDuration(tro::base::formatDuration(*d));
  require(again.ok() && *again == *d);
  require(tro::base::parseDuration(tro::controllers::analysis::promDuration(*d)).ok());
}

void checkStatusTime(const std::string& text) {
  using namespace std::chrono;
  const auto t = tro::base::parseRfc3339(text);
  if (!t) return;
  const sys_seconds secs = floor<seconds>(*t);  // compared in seconds: no overflow here
  if (secs < sys_days(year(1) / 1 / 1) || secs >= sys_days(year(10000) / 1 / 1)) return;
  const auto back = tro::base::parseRfc3339(tro::base::formatRfc3339(*t));
  require(back.has_value() && *back == tro::base::truncateToSeconds(*t));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const std::string_view text = tro::fuzz::asText(data, size);
  checkDuration(text);
  checkStatusTime(std::string(text));
  (void)tro::base::parseRfc3339(text);
  (void)tro::controllers::analysis::parseSampleValue(text);
  return 0;
}
