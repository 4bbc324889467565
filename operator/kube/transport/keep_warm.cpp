#include "operator/kube/transport/keep_warm.h"

#include <algorithm>
#include <atomic>
#include <vector>

namespace tro::kube::transport {

KeepWarm::KeepWarm(Transport& transport, KeepWarmOptions options, std::function<bool()> armed,
                   std::function<int()> connections, const base::Clock& clock)
    : transport_(transport),
      options_(std::move(options)),
      armed_(std::move(armed)),
      connections_(std::move(connections)),
      clock_(clock) {}

void KeepWarm::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void KeepWarm::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  {
    std::lock_guard lock(mu_);  // no wait between its check and its sleep misses the stop
  }
  cv_.notify_all();
  thread_.join();
  thread_ = std::jthread();
}

int KeepWarm::warmOnce() {
  const int wanted = std::clamp(connections_ ? connections_() : 1, 1, options_.maxConnections);
  HttpRequest request;
  request.method = "GET";
  request.path = options_.path;
  request.headers = {{"Accept", "application/json"}};
  std::atomic<int> answered{0};
  {
    std::vector<std::jthread> threads;
    threads.reserve(static_cast<size_t>(wanted));
    for (int i = 0; i < wanted; ++i) {
      threads.emplace_back([&] {
        auto response = transport_.send(request, options_.timeout);
        if (response.ok() && response->status >= 200 && response->status < 300) ++answered;
      });
    }
  }  // joined: every GET answered or failed
  return answered.load();
}

void KeepWarm::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    if (!armed_ || armed_()) warmOnce();
    const base::MonoTime next = clock_.monotonicNow() + options_.period;
    std::unique_lock lock(mu_);
    while (!stop.stop_requested() && clock_.monotonicNow() < next) {
      clock_.waitUntil(lock, cv_, next, stop);
    }
  }
}

}  // namespace tro::kube::transport
