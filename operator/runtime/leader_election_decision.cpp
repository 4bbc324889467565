#include "operator/runtime/leader_election_decision.h"

#include <algorithm>
#include <cstdint>

#include "operator/base/rfc3339.h"

namespace tro::runtime {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

std::string specString(const kube::Json& lease, const char* field) {
  auto spec = lease.find("spec");
  if (spec == lease.end() || !spec->is_object()) return "";
  auto it = spec->find(field);
  return it != spec->end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t specInt(const kube::Json& lease, const char* field) {
  auto spec = lease.find("spec");
  if (spec == lease.end() || !spec->is_object()) return 0;
  auto it = spec->find(field);
  return it != spec->end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// A lease without a parseable renewTime has never been validly held: treat it as expired.
// Another writer's Lease is outside input: the duration is an int32 in the API and is clamped to
// one, and an expiry past what the clock holds saturates instead of overflowing.
std::optional<base::MonoTime> expiry(const kube::Json& lease, base::MonoTime since) {
  if (!base::parseRfc3339(specString(lease, "renewTime"))) return std::nullopt;
  const int64_t duration =
      std::clamp<int64_t>(specInt(lease, "leaseDurationSeconds"), 0, INT32_MAX);
  const int64_t headroom =
      std::chrono::floor<seconds>(base::MonoTime::max().time_since_epoch()).count() -
      std::chrono::floor<seconds>(since.time_since_epoch()).count();
  if (duration >= headroom) return base::MonoTime::max();
  return since + seconds(duration);
}

kube::Json newLease(const LeaderElectionConfig& config) {
  return {{"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata", {{"name", config.name}, {"namespace", config.ns}}},
          {"spec", kube::Json::object()}};
}

kube::Json held(kube::Json lease, const LeaderElectionConfig& config, base::TimePoint now,
                bool takeover) {
  if (!lease.contains("spec") || !lease["spec"].is_object()) lease["spec"] = kube::Json::object();
  auto& spec = lease["spec"];
  std::string stamp = base::formatRfc3339Micro(now);
  spec["holderIdentity"] = config.identity;
  spec["leaseDurationSeconds"] = duration_cast<seconds>(config.leaseDuration).count();
  spec["renewTime"] = stamp;
  if (takeover || !spec.contains("acquireTime")) spec["acquireTime"] = stamp;
  int64_t transitions = specInt(lease, "leaseTransitions");
  spec["leaseTransitions"] = takeover ? transitions + 1 : transitions;
  return lease;
}

}  // namespace

std::string leaseRecord(const kube::Json& lease) {
  auto spec = lease.find("spec");
  return spec == lease.end() ? std::string() : spec->dump();
}

LeaseDecision decideLease(const std::optional<kube::Json>& lease,
                          const LeaderElectionConfig& config, LeaseNow now,
                          std::optional<base::MonoTime> lastRenewed,
                          const std::optional<LeaseObservation>& observed) {
  LeaseDecision d;
  if (lease) {
    d.holder = specString(*lease, "holderIdentity");
    std::string record = leaseRecord(*lease);
    const bool unchanged = observed && observed->record == record;
    const base::MonoTime seen = std::max(now.read.value_or(now.mono), now.mono);
    d.observed = LeaseObservation{std::move(record), unchanged ? observed->since : seen};
  }
  bool leading = lastRenewed.has_value();
  if (leading && now.mono >= *lastRenewed + config.renewDeadline) {
    d.action = LeaseAction::Lost;
    return d;
  }
  if (!lease) {
    d.action = LeaseAction::Create;
    d.lease = held(newLease(config), config, now.wall, false);
    return d;
  }
  if (d.holder == config.identity) {
    d.action = LeaseAction::Renew;
    d.lease = held(*lease, config, now.wall, false);
    return d;
  }
  if (leading) {  // someone else is recorded as holder: we were replaced
    d.action = LeaseAction::Lost;
    return d;
  }
  auto expiresAt = expiry(*lease, d.observed->since);
  if (!d.holder.empty() && expiresAt && now.mono < *expiresAt) {
    d.action = LeaseAction::Wait;
    d.expiresAt = *expiresAt;
    return d;
  }
  d.action = LeaseAction::Acquire;
  d.lease = held(*lease, config, now.wall, true);
  return d;
}

kube::Json releasedLease(const kube::Json& lease, base::TimePoint now) {
  kube::Json out = lease;
  if (!out.contains("spec") || !out["spec"].is_object()) out["spec"] = kube::Json::object();
  std::string stamp = base::formatRfc3339Micro(now);
  out["spec"]["holderIdentity"] = "";
  out["spec"]["leaseDurationSeconds"] = 1;
  out["spec"]["acquireTime"] = stamp;
  out["spec"]["renewTime"] = stamp;
  return out;
}

}  // namespace tro::runtime
