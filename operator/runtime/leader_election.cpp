#include "operator/runtime/leader_election.h"

#include <utility>

namespace tro::runtime {
namespace {

kube::ResourceType leases() { return kube::resources::leases(); }

}  // namespace

LeaderElector::LeaderElector(kube::ApiClient& client, const base::Clock& clock,
                             LeaderElectionConfig config, LeaderCallbacks callbacks)
    : client_(client),
      clock_(clock),
      config_(std::move(config)),
      callbacks_(std::move(callbacks)) {}

LeaderElector::~LeaderElector() { stop(); }

std::string LeaderElector::observedHolder() const {
  std::lock_guard l(mu_);
  return observedHolder_;
}

std::string LeaderElector::lastError() const {
  std::lock_guard l(mu_);
  return lastError_;
}

void LeaderElector::recordError(const kube::Error& error) {
  std::lock_guard l(mu_);
  lastError_ = error.toString();
}

void LeaderElector::setLeading(std::optional<base::MonoTime> until) {
  const bool leading = until.has_value();
  {
    // Under the lock with the deadline, so that the watchdog never ends a term that a renewal
    // has just extended: it looks at the deadline and flips leading_ in one step.
    std::lock_guard l(mu_);
    leadingUntil_ = until;
    cv_.notify_all();  // the watchdog's new deadline
    if (leading_.exchange(leading) == leading) return;
  }
  auto& callback = leading ? callbacks_.onStartedLeading : callbacks_.onStoppedLeading;
  if (callback) callback();
}

void LeaderElector::stepDown() {
  lastRenewed_.reset();
  setLeading(std::nullopt);
}

void LeaderElector::attemptFailed(base::MonoTime now) {
  if (lastRenewed_ && now >= *lastRenewed_ + config_.renewDeadline) stepDown();
}

kube::Result<LeaseAction> LeaderElector::tick() {
  LeaseNow now{clock_.now(), clock_.monotonicNow(), std::nullopt};
  std::optional<kube::Json> lease;
  auto got = client_.get(leases(), config_.ns, config_.name);
  now.read = clock_.monotonicNow();
  if (got.ok()) {
    lease = std::move(got).value();
  } else if (!kube::isNotFound(got.error())) {
    attemptFailed(now.mono);
    auto error = std::move(got).error();
    return kube::fail(std::move(error.withContext("get lease " + config_.name)));
  }
  LeaseDecision decision = decideLease(lease, config_, now, lastRenewed_, observed_);
  observed_ = decision.observed;
  {
    std::lock_guard l(mu_);
    observedHolder_ = decision.holder;
  }
  switch (decision.action) {
    case LeaseAction::Lost:
      stepDown();
      return LeaseAction::Lost;
    case LeaseAction::Wait:
      return LeaseAction::Wait;
    default:
      return write(decision, now);
  }
}

kube::Result<LeaseAction> LeaderElector::write(const LeaseDecision& decision, LeaseNow stamped) {
  kube::WriteOptions options;
  auto written = decision.action == LeaseAction::Create
                     ? client_.create(leases(), config_.ns, decision.lease, options)
                     : client_.update(leases(), config_.ns, decision.lease, options);
  if (!written.ok()) {
    attemptFailed(clock_.monotonicNow());
    auto error = std::move(written).error();
    return kube::fail(std::move(error.withContext("write lease " + config_.name)));
  }
  lastLease_ = std::move(written).value();
  // The Lease says renewTime = `stamped` (read before the GET): the others see it no earlier and
  // count its expiry from when they do, so our deadline counts from `stamped`, however long the
  // GET and the write took.
  const base::MonoTime until = stamped.mono + config_.renewDeadline;
  if (clock_.monotonicNow() >= until) {
    // Answered after the renew deadline: another candidate may already have found the Lease
    // expired, so this renewal does not count (the watchdog has ended leadership, if we led).
    stepDown();
    kube::Error late;
    late.kind = kube::ErrorKind::Timeout;
    late.message = "the lease write was answered after the renew deadline";
    return kube::fail(std::move(late.withContext("write lease " + config_.name)));
  }
  lastRenewed_ = stamped.mono;
  {
    std::lock_guard l(mu_);
    observedHolder_ = config_.identity;
  }
  setLeading(until);
  return decision.action;
}

kube::Result<void> LeaderElector::release() {
  if (!leading_.load()) return {};
  auto written = client_.update(leases(), config_.ns, releasedLease(lastLease_, clock_.now()),
                                kube::WriteOptions{});
  stepDown();  // we stop acting as leader whether or not the release was recorded
  if (!written.ok()) {
    auto error = std::move(written).error();
    return kube::fail(std::move(error.withContext("release lease " + config_.name)));
  }
  std::lock_guard l(mu_);
  observedHolder_.clear();
  return {};
}

void LeaderElector::start() {
  if (thread_.joinable()) return;
  watchdog_ = std::jthread([this](std::stop_token stop) { watchdog(stop); });
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void LeaderElector::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
  watchdog_.request_stop();
  watchdog_.join();
  if (config_.releaseOnCancel) {
    // Best effort at shutdown: if the release fails, the lease expires on its own.
    if (auto r = release(); !r.ok()) recordError(r.error());
  } else {
    stepDown();
  }
}

void LeaderElector::watchdog(std::stop_token stop) {
  std::stop_callback wake(stop, [this] {
    std::lock_guard l(mu_);
    cv_.notify_all();
  });
  // How often an idle watchdog looks again; any new deadline wakes it at once.
  constexpr auto kIdle = std::chrono::minutes(1);
  std::unique_lock l(mu_);
  while (!stop.stop_requested()) {
    const base::MonoTime now = clock_.monotonicNow();
    if (leadingUntil_ && now >= *leadingUntil_) {
      // No renewal succeeded in time, whether or not a request still hangs.
      leadingUntil_.reset();
      const bool led = leading_.exchange(false);
      l.unlock();
      if (led && callbacks_.onStoppedLeading) callbacks_.onStoppedLeading();
      l.lock();
      continue;
    }
    clock_.waitUntil(l, cv_, leadingUntil_.value_or(now + kIdle), stop);
  }
}

void LeaderElector::run(std::stop_token stop) {
  std::stop_callback wake(stop, [this] {
    std::lock_guard l(mu_);
    cv_.notify_all();
  });
  while (!stop.stop_requested()) {
    // A failed attempt is recorded and retried; attemptFailed() already applied renewDeadline.
    if (auto r = tick(); !r.ok()) recordError(r.error());
    const base::MonoTime until = clock_.monotonicNow() + config_.retryPeriod;
    std::unique_lock l(mu_);
    while (!stop.stop_requested() && clock_.monotonicNow() < until) {
      clock_.waitUntil(l, cv_, until, stop);
    }
  }
}

}  // namespace tro::runtime
