#pragma once
// OpsBackend: a Backend decorator that adds kubesim's operations surface in front of the API
// core: fault injection (fault_settings.h), request accounting (request_stats.h) and their
// control endpoints. Requests reach it after the HTTP front authenticated them, so the control
// endpoints need the same bearer token as the API:
//   GET    /kubesim/faults          current settings plus "pausedForMs"
//   POST   /kubesim/faults          JSON object: any settings fields (replaced; the generator is
//                                   reseeded), plus the actions "pauseSeconds": N (every API
//                                   request hangs until the pause ends) and "cutWatchesNow": true
//   DELETE /kubesim/faults          back to no faults, pause lifted
//   GET    /kubesim/requests        request counts as JSON;  POST /kubesim/requests/reset
//   GET    /kubesim/metrics         request counts as Prometheus text
// Control requests are never faulted, paused, counted or audited.
// Caveats: a pause holds requests (the "hung" kind of unreachable); it cannot refuse
// connections, because the listener cannot be reopened. Held requests occupy listener threads,
// so call stopWaiting() before stopping the server. Watch cuts are noticed at the stream's next
// poll (within WatchStream's poll interval).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>

#include "kubesim/http/audit_log.h"
#include "kubesim/http/backend.h"
#include "kubesim/http/fault_decider.h"
#include "kubesim/http/request_stats.h"
#include "operator/base/clock.h"

namespace kubesim::http {

class OpsBackend final : public Backend {
 public:
  // `inner`, `clock` and `audit` (null: no audit log) must outlive this object and every watch
  // it hands out.
  OpsBackend(Backend& inner, const tro::base::Clock& clock, FaultSettings initial = {},
             AuditLog* audit = nullptr);
  ~OpsBackend() override;
  OpsBackend(const OpsBackend&) = delete;
  OpsBackend& operator=(const OpsBackend&) = delete;

  api::Response handle(const api::Request& request) override;
  bool isWatch(const api::Request& request) override;
  Result<api::WatchPtr> watch(const api::Request& request) override;
  std::optional<api::UserInfo> authenticate(const std::string& token) override {
    return inner_.authenticate(token);
  }

  const RequestStats& stats() const { return stats_; }
  FaultSettings faults() const;
  void setFaults(FaultSettings settings);  // reseeds the generator
  void pauseFor(tro::base::Duration duration);
  void cutWatches();  // ends every watch stream open now
  // Releases held requests at once and stops holding new ones (shutdown).
  void stopWaiting();

 private:
  api::Response control(const api::Request& request);
  api::Response faultsEndpoint(const api::Request& request);
  Json faultsState() const;
  // Holds the caller while paused, then for the decision's latency; decides under the lock.
  FaultDecision admit(const RequestFacts& facts);
  // Counts the request and writes its audit event.
  void account(const api::Request& request, const RequestFacts& facts, int code,
               tro::base::TimePoint received, bool watchStarted = false);
  void holdUntil(std::unique_lock<std::mutex>& lock, tro::base::MonoTime deadline);

  Backend& inner_;
  const tro::base::Clock& clock_;
  RequestStats stats_;
  AuditLog* audit_;
  std::shared_ptr<std::atomic<std::uint64_t>> cutEpoch_;  // shared with the watches handed out
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::stop_source stop_;
  FaultDecider decider_;               // guarded by mutex_
  tro::base::MonoTime pausedUntil_{};  // guarded by mutex_
};

}  // namespace kubesim::http
