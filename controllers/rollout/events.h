#pragma once
// core/v1 Events as the operator records them (kubectl describe shows them under "Events:").
// makeEvent() is pure: the caller supplies the time and a per-process sequence number, which
// together with the involved object make the Event's name unique (<object>.<16 hex digits>, the
// shape client-go's recorder uses). An exact repeat is not created again: the Executor raises the
// first one's count (EventAggregator).

#include <cstddef>
#include <cstdint>
#include <string>

#include "controllers/rollout/plan.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

inline constexpr const char* kEventComponent = "telemetry-rollout-operator";
// An Event's message is cut to this many bytes (it can quote an API server's or Prometheus's).
inline constexpr size_t kEventMessageBytes = 1024;

// `involved` is the object the event is about (a TelemetryRollout or a Deployment), as read from
// the API: its apiVersion, kind, namespace, name, uid and resourceVersion are referenced.
kube::Json makeEvent(const kube::Json& involved, const PlannedEvent& event, base::TimePoint now,
                     uint64_t sequence);

}  // namespace tro::controllers
