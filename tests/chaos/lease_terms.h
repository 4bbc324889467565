#pragma once
// Lease terms and their writers, read from kubesim's audit log (--audit-log-path): the leader
// chaos test's judge. A term starts when a replica's write of the Lease succeeds after another
// replica's did (lines are in completion order); a write belongs to the term in force when the
// server received it (requestReceivedTimestamp, before any fault held it). A double writer is a
// write of anything but the Lease, by an operator replica that did not hold the term it was
// received in. Replicas are told apart by their User-Agent (which names their identity).

#include <chrono>
#include <string>
#include <vector>

#include "operator/base/clock.h"

namespace tro::testing::chaos {

struct Term {
  std::string holder;  // the replica's User-Agent
  base::TimePoint start;
  int writes = 0;  // writes by its holder received in it
};

struct DoubleWrite {
  std::string writer;
  std::string holder;
  std::string what;  // "patch deployments lead/d3 at 2026-...Z"
};

struct TermReport {
  std::vector<Term> terms;
  std::vector<DoubleWrite> doubleWrites;
  int writes = 0;     // by operator replicas, the Lease excluded
  int malformed = 0;  // lines that are not audit events
};

// `auditLog`: the file's content. `lease`: the Lease's name; `agentPrefix`: how the replicas'
// User-Agents begin.
TermReport analyzeTerms(const std::string& auditLog, const std::string& lease,
                        const std::string& agentPrefix);

}  // namespace tro::testing::chaos
