#include "bench/detection_to_flag_off/write_trace.h"

#include <nlohmann/json.hpp>

namespace tro::bench {
namespace {

constexpr const char* kMessage = "rollback write trace";
constexpr std::string_view kLogger = "telemetryrollout";

// The string at `key`; "" when absent or not a string (value() would throw on another type).
std::string text(const nlohmann::json& line, const char* key) {
  const auto it = line.find(key);
  return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A logger path with a "telemetryrollout" segment ("operator.telemetryrollout", or a child of
// it): where in the controller the line is written is the operator's choice.
bool fromController(const nlohmann::json& line) {
  const std::string logger = "." + text(line, "logger") + ".";
  return logger.find("." + std::string(kLogger) + ".") != std::string::npos;
}

std::optional<std::int64_t> integer(const nlohmann::json& line, const char* key) {
  const auto it = line.find(key);
  if (it == line.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<WriteTrace> parseTrace(const nlohmann::json& line) {
  const auto writes = integer(line, "writes");
  const auto verdict = integer(line, "verdictUnixMicros");
  const auto analysis = integer(line, "analysisMicros");
  const auto firstSent = integer(line, "firstSentMicros");
  const auto lastAnswered = integer(line, "lastAnsweredMicros");
  const auto slowest = integer(line, "slowestRequestMicros");
  const auto limit = integer(line, "inFlightLimit");
  if (!writes || !verdict || !analysis || !firstSent || !lastAnswered || !slowest || !limit) {
    return std::nullopt;
  }
  WriteTrace t;
  t.writes = static_cast<int>(*writes);
  t.verdict = base::TimePoint(
      std::chrono::duration_cast<base::Duration>(std::chrono::microseconds(*verdict)));
  t.analysisMicros = *analysis;
  t.firstSentMicros = *firstSent;
  t.lastAnsweredMicros = *lastAnswered;
  t.slowestRequestMicros = *slowest;
  t.inFlightLimit = static_cast<int>(*limit);
  return t;
}

}  // namespace

std::optional<WriteTrace> findWriteTrace(std::string_view logs, const std::string& rollout) {
  std::size_t start = 0;
  while (start < logs.size()) {
    std::size_t end = logs.find('\n', start);
    if (end == std::string_view::npos) end = logs.size();
    const std::string_view entry = logs.substr(start, end - start);
    start = end + 1;
    if (!entry.starts_with('{')) continue;  // text lines, partial writes
    const auto line = nlohmann::json::parse(entry, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object() || text(line, "msg") != kMessage || !fromController(line) ||
        text(line, "rollout") != rollout) {
      continue;
    }
    if (auto trace = parseTrace(line)) return trace;
  }
  return std::nullopt;
}

}  // namespace tro::bench
