#include "kubesim/http/fault_settings.h"

#include <set>

namespace kubesim::http {
namespace {

const std::set<std::string> kFields = {
    "seed",  "errorShare", "errorCode", "retryAfterSeconds", "conflictShare",
    "verbs", "resources",  "latencyMs", "watchCutShare",     "watchCutAfterMs"};

std::string checkShare(const char* name, double share) {
  if (!(share >= 0.0 && share <= 1.0)) return std::string(name) + " must be between 0 and 1";
  return {};
}

// Reads one field into `out`; nlohmann's type errors become the caller's 400.
template <typename T>
void readField(const Json& patch, const char* name, T& out) {
  if (auto it = patch.find(name); it != patch.end()) out = it->template get<T>();
}

void readMillis(const Json& patch, const char* name, std::chrono::milliseconds& out) {
  if (auto it = patch.find(name); it != patch.end()) {
    const auto ms = it->get<std::int64_t>();
    if (ms < 0) throw std::invalid_argument(std::string(name) + " must not be negative");
    out = std::chrono::milliseconds(ms);
  }
}

}  // namespace

Json faultSettingsToJson(const FaultSettings& s) {
  return Json{{"seed", s.seed},
              {"errorShare", s.errorShare},
              {"errorCode", s.errorCode},
              {"retryAfterSeconds", s.retryAfterSeconds},
              {"conflictShare", s.conflictShare},
              {"verbs", s.verbs},
              {"resources", s.resources},
              {"latencyMs", s.latency.count()},
              {"watchCutShare", s.watchCutShare},
              {"watchCutAfterMs", s.watchCutAfter.count()}};
}

std::string checkFaultSettings(const FaultSettings& s) {
  for (const auto& [name, share] :
       {std::pair{"errorShare", s.errorShare}, std::pair{"conflictShare", s.conflictShare},
        std::pair{"watchCutShare", s.watchCutShare}}) {
    if (auto problem = checkShare(name, share); !problem.empty()) return problem;
  }
  if (s.errorCode != 429 && s.errorCode != 500 && s.errorCode != 503)
    return "errorCode must be 429, 500 or 503";
  if (s.retryAfterSeconds < 0) return "retryAfterSeconds must not be negative";
  if (s.latency.count() < 0) return "latencyMs must not be negative";
  if (s.watchCutAfter.count() < 0) return "watchCutAfterMs must not be negative";
  return {};
}

Result<FaultSettings> mergeFaultSettings(FaultSettings base, const Json& patch) {
  if (!patch.is_object()) return fail(badRequest("fault settings must be a JSON object"));
  for (const auto& [key, value] : patch.items()) {
    if (!kFields.contains(key)) return fail(badRequest("unknown fault setting \"" + key + "\""));
  }
  try {
    readField(patch, "seed", base.seed);
    readField(patch, "errorShare", base.errorShare);
    readField(patch, "errorCode", base.errorCode);
    readField(patch, "retryAfterSeconds", base.retryAfterSeconds);
    readField(patch, "conflictShare", base.conflictShare);
    readField(patch, "verbs", base.verbs);
    readField(patch, "resources", base.resources);
    readMillis(patch, "latencyMs", base.latency);
    readField(patch, "watchCutShare", base.watchCutShare);
    readMillis(patch, "watchCutAfterMs", base.watchCutAfter);
  } catch (const std::exception& e) {
    return fail(badRequest(std::string("invalid fault settings: ") + e.what()));
  }
  if (auto problem = checkFaultSettings(base); !problem.empty()) return fail(badRequest(problem));
  return base;
}

}  // namespace kubesim::http
