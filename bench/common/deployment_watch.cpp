#include "bench/common/deployment_watch.h"

namespace tro::bench {
namespace {

constexpr int kMaxFailuresInARow = 5;
constexpr std::chrono::milliseconds kBackoff{100};
constexpr std::chrono::seconds kResyncEvery{1};

}  // namespace

kube::Result<std::unique_ptr<DeploymentWatch>> DeploymentWatch::start(kube::ApiClient& client,
                                                                      Observer observe) {
  auto watch = std::make_unique<DeploymentWatch>(client, std::move(observe));
  auto first = watch->open("");
  if (!first.ok()) return kube::fail(std::move(first).error());
  DeploymentWatch* w = watch.get();
  watch->thread_ =
      std::jthread([w, stream = std::move(first).value()](std::stop_token stop) mutable {
        w->run(stop, std::move(stream));
      });
  return watch;
}

DeploymentWatch::~DeploymentWatch() {
  thread_.request_stop();
  {
    std::lock_guard lock(mu_);
    if (open_ != nullptr) open_->cancel();
  }
  paused_.notify_all();
}

bool DeploymentWatch::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

std::string DeploymentWatch::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

void DeploymentWatch::noteError(const kube::Error& error) {
  std::lock_guard lock(mu_);
  error_ = error.toString();
}

kube::Result<kube::WatchStreamPtr> DeploymentWatch::open(const std::string& resourceVersion) {
  kube::WatchOptions options;
  options.resourceVersion = resourceVersion;
  return client_.watch(kube::resources::deployments(), "", options);
}

void DeploymentWatch::pause(const std::stop_token& stop, Steady::duration duration) {
  std::unique_lock lock(mu_);
  paused_.wait_for(lock, stop, duration, [] { return false; });
}

DeploymentWatch::Outcome DeploymentWatch::drain(kube::WatchStream& stream,
                                                std::string& resourceVersion) {
  for (;;) {
    auto event = stream.next();
    if (!event.ok()) {
      noteError(event.error());
      return kube::isGone(event.error()) ? Outcome::Gone : Outcome::Failed;
    }
    if (!event->has_value()) return Outcome::Ended;
    const kube::WatchEvent& e = **event;
    const auto arrived = Steady::now();
    const auto metadata = e.object.find("metadata");
    if (metadata != e.object.end() && metadata->is_object()) {
      resourceVersion = metadata->value("resourceVersion", resourceVersion);
    }
    if (e.type == kube::WatchEventType::Added || e.type == kube::WatchEventType::Modified) {
      observe_(e.object, arrived);
    }
  }
}

DeploymentWatch::Outcome DeploymentWatch::follow(const std::stop_token& stop,
                                                 kube::WatchStream& stream,
                                                 std::string& resourceVersion) {
  {
    std::lock_guard lock(mu_);
    if (stop.stop_requested()) return Outcome::Failed;
    open_ = &stream;
  }
  const Outcome outcome = drain(stream, resourceVersion);
  std::lock_guard lock(mu_);
  open_ = nullptr;
  return outcome;
}

void DeploymentWatch::run(std::stop_token stop, kube::WatchStreamPtr stream) {
  std::string resourceVersion;  // "" until an event names one: the stream starts with ADDED events
  Outcome unopened = Outcome::Failed;  // why `stream` is null
  int failures = 0;
  auto lastResync = Steady::now();
  while (!stop.stop_requested()) {
    const Outcome outcome = stream ? follow(stop, *stream, resourceVersion) : unopened;
    stream.reset();
    if (stop.stop_requested()) break;
    if (outcome == Outcome::Failed) {
      if (++failures >= kMaxFailuresInARow) break;
      pause(stop, kBackoff);
    } else if (outcome == Outcome::Gone) {
      resourceVersion.clear();  // resync: every Deployment again as ADDED, then the changes
      ++resyncs_;
      pause(stop, lastResync + kResyncEvery - Steady::now());
      lastResync = Steady::now();
    } else {
      failures = 0;
    }
    auto next = open(resourceVersion);
    if (next.ok()) {
      stream = std::move(next).value();
    } else {
      noteError(next.error());
      unopened = kube::isGone(next.error()) ? Outcome::Gone : Outcome::Failed;
    }
  }
  std::lock_guard lock(mu_);
  failed_ = !stop.stop_requested();
}

}  // namespace tro::bench
