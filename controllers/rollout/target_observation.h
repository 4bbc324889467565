#pragma once
// What the planner needs to know about one target workload (a Deployment, StatefulSet or
// DaemonSet), read from the live object:
// who claims it (owner annotation), what the operator last did to it (state annotation), whether
// the injected configuration is the one wanted now (config-hash annotation), and how its own
// rollout is doing (kubectl rollout status rules for its kind, see workload_health.h).
// observe() is pure and never fails: a Deployment with no or malformed operator annotations is
// observed as unclaimed / State::None; claimedBy is reported verbatim so the planner can decide
// whether a claim by another rollout is a conflict.

#include <string>

#include "controllers/rollout/workload_health.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

struct TargetObservation {
  enum class State { None, Enabled, Disabled };

  std::string name;           // the target's key (workload_kind.h): metadata.name for a Deployment
  std::string claimedBy;      // owner annotation ("<ns>/<name>") or "" when unclaimed
  State state = State::None;  // state annotation; None when absent or unknown
  std::string configHash;     // config-hash annotation or ""
  bool upToDate = false;      // configHash == desiredConfigHash (and non-empty)
  bool claimedByOther = false;  // claimedBy non-empty and != rolloutKey
  RolloutHealth health;
  bool operator==(const TargetObservation&) const = default;
};

const char* toString(TargetObservation::State state);

// The rollout ("<namespace>/<name>") named in the Deployment's owner annotation, or "".
std::string ownerOf(const nlohmann::json& deployment);

// rolloutKey: "<namespace>/<name>" of the observing TelemetryRollout.
// desiredConfigHash: configHash(InjectionConfig) of the configuration wanted now (inject.h).
TargetObservation observe(const nlohmann::json& deployment, const std::string& rolloutKey,
                          const std::string& desiredConfigHash);

}  // namespace tro::controllers
