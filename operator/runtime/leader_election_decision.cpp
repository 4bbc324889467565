#include "operator/runtime/leader_election_decision.h"

#include <cctype>
#include <cstdio>

namespace tro::runtime {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
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
std::optional<base::TimePoint> expiry(const kube::Json& lease) {
  auto renew = parseMicroTime(specString(lease, "renewTime"));
  if (!renew) return std::nullopt;
  return *renew + seconds(specInt(lease, "leaseDurationSeconds"));
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
  std::string stamp = formatMicroTime(now);
  spec["holderIdentity"] = config.identity;
  spec["leaseDurationSeconds"] = duration_cast<seconds>(config.leaseDuration).count();
  spec["renewTime"] = stamp;
  if (takeover || !spec.contains("acquireTime")) spec["acquireTime"] = stamp;
  int64_t transitions = specInt(lease, "leaseTransitions");
  spec["leaseTransitions"] = takeover ? transitions + 1 : transitions;
  return lease;
}

}  // namespace

LeaseDecision decideLease(const std::optional<kube::Json>& lease,
                          const LeaderElectionConfig& config, base::TimePoint now,
                          std::optional<base::TimePoint> lastRenewed) {
  LeaseDecision d;
  if (lease) d.holder = specString(*lease, "holderIdentity");
  bool leading = lastRenewed.has_value();
  if (leading && now >= *lastRenewed + config.renewDeadline) {
    d.action = LeaseAction::Lost;
    return d;
  }
  if (!lease) {
    d.action = LeaseAction::Create;
    d.lease = held(newLease(config), config, now, false);
    return d;
  }
  if (d.holder == config.identity) {
    d.action = LeaseAction::Renew;
    d.lease = held(*lease, config, now, false);
    return d;
  }
  if (leading) {  // someone else is recorded as holder: we were replaced
    d.action = LeaseAction::Lost;
    return d;
  }
  auto expiresAt = expiry(*lease);
  if (!d.holder.empty() && expiresAt && now <= *expiresAt) {
    d.action = LeaseAction::Wait;
    d.expiresAt = *expiresAt;
    return d;
  }
  d.action = LeaseAction::Acquire;
  d.lease = held(*lease, config, now, true);
  return d;
}

kube::Json releasedLease(const kube::Json& lease, base::TimePoint now) {
  kube::Json out = lease;
  if (!out.contains("spec") || !out["spec"].is_object()) out["spec"] = kube::Json::object();
  std::string stamp = formatMicroTime(now);
  out["spec"]["holderIdentity"] = "";
  out["spec"]["leaseDurationSeconds"] = 1;
  out["spec"]["acquireTime"] = stamp;
  out["spec"]["renewTime"] = stamp;
  return out;
}

std::string formatMicroTime(base::TimePoint t) {
  auto us = std::chrono::floor<microseconds>(t);
  auto day = std::chrono::floor<std::chrono::days>(us);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss<microseconds> hms{us - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return buf;
}

std::optional<base::TimePoint> parseMicroTime(const std::string& text) {
  int y, mo, d, h, mi, s, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) !=
          6 ||
      used != 19) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                                  std::chrono::day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  size_t i = 19;
  int64_t micros = 0;
  if (i < text.size() && text[i] == '.') {
    int digits = 0;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (++digits > 9) return std::nullopt;
      if (digits <= 6) micros = micros * 10 + (text[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (i + 1 != text.size() || text[i] != 'Z') return std::nullopt;
  base::TimePoint t = std::chrono::sys_days(ymd);
  return t + std::chrono::hours(h) + std::chrono::minutes(mi) + seconds(s) + microseconds(micros);
}

}  // namespace tro::runtime
