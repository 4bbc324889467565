#include "kubesim/http/fault_decider.h"

#include <algorithm>

namespace kubesim::http {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string qualified(const RequestFacts& facts) {
  return facts.group.empty() ? facts.resource : facts.resource + "." + facts.group;
}

}  // namespace

FaultDecider::FaultDecider(FaultSettings settings)
    : settings_(std::move(settings)), random_(settings_.seed) {}

double FaultDecider::draw() {
  // 53 random bits as a double: identical on every standard library, unlike
  // std::uniform_real_distribution.
  return static_cast<double>(random_() >> 11) * 0x1.0p-53;
}

bool FaultDecider::matches(const RequestFacts& facts) const {
  if (!settings_.verbs.empty() && !listed(settings_.verbs, facts.verb)) return false;
  if (settings_.resources.empty()) return true;
  return facts.isResource() && (listed(settings_.resources, facts.resource) ||
                                listed(settings_.resources, qualified(facts)));
}

FaultDecision FaultDecider::decide(const RequestFacts& facts) {
  FaultDecision decision;
  if (!matches(facts)) return decision;
  const double errorDraw = draw();
  const double conflictDraw = draw();
  const double cutDraw = draw();
  const double cutAfterDraw = draw();
  decision.latency = settings_.latency;
  if (errorDraw < settings_.errorShare) {
    decision.error = injectedError(settings_.errorCode, settings_.retryAfterSeconds);
  } else if (conflictDraw < settings_.conflictShare && !facts.name.empty() &&
             (facts.verb == "update" || facts.verb == "patch" || facts.verb == "delete")) {
    decision.error = spuriousConflict(facts);
  } else if (facts.verb == "watch" && cutDraw < settings_.watchCutShare) {
    const auto span = static_cast<double>(settings_.watchCutAfter.count());
    decision.cutWatchAfter =
        std::chrono::milliseconds(static_cast<std::int64_t>(cutAfterDraw * span));
  }
  return decision;
}

ApiError injectedError(int code, int retryAfterSeconds) {
  ApiError e;
  e.code = code;
  if (code == 429) {
    e.reason = "TooManyRequests";
    e.message = "Too many requests, please try again later.";
    e.retryAfterSeconds = std::max(retryAfterSeconds, 1);
    return e;
  }
  if (code == 500) {
    e.reason = "InternalError";
    e.message = "Internal error occurred: kubesim: injected fault";
    e.causes.push_back(Cause{"", "kubesim: injected fault", ""});
  } else {
    e.reason = "ServiceUnavailable";
    e.message = "the server is currently unable to handle the request";
  }
  if (retryAfterSeconds > 0) e.retryAfterSeconds = retryAfterSeconds;
  return e;
}

ApiError spuriousConflict(const RequestFacts& facts) {
  ApiError e;
  e.code = 409;
  e.reason = "Conflict";
  e.message = "Operation cannot be fulfilled on " + qualified(facts) + " \"" + facts.name +
              "\": the object has been modified; please apply your changes to the latest "
              "version and try again";
  e.detailsName = facts.name;
  e.detailsGroup = facts.group;
  e.detailsKind = facts.resource;
  return e;
}

}  // namespace kubesim::http
