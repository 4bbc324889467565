// Table columns of the workload kinds (table_cells.h), as the real printers define them:
// apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet, batch/v1 Job and CronJob, and
// policy/v1 PodDisruptionBudget, with the -o wide columns (containers, images, selector) of their
// pod templates.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "kubesim/schema/table.h"
#include "kubesim/schema/table_cells.h"
#include "operator/base/rfc3339.h"

namespace kubesim::schema::detail {

// ---- apps/v1 ----

namespace {

// layoutContainerCells: the containers' names or images, comma-separated.
std::string joinField(const Json& containers, const char* field) {
  std::string out;
  if (!containers.is_array()) return out;
  for (const auto& c : containers) {
    if (!out.empty()) out += ",";
    out += text(at(c, {field}));
  }
  return out;
}

std::string joinContainers(const Json& obj, const char* field) {
  return joinField(at(obj, {"spec", "template", "spec", "containers"}), field);
}

std::vector<Column> workloadWideColumns(const char* selectorDescription) {
  return {column(
              "Containers", "string", "Names of each container in the template.",
              [](const Json& o) { return Json(joinContainers(o, "name")); }, 1),
          column(
              "Images", "string", "Images referenced by each container in the template.",
              [](const Json& o) { return Json(joinContainers(o, "image")); }, 1),
          column(
              "Selector", "string", selectorDescription,
              [](const Json& o) {
                return Json(selectorString(at(o, {"spec", "selector"})));
              },
              1)};
}

// "READY 2/3": status.readyReplicas of spec.replicas (Deployments, StatefulSets).
Column readyReplicasColumn() {
  return column("Ready", "string", "Number of the pod with ready state", [](const Json& o) {
    return Json(std::to_string(number(at(o, {"status", "readyReplicas"}))) + "/" +
                std::to_string(number(at(o, {"spec", "replicas"}))));
  });
}

}  // namespace

std::vector<Column> deploymentColumns(Clock::time_point now) {
  std::vector<Column> cols = {
      nameColumn(), readyReplicasColumn(),
      column("Up-to-date", "string",
             "Total number of non-terminated pods targeted by this deployment that have the "
             "desired template spec.",
             [](const Json& o) {
               return Json(number(at(o, {"status", "updatedReplicas"})));
             }),
      column("Available", "string",
             "Total number of available pods (ready for at least minReadySeconds) targeted by "
             "this deployment.",
             [](const Json& o) {
               return Json(number(at(o, {"status", "availableReplicas"})));
             }),
      ageColumn(now)};
  for (auto& c : workloadWideColumns("Label selector for pods. Existing ReplicaSets whose pods "
                                     "are selected by this will be the ones affected by this "
                                     "deployment.")) {
    cols.push_back(std::move(c));
  }
  return cols;
}

std::vector<Column> replicaSetColumns(Clock::time_point now) {
  std::vector<Column> cols = {nameColumn(),
                              column("Desired", "integer", "Number of desired pods.",
                                     [](const Json& o) {
                                       return Json(number(at(o, {"spec", "replicas"})));
                                     }),
                              column("Current", "integer", "Number of actively running pods.",
                                     [](const Json& o) {
                                       return Json(number(at(o, {"status", "replicas"})));
                                     }),
                              column("Ready", "integer", "Number of pods ready.",
                                     [](const Json& o) {
                                       return Json(number(at(o, {"status", "readyReplicas"})));
                                     }),
                              ageColumn(now)};
  for (auto& c : workloadWideColumns(
           "Selector is a label query over pods that should match the replica count. Label keys "
           "and values that must match in order to be controlled by this replica set. It must "
           "match the pod template's labels. More info: "
           "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
           "labels/#label-selectors")) {
    cols.push_back(std::move(c));
  }
  return cols;
}

// The real printers' StatefulSet columns: NAME READY AGE, CONTAINERS IMAGES with -o wide.
std::vector<Column> statefulSetColumns(Clock::time_point now) {
  std::vector<Column> cols = {nameColumn(), readyReplicasColumn(), ageColumn(now)};
  auto wide = workloadWideColumns("");
  wide.pop_back();  // no Selector column for StatefulSets
  for (auto& c : wide) cols.push_back(std::move(c));
  return cols;
}

std::vector<Column> daemonSetColumns(Clock::time_point now) {
  auto status = [](const char* field) {
    return [field](const Json& o) { return Json(number(at(o, {"status", field}))); };
  };
  std::vector<Column> cols = {
      nameColumn(),
      column("Desired", "integer",
             "The desired number of nodes that should be running the daemon pod.",
             status("desiredNumberScheduled")),
      column("Current", "integer",
             "The number of nodes that are running at least 1 daemon pod and are supposed to "
             "run the daemon pod.",
             status("currentNumberScheduled")),
      column("Ready", "integer",
             "numberReady is the number of nodes that should be running the daemon pod and have "
             "one or more of the daemon pod running with a Ready Condition.",
             status("numberReady")),
      column("Up-to-date", "integer",
             "The total number of nodes that are running updated daemon pod",
             status("updatedNumberScheduled")),
      column("Available", "integer",
             "The number of nodes that should be running the daemon pod and have one or more of "
             "the daemon pod running and available (ready for at least spec.minReadySeconds)",
             status("numberAvailable")),
      column("Node Selector", "string",
             "NodeSelector is a selector which must be true for the pod to fit on a node. "
             "Selector which must match a node's labels for the pod to be scheduled on that "
             "node. More info: "
             "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
             [](const Json& o) {
               const Json& sel = at(o, {"spec", "template", "spec", "nodeSelector"});
               std::string out;
               if (sel.is_object()) {
                 for (const auto& [k, v] : sel.items()) {
                   out += (out.empty() ? "" : ",") + k + "=" + text(v);
                 }
               }
               return Json(out.empty() ? "<none>" : out);
             }),
      ageColumn(now)};
  for (auto& c : workloadWideColumns(
           "A label query over pods that are managed by the daemon set. Must match in order to "
           "be controlled. It must match the pod template's labels. More info: "
           "https://kubernetes.io/docs/concepts/overview/working-with-objects/"
           "labels/#label-selectors")) {
    cols.push_back(std::move(c));
  }
  return cols;
}

// ---- batch/v1 ----

namespace {

const char* kJobSelectorDescription =
    "A label query over pods that should match the pod count. Normally, the system sets this "
    "field for you. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

// hasJobCondition: the first condition of the type decides.
bool hasJobCondition(const Json& o, const char* type) {
  const Json& conditions = at(o, {"status", "conditions"});
  if (!conditions.is_array()) return false;
  for (const Json& c : conditions) {
    if (text(at(c, {"type"})) == type) return text(at(c, {"status"})) == "True";
  }
  return false;
}

std::string jobStatus(const Json& o) {
  if (hasJobCondition(o, "Complete")) return "Complete";
  if (hasJobCondition(o, "Failed")) return "Failed";
  if (!at(o, {"metadata", "deletionTimestamp"}).is_null()) return "Terminating";
  if (hasJobCondition(o, "Suspended")) return "Suspended";
  if (hasJobCondition(o, "FailureTarget")) return "FailureTarget";
  return "Running";
}

std::string jobCompletions(const Json& o) {
  const std::string succeeded = std::to_string(number(at(o, {"status", "succeeded"})));
  const Json& completions = at(o, {"spec", "completions"});
  if (!completions.is_null()) return succeeded + "/" + std::to_string(number(completions));
  const long long parallelism = number(at(o, {"spec", "parallelism"}));
  if (parallelism > 1) return succeeded + "/1 of " + std::to_string(parallelism);
  return succeeded + "/1";
}

// Empty until the Job starts; then the time since its start, or from start to completion.
std::string jobDuration(const Json& o, Clock::time_point now) {
  const Json& start = at(o, {"status", "startTime"});
  if (!start.is_string()) return "";
  auto started = tro::base::parseRfc3339(start.get<std::string>());
  if (!started) return "";
  Clock::time_point end = now;
  if (const Json& done = at(o, {"status", "completionTime"}); done.is_string()) {
    auto completed = tro::base::parseRfc3339(done.get<std::string>());
    if (completed) end = *completed;
  }
  return humanDuration(std::chrono::duration_cast<std::chrono::seconds>(end - *started));
}

}  // namespace

// The real printers' Job columns: NAME STATUS COMPLETIONS DURATION AGE, and CONTAINERS IMAGES
// SELECTOR with -o wide.
std::vector<Column> jobColumns(Clock::time_point now) {
  std::vector<Column> cols = {
      nameColumn(),
      column("Status", "string", "Status of the job.",
             [](const Json& o) { return Json(jobStatus(o)); }),
      column("Completions", "string",
             "The number of pods which reached phase Succeeded. The value increases "
             "monotonically for a given spec. However, it may decrease in reaction to scale down "
             "of elastic indexed jobs.",
             [](const Json& o) { return Json(jobCompletions(o)); }),
      column("Duration", "string", "Time required to complete the job.",
             [now](const Json& o) { return Json(jobDuration(o, now)); }),
      ageColumn(now)};
  for (auto& c : workloadWideColumns(kJobSelectorDescription)) cols.push_back(std::move(c));
  return cols;
}

// The real printers' CronJob columns (descriptions from batch/v1beta1, as printers.go takes
// them): NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, and CONTAINERS IMAGES SELECTOR
// of the job template with -o wide.
std::vector<Column> cronJobColumns(Clock::time_point now) {
  auto containers = [](const char* field) {
    return [field](const Json& o) {
      return Json(joinField(
          at(o, {"spec", "jobTemplate", "spec", "template", "spec", "containers"}), field));
    };
  };
  return {
      nameColumn(),
      column("Schedule", "string",
             "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
             [](const Json& o) {
               return Json(text(at(o, {"spec", "schedule"})));
             }),
      column("Timezone", "string",
             "The time zone name for the given schedule, see "
             "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, "
             "this will default to the time zone of the kube-controller-manager process. The set "
             "of valid time zone names and the time zone offset is loaded from the system-wide "
             "time zone database by the API server during CronJob validation and the controller "
             "manager during execution. If no system-wide time zone database can be found a "
             "bundled version of the database is used instead. If the time zone name becomes "
             "invalid during the lifetime of a CronJob or due to a change in host "
             "configuration, the controller will stop creating new new Jobs and will create a "
             "system event with the reason UnknownTimeZone. More information can be found in "
             "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
             [](const Json& o) {
               const Json& zone = at(o, {"spec", "timeZone"});
               return Json(zone.is_string() ? zone.get<std::string>() : "<none>");
             }),
      column("Suspend", "boolean",
             "This flag tells the controller to suspend subsequent executions, it does not "
             "apply to already started executions.  Defaults to false.",
             [](const Json& o) {
               const Json& suspend = at(o, {"spec", "suspend"});
               if (!suspend.is_boolean()) return Json("<unset>");
               return Json(suspend.get<bool>() ? "True" : "False");
             }),
      column("Active", "integer", "A list of pointers to currently running jobs.",
             [](const Json& o) {
               const Json& active = at(o, {"status", "active"});
               return Json(active.is_array() ? static_cast<long long>(active.size()) : 0);
             }),
      column("Last Schedule", "string",
             "Information when was the last time the job was successfully scheduled.",
             [now](const Json& o) {
               const Json& last = at(o, {"status", "lastScheduleTime"});
               return Json(last.is_null() ? "<none>" : age(last, now));
             }),
      ageColumn(now),
      column("Containers", "string", "Names of each container in the template.", containers("name"),
             1),
      column("Images", "string", "Images referenced by each container in the template.",
             containers("image"), 1),
      column(
          "Selector", "string", kJobSelectorDescription,
          [](const Json& o) {
            return Json(selectorString(at(o, {"spec", "jobTemplate", "spec", "selector"})));
          },
          1)};
}

// ---- policy/v1 ----

namespace {

// IntOrString.String(): the number or the string; N/A when unset.
std::string intOrStringCell(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return std::to_string(number(v));
  return "N/A";
}

}  // namespace

std::vector<Column> podDisruptionBudgetColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Min Available", "string", "The minimum number of pods that must be available.",
                 [](const Json& o) {
                   return Json(intOrStringCell(at(o, {"spec", "minAvailable"})));
                 }),
          column("Max Unavailable", "string", "The maximum number of pods that may be unavailable.",
                 [](const Json& o) {
                   return Json(intOrStringCell(at(o, {"spec", "maxUnavailable"})));
                 }),
          column("Allowed Disruptions", "integer",
                 "Calculated number of pods that may be disrupted at this time.",
                 [](const Json& o) {
                   return Json(number(at(o, {"status", "disruptionsAllowed"})));
                 }),
          ageColumn(now)};
}

}  // namespace kubesim::schema::detail
