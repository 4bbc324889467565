#include "operator/runtime/metrics_standard.h"

namespace tro::runtime {

StandardMetrics::StandardMetrics(Registry& r)
    : reconcileTotal(r.counter("controller_runtime_reconcile_total",
                               "Total number of reconciliations per controller",
                               {"controller", "result"})),
      reconcileErrors(r.counter("controller_runtime_reconcile_errors_total",
                                "Total number of reconciliation errors per controller",
                                {"controller"})),
      terminalReconcileErrors(r.counter(
          "controller_runtime_terminal_reconcile_errors_total",
          "Total number of terminal reconciliation errors per controller", {"controller"})),
      reconcileTime(r.histogram("controller_runtime_reconcile_time_seconds",
                                "Length of time per reconciliation per controller", {"controller"},
                                reconcileTimeBuckets())),
      workqueueDepth(r.gauge("workqueue_depth", "Current depth of workqueue", {"name"})),
      workqueueAdds(
          r.counter("workqueue_adds_total", "Total number of adds handled by workqueue", {"name"})),
      restClientRequests(r.counter("rest_client_requests_total",
                                   "Number of HTTP requests, partitioned by method and status code",
                                   {"method", "code"})),
      watchRestarts(r.counter("watch_restarts_total",
                              "Number of times a watch was restarted, by resource", {"resource"})),
      leaderElectionMasterStatus(
          r.gauge("leader_election_master_status",
                  "Gauge of if the reporting system is master of the relevant lease, 0 indicates "
                  "backup, 1 indicates master. 'name' is the string used to identify the lease.",
                  {"name"})) {}

}  // namespace tro::runtime
