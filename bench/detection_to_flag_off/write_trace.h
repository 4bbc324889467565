#pragma once
// The operator's account of one rollback's writes (issue 14): with `--log-format json` it logs one
// line per reconcile that writes a rollback, msg "rollback write trace", logger
// "telemetryrollout", with the rollout ("<ns>/<name>") and the fields below; a rollout's first
// such line is the one of its verdict (a later one would be a retry of failed writes). The
// benchmark reads it from the operator's stderr to split "alert -> last flag off" into the time to
// the verdict and the time of the writes. Caveat: verdictUnixMicros is the operator's wall clock;
// the benchmark compares it with its own (same machine, same clock), never with another host's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "operator/base/clock.h"

namespace tro::bench {

struct WriteTrace {
  int writes = 0;                         // writes sent (and answered)
  base::TimePoint verdict;                // when the plan that rolls back was computed
  std::int64_t analysisMicros = 0;        // the analysis that led to the verdict
  std::int64_t firstSentMicros = 0;       // verdict -> the first write sent; -1: none sent
  std::int64_t lastAnsweredMicros = 0;    // verdict -> the last write answered; -1: none
  std::int64_t slowestRequestMicros = 0;  // the slowest single write
  int inFlightLimit = 0;                  // the rollback lane's bound on concurrent writes then
};

// The first trace line in `logs` (the operator's stderr, one entry per line) for `rollout`
// ("<ns>/<name>"). Lines that are not JSON objects, other messages, other rollouts and trace lines
// missing any field are skipped; nullopt when none is left. Pure.
std::optional<WriteTrace> findWriteTrace(std::string_view logs, const std::string& rollout);

}  // namespace tro::bench
