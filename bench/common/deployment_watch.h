#pragma once
// DeploymentWatch: a WATCH of the Deployments of all namespaces, opened without a
// resourceVersion, so the server first sends every current Deployment as ADDED and then every
// change. Every Deployment of an ADDED or MODIFIED event is handed to `observe` with the moment it
// arrived here (steady clock).
//
// No LIST on purpose: kubesim keeps one change history for all resources (1000 changes by
// default), and while thousands of pods roll out it can turn over before a paged LIST of
// thousands of Deployments completes, which expires the continue token and the LIST's
// resourceVersion. When the server ends the stream (timeoutSeconds, or this watcher's queue
// overflowed) the watch re-opens from the last resourceVersion; on 410 Gone it re-opens without
// one, a resync that delivers every Deployment again (at most one per second; counted). Gives up
// after 5 failures in a row (failed() turns true). The watch runs on a thread owned by this
// object; the destructor cancels it and joins.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "operator/kube/api_client.h"

namespace tro::bench {

class DeploymentWatch {
 public:
  using Steady = std::chrono::steady_clock;
  using Observer = std::function<void(const kube::Json& deployment, Steady::time_point arrived)>;

  // Opens the first stream before returning, so every change made after start() returned reaches
  // `observe` (called from the watch thread). Error: the stream could not be opened. `client`
  // must outlive the watch.
  static kube::Result<std::unique_ptr<DeploymentWatch>> start(kube::ApiClient& client,
                                                              Observer observe);
  DeploymentWatch(kube::ApiClient& client, Observer observe)
      : client_(client), observe_(std::move(observe)) {}
  ~DeploymentWatch();
  DeploymentWatch(const DeploymentWatch&) = delete;
  DeploymentWatch& operator=(const DeploymentWatch&) = delete;

  bool failed() const;
  std::string error() const;  // the last failure, "" when none
  int resyncs() const { return resyncs_.load(); }

 private:
  enum class Outcome { Ended, Gone, Failed };
  kube::Result<kube::WatchStreamPtr> open(const std::string& resourceVersion);
  void run(std::stop_token stop, kube::WatchStreamPtr stream);
  // Streams events until the stream ends; registers it for cancellation meanwhile.
  Outcome follow(const std::stop_token& stop, kube::WatchStream& stream,
                 std::string& resourceVersion);
  Outcome drain(kube::WatchStream& stream, std::string& resourceVersion);
  // Waits `duration` (a retry backoff), or less when stop is requested.
  void pause(const std::stop_token& stop, Steady::duration duration);
  void noteError(const kube::Error& error);

  kube::ApiClient& client_;
  const Observer observe_;
  std::atomic<int> resyncs_{0};
  mutable std::mutex mu_;
  std::condition_variable_any paused_;
  std::string error_;                  // guarded by mu_
  bool failed_ = false;                // guarded by mu_
  kube::WatchStream* open_ = nullptr;  // guarded by mu_; cancelled on destruction
  std::jthread thread_;                // last: joined before the members above go
};

}  // namespace tro::bench
