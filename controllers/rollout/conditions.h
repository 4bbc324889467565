#pragma once
// The rollout's conditions, following the Kubernetes API conventions and kstatus so that
// `kubectl wait --for=condition=Ready`, Argo CD and Flux health checks understand them:
//   Ready        True only in phase Succeeded.
//   Progressing  "Reconciling" semantics: True while the operator is actively moving the rollout
//                (waves rolling out, a canary window running); False when it is done, held or
//                stopped.
//   Stalled      True when no progress is possible without a person: InvalidSpec, NoTargets,
//                RolledBack.
// Every condition carries the generation it describes; lastTransitionTime changes only when the
// status flips (a new reason or message alone keeps the old time).

#include <string>
#include <vector>

#include "controllers/rollout/status.h"

namespace tro::controllers {

inline constexpr const char* kConditionReady = "Ready";
inline constexpr const char* kConditionProgressing = "Progressing";
inline constexpr const char* kConditionStalled = "Stalled";

struct ConditionValue {
  bool status = false;
  std::string reason;
  std::string message;
};

// Sets (or adds) condition `type`; keeps lastTransitionTime unless the status changes.
void setCondition(std::vector<Condition>& conditions, const std::string& type,
                  const ConditionValue& value, int64_t generation, base::TimePoint now);

const Condition* findCondition(const std::vector<Condition>& conditions, const std::string& type);

}  // namespace tro::controllers
