#pragma once
// FlagWatch: the end condition of the rollback benchmarks. Lists, then watches, the Deployments
// of one namespace over HTTPS and records for each one the moment (by `clock`, when the event
// arrives here) its pod template first carries env var `flag` == `value` in any container.
// Deployments that already carry the value when the watch starts are recorded at that moment, so
// callers check reached() right after start() to make sure they measure a change.
// Caveat: the time is the arrival of the watch event on this machine, so it includes kubesim's
// watch fan-out (sub-millisecond on loopback) but no kubectl process start-up.
// The watch runs on a thread owned by this object; the destructor cancels it and joins.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "operator/base/clock.h"
#include "operator/kube/api_client.h"

namespace tro::bench {

class FlagWatch {
 public:
  struct Target {
    std::string ns;
    std::string flag;
    std::string value;
  };

  // Error: the initial list failed. `client` and `clock` must outlive the watch.
  static kube::Result<std::unique_ptr<FlagWatch>> start(kube::ApiClient& client,
                                                        const base::Clock& clock, Target target);
  FlagWatch(kube::ApiClient& client, const base::Clock& clock, Target target)
      : client_(client), clock_(clock), target_(std::move(target)) {}
  ~FlagWatch();
  FlagWatch(const FlagWatch&) = delete;
  FlagWatch& operator=(const FlagWatch&) = delete;

  // Waits until every Deployment in `names` has been seen with the value; false at the timeout
  // (real time), or when the watch failed for good (see error()).
  bool waitAll(const std::vector<std::string>& names, std::chrono::milliseconds timeout);
  std::map<std::string, base::TimePoint> reached() const;
  // The last watch failure, "" when none.
  std::string error() const;

 private:
  void observe(const kube::Json& deployment);
  void run(std::stop_token stop, std::string resourceVersion);
  // Streams events until the stream ends; returns false when it failed.
  bool drain(kube::WatchStream& stream, std::string& resourceVersion);

  kube::ApiClient& client_;
  const base::Clock& clock_;
  const Target target_;
  mutable std::mutex mu_;
  std::condition_variable_any changed_;
  std::map<std::string, base::TimePoint> reached_;  // guarded by mu_
  std::string error_;                               // guarded by mu_
  bool failed_ = false;                             // guarded by mu_; gave up re-opening
  kube::WatchStream* open_ = nullptr;               // guarded by mu_; cancelled on destruction
  std::jthread thread_;                             // last: joined before the members above go
};

// The value of env var `flag` in the first container of `deployment`'s pod template that sets
// it; "" when none does (or it comes from valueFrom).
std::string templateEnvValue(const kube::Json& deployment, const std::string& flag);

}  // namespace tro::bench
