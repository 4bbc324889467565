#pragma once
// AuditLog: kube-apiserver's audit log (--audit-log-path) at level Metadata: one audit.k8s.io/v1
// Event per line, as JSON, for every API request kubesim answers (its /kubesim control endpoints
// are not API requests). Stage ResponseComplete for ordinary requests, ResponseStarted for
// watches (written when the stream opens). Lines are written in the order the responses
// complete; requestReceivedTimestamp is when the request arrived, before any fault held it, so
// a reader can tell when a client sent a write from when the server applied it (the leader-chaos
// test counts writes per lease term this way). Thread-safe.

#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

#include "kubesim/api/request.h"
#include "kubesim/http/request_facts.h"
#include "operator/base/clock.h"
#include "operator/base/result.h"

namespace kubesim::http {

struct AuditEntry {
  const api::Request& request;
  const RequestFacts& facts;
  int code = 0;
  tro::base::TimePoint received;
  tro::base::TimePoint completed;
  bool watchStarted = false;  // stage ResponseStarted
};

// The Event as JSON (pure; one line once dumped). `auditId` is unique per server run.
Json auditEvent(const AuditEntry& entry, std::uint64_t auditId);

class AuditLog {
 public:
  // Appends to `path` (created when absent). Error: why it cannot be opened.
  static tro::base::Result<std::unique_ptr<AuditLog>, std::string> open(const std::string& path);
  explicit AuditLog(std::ofstream out) : out_(std::move(out)) {}  // use open()

  void record(const AuditEntry& entry);

 private:
  std::mutex mutex_;
  std::ofstream out_;         // guarded by mutex_
  std::uint64_t nextId_ = 1;  // guarded by mutex_
};

}  // namespace kubesim::http
