-- Argo CD health check for rollout.telemetry.io/TelemetryRollout.
-- Install as resource.customizations.health.rollout.telemetry.io_TelemetryRollout in argocd-cm
-- (docs/guides/gitops.md). Maps the rollout's phase and kstatus conditions to Argo CD health:
--   Succeeded                                   -> Healthy
--   Stalled=True (RolledBack, Failed/InvalidSpec, NoTargets) -> Degraded
--   Paused (spec.paused, AwaitingPromotion, AnalysisInconclusive) -> Suspended
--   Pending, Progressing, or status not yet written for this generation -> Progressing
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to pick up the rollout"
  return hs
end
if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end
local stalled = false
local reason = obj.status.phase
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Stalled" and c.status == "True" then
      stalled = true
    end
    if c.type == "Ready" and c.reason ~= nil and c.reason ~= "" then
      reason = c.reason
    end
  end
end
local phase = obj.status.phase
if stalled or phase == "RolledBack" or phase == "Failed" then
  hs.status = "Degraded"
elseif phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
else
  hs.status = "Progressing"
end
local step = obj.status.stepProgress or "?"
local enabled = obj.status.targetProgress or "?"
hs.message = phase .. " (" .. reason .. "), step " .. step .. ", enabled " .. enabled
if obj.status.message ~= nil and obj.status.message ~= "" then
  hs.message = hs.message .. ": " .. obj.status.message
end
return hs
