#pragma once
// plan(): the TelemetryRollout's decisions as a pure function of what the reconciler observed
// (plan.h for the input and output values). Same input, same plan; no I/O, no clock.
//
// Contract, in the order the planner applies it:
//  1. Deletion (deletionTimestamp set, finalizer present): every Deployment this rollout claims
//     is Restored, then the finalizer is removed; with onDelete KeepIfSucceeded and phase
//     Succeeded the finalizer is removed at once and nothing is restored.
//  2. Otherwise the finalizer is added (before any write). An invalid spec: phase Failed,
//     Stalled=True InvalidSpec naming the fields, a Warning event, no Deployment touched.
//  3. A new generation restarts from step 0: enabled Deployments stay enabled and are brought to
//     the new configuration wave by wave. Manual controls (annotations.h) act once per value:
//     retry (after RolledBack), abort (roll back now), promote (pass the current pause).
//  4. RolledBack: every Deployment this rollout enabled gets the Disabled form (urgent); nothing
//     is enabled again until a new generation or a retry. Deployments this rollout claims that
//     no longer match the selector (PlanInput::departed) are Restored on every path but 2 and 5.
//  5. spec.paused holds everything (no writes, no analysis); an abort still acts.
//  6. No eligible Deployment (none selected, or all in conflict): Stalled=True NoTargets, the
//     phase is kept, nothing written. Conflicted Deployments are left out of the weights'
//     denominator: the rollout's share is of what it may touch.
//  7. Breach: an enabled Deployment whose rollout failed (ProgressDeadlineExceeded), a Failed
//     verdict once totalFailures exceeds failureLimit (total, not consecutive, as Argo Rollouts),
//     or an Inconclusive one under onInconclusive Rollback -> RolledBack.
//  8. Steps: setWeight/setEnv complete when every Deployment of the wave carries the step's
//     configuration and every enabled one is Healthy; pause{duration} passes when the window has
//     ended and an analysis run at or after its end was not Failed/held; pause{} waits for promote.
//     A Failed verdict (within the limit) or an Inconclusive one under Pause holds promotion.
// Deployments already in the desired form produce no action, so re-planning after a restart with
// the status the previous plan produced and the resulting observations repeats no write.

#include "controllers/rollout/plan.h"

namespace tro::controllers {

Plan plan(const PlanInput& input);

}  // namespace tro::controllers
