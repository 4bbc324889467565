#include "operator/kube/transport/adaptive_limit.h"

#include <algorithm>

namespace tro::kube::transport {
namespace {

AdaptiveLimitOptions normalised(AdaptiveLimitOptions o) {
  o.min = std::max(1, o.min);
  o.max = std::max(o.min, o.max);
  o.initial = std::clamp(o.initial, o.min, o.max);
  o.latencyTolerance = std::max(1.0, o.latencyTolerance);  // NaN becomes 1.0 too
  o.maxPause = std::max(o.maxPause, std::chrono::seconds(0));
  // A zero baseline would make every later latency slow.
  o.baselineFloor = std::max(o.baselineFloor, std::chrono::nanoseconds(1));
  return o;
}

}  // namespace

AdaptiveLimit::AdaptiveLimit(AdaptiveLimitOptions options)
    : options_(normalised(options)), limit_(options_.initial) {}

AdaptiveLimit::Admission AdaptiveLimit::admission(int inFlight) const {
  return Admission{generation_, inFlight >= limit_};
}

bool AdaptiveLimit::isSlow(std::chrono::nanoseconds sample) const {
  if (!baseline_) return false;
  return static_cast<double>(sample.count()) >
         options_.latencyTolerance * static_cast<double>(baseline_->count());
}

void AdaptiveLimit::onSuccess(std::chrono::nanoseconds latency, Admission admission) {
  // A request admitted before the last halving ran at a limit that no longer holds.
  if (admission.generation != generation_) return;
  const std::chrono::nanoseconds sample = std::max(latency, options_.baselineFloor);
  if (isSlow(sample)) ++window_.slow;
  if (!baseline_ || sample < *baseline_) baseline_ = sample;
  ++window_.samples;
  window_.inUse = window_.inUse || admission.inUse;
  window_.fastest = std::min(window_.fastest, sample);
  if (window_.samples >= limit_) closeWindow();
}

void AdaptiveLimit::closeWindow() {
  if (window_.slow == 0 && window_.inUse) limit_ = std::min(options_.max, limit_ + 1);
  // fastest >= baseline: the baseline already took every sample's minimum.
  *baseline_ += (window_.fastest - *baseline_) / 2;
  window_ = Window{};
}

void AdaptiveLimit::onOverload(std::optional<std::chrono::seconds> retryAfter, base::MonoTime now,
                               Admission admission) {
  if (retryAfter) {
    const auto pause = std::clamp(*retryAfter, std::chrono::seconds(0), options_.maxPause);
    const base::MonoTime until = now + pause;
    if (!pausedUntil_ || until > *pausedUntil_) pausedUntil_ = until;
  }
  if (admission.generation != generation_) return;  // already halved for this window
  limit_ = std::max(options_.min, limit_ / 2);
  ++generation_;
  window_ = Window{};
}

}  // namespace tro::kube::transport
