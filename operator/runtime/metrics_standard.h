#pragma once
// The runtime's standard metrics, registered in one place with the names and labels that
// controller-runtime and client-go use, so dashboards written for them work unchanged.
// Families are owned by the Registry; this struct only holds references to them.

#include "operator/runtime/metrics.h"

namespace tro::runtime {

struct StandardMetrics {
  explicit StandardMetrics(Registry& registry);

  CounterFamily& reconcileTotal;            // {controller, result}: success|requeue_after|error
  CounterFamily& reconcileErrors;           // {controller}
  CounterFamily& terminalReconcileErrors;   // {controller}
  HistogramFamily& reconcileTime;           // {controller}, seconds
  GaugeFamily& workqueueDepth;              // {name}
  CounterFamily& workqueueAdds;             // {name}
  CounterFamily& restClientRequests;        // {method, code}
  CounterFamily& watchRestarts;             // {resource}
  GaugeFamily& leaderElectionMasterStatus;  // {name}: 1 while leading
};

}  // namespace tro::runtime
