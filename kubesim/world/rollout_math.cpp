#include "kubesim/world/rollout_math.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kubesim/world/json_util.h"

namespace kubesim::world {

int resolveIntOrPercent(const Json& value, int total, bool roundUp, int fallback) {
  // Results are clamped to [0, kMaxSimulatedReplicas] so that sums with replica counts stay far
  // from int overflow whatever a client wrote.
  if (value.is_number_unsigned()) {
    return static_cast<int>(
        std::min<std::uint64_t>(value.get<std::uint64_t>(), kMaxSimulatedReplicas));
  }
  if (value.is_number_integer()) {
    return static_cast<int>(
        std::clamp<std::int64_t>(value.get<std::int64_t>(), 0, kMaxSimulatedReplicas));
  }
  if (!value.is_string()) return fallback;
  const std::string s = value.get<std::string>();
  if (s.empty() || s.back() != '%') return fallback;
  char* end = nullptr;
  const std::string digits = s.substr(0, s.size() - 1);
  long pct = std::strtol(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || pct < 0) return fallback;
  double exact = static_cast<double>(pct) * total / 100.0;
  exact = roundUp ? std::ceil(exact) : std::floor(exact);
  return static_cast<int>(std::clamp(exact, 0.0, static_cast<double>(kMaxSimulatedReplicas)));
}

Fenceposts resolveFenceposts(const Json& spec) {
  const int desired = replicasAt(spec, Json::json_pointer("/replicas"), 1);
  const Json strategy = spec.is_object() ? spec.value("strategy", Json::object()) : Json::object();
  if (strategy.value("type", "RollingUpdate") == "Recreate") return {0, desired};
  const Json ru = strategy.value("rollingUpdate", Json::object());
  const Json quarter = "25%";
  Fenceposts f;
  f.maxSurge = resolveIntOrPercent(ru.value("maxSurge", quarter), desired, true, 0);
  f.maxUnavailable = resolveIntOrPercent(ru.value("maxUnavailable", quarter), desired, false, 0);
  // Both zero would deadlock the rollout; Kubernetes then allows one unavailable replica.
  if (f.maxSurge == 0 && f.maxUnavailable == 0) f.maxUnavailable = 1;
  return f;
}

int newReplicaSetSize(int desired, int maxSurge, int currentSpecTotal, int newSpec) {
  const int maxTotal = desired + maxSurge;
  if (currentSpecTotal >= maxTotal) return newSpec;
  return newSpec + std::min(maxTotal - currentSpecTotal, desired - newSpec);
}

int maxScaledDown(int desired, int maxUnavailable, int allSpecTotal, int newSpec,
                  int newAvailable) {
  const int minAvailable = desired - maxUnavailable;
  return allSpecTotal - minAvailable - (newSpec - newAvailable);
}

int availableScaleDown(int desired, int maxUnavailable, int allAvailable) {
  return std::max(0, allAvailable - (desired - maxUnavailable));
}

Json Condition::toJson() const {
  return Json{{"type", type},
              {"status", status},
              {"lastUpdateTime", lastUpdateTime},
              {"lastTransitionTime", lastTransitionTime},
              {"reason", reason},
              {"message", message}};
}

Condition Condition::fromJson(const Json& j) {
  Condition c;
  if (!j.is_object()) return c;
  c.type = j.value("type", "");
  c.status = j.value("status", "");
  c.reason = j.value("reason", "");
  c.message = j.value("message", "");
  c.lastUpdateTime = j.value("lastUpdateTime", "");
  c.lastTransitionTime = j.value("lastTransitionTime", "");
  return c;
}

const Condition* findCondition(const std::vector<Condition>& conds, const std::string& type) {
  for (const auto& c : conds) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

void setCondition(std::vector<Condition>& conds, Condition c) {
  if (const Condition* cur = findCondition(conds, c.type)) {
    if (cur->status == c.status && cur->reason == c.reason) return;
    if (cur->status == c.status) c.lastTransitionTime = cur->lastTransitionTime;
  }
  std::erase_if(conds, [&](const Condition& x) { return x.type == c.type; });
  conds.push_back(std::move(c));
}

namespace {

Condition makeCondition(const std::string& type, const std::string& status,
                        const std::string& reason, const std::string& message,
                        tro::base::TimePoint now) {
  const std::string t = tro::base::formatRfc3339(now);
  return Condition{type, status, reason, message, t, t};
}

int statusInt(const Json& status, const char* key) {
  return replicasAt(status, Json::json_pointer(std::string("/") + key));
}

// DeploymentProgressing: any of the counters moved forward since the last status.
bool progressing(const Json& oldStatus, const Json& s) {
  const int oldOld = statusInt(oldStatus, "replicas") - statusInt(oldStatus, "updatedReplicas");
  const int newOld = statusInt(s, "replicas") - statusInt(s, "updatedReplicas");
  return statusInt(s, "updatedReplicas") > statusInt(oldStatus, "updatedReplicas") ||
         newOld < oldOld || statusInt(s, "readyReplicas") > statusInt(oldStatus, "readyReplicas") ||
         statusInt(s, "availableReplicas") > statusInt(oldStatus, "availableReplicas");
}

bool timedOut(const Condition* cond, int deadlineSeconds, tro::base::TimePoint now) {
  if (cond == nullptr || cond->reason == "NewReplicaSetAvailable") return false;
  if (cond->reason == "ProgressDeadlineExceeded") return true;
  return parseRfc3339(cond->lastUpdateTime) + std::chrono::seconds(deadlineSeconds) < now;
}

std::vector<Condition> conditionsOf(const Json& status) {
  std::vector<Condition> out;
  if (!status.is_object() || !status.contains("conditions")) return out;
  for (const Json& c : status["conditions"]) out.push_back(Condition::fromJson(c));
  return out;
}

}  // namespace

bool deploymentComplete(const Json& d, const Json& s) {
  const int desired = replicasAt(d, Json::json_pointer("/spec/replicas"), 1);
  return statusInt(s, "updatedReplicas") == desired && statusInt(s, "replicas") == desired &&
         statusInt(s, "availableReplicas") == desired &&
         intAt(s, Json::json_pointer("/observedGeneration")) >=
             intAt(d, Json::json_pointer("/metadata/generation"));
}

Json computeDeploymentStatus(const StatusInput& in) {
  const Json& d = in.deployment;
  const Json oldStatus = d.value("status", Json::object());
  const int desired = replicasAt(d, Json::json_pointer("/spec/replicas"), 1);
  const ReplicaCounts& c = in.counts;
  Json s = Json::object();
  // Zero counters are omitted (omitempty), as the real API renders them.
  auto put = [&s](const char* key, std::int64_t v) {
    if (v != 0) s[key] = v;
  };
  put("observedGeneration", intAt(d, Json::json_pointer("/metadata/generation")));
  put("replicas", c.replicas);
  put("updatedReplicas", c.updated);
  put("readyReplicas", c.ready);
  put("availableReplicas", c.available);
  put("unavailableReplicas", std::max(0, c.specTotal - c.available));
  if (oldStatus.contains("collisionCount")) s["collisionCount"] = oldStatus["collisionCount"];

  std::vector<Condition> conds = conditionsOf(oldStatus);
  if (c.available >= desired - in.fenceposts.maxUnavailable) {
    setCondition(conds, makeCondition("Available", "True", "MinimumReplicasAvailable",
                                      "Deployment has minimum availability.", in.now));
  } else {
    setCondition(conds, makeCondition("Available", "False", "MinimumReplicasUnavailable",
                                      "Deployment does not have minimum availability.", in.now));
  }

  const Json::json_pointer pausedPtr("/spec/paused");
  const bool paused = d.contains(pausedPtr) && d.at(pausedPtr).is_boolean() && d.at(pausedPtr);
  const int deadline =
      static_cast<int>(intAt(d, Json::json_pointer("/spec/progressDeadlineSeconds"), 600));
  const Condition* cur = findCondition(conds, "Progressing");
  const bool alreadyComplete =
      c.replicas == c.updated && cur != nullptr && cur->reason == "NewReplicaSetAvailable";
  const std::string rsName = "ReplicaSet \"" + in.newReplicaSetName + "\"";
  if (!paused && !alreadyComplete) {
    if (deploymentComplete(d, s)) {
      std::string msg = in.newReplicaSetName.empty()
                            ? "Deployment \"" + strAt(d, Json::json_pointer("/metadata/name")) +
                                  "\" has successfully progressed."
                            : rsName + " has successfully progressed.";
      setCondition(conds,
                   makeCondition("Progressing", "True", "NewReplicaSetAvailable", msg, in.now));
    } else if (progressing(oldStatus, s)) {
      Condition next = makeCondition("Progressing", "True", "ReplicaSetUpdated",
                                     rsName + " is progressing.", in.now);
      // Removing first refreshes lastUpdateTime, which is what the deadline counts from.
      if (cur != nullptr && cur->status == "True")
        next.lastTransitionTime = cur->lastTransitionTime;
      std::erase_if(conds, [](const Condition& x) { return x.type == "Progressing"; });
      conds.push_back(std::move(next));
    } else if (timedOut(cur, deadline, in.now)) {
      setCondition(conds, makeCondition("Progressing", "False", "ProgressDeadlineExceeded",
                                        rsName + " has timed out progressing.", in.now));
    }
  }
  Json arr = Json::array();
  for (const auto& cond : conds) arr.push_back(cond.toJson());
  if (!arr.empty()) s["conditions"] = std::move(arr);
  return s;
}

}  // namespace kubesim::world
