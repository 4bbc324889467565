#include "kubesim/schema/table.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "kubesim/schema/selectors.h"
#include "operator/base/rfc3339.h"

namespace kubesim::schema {

namespace {

using Clock = std::chrono::system_clock;

const char* kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "http://kubernetes.io/docs/user-guide/identifiers#names";
const char* kCreationTimestampDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

// One output column: its definition and how to compute its cell for an object.
struct Column {
  PrinterColumn def;
  std::function<Json(const Json&)> cell;
};

const Json& at(const Json& obj, std::initializer_list<const char*> path) {
  static const Json kNull;  // immutable sentinel
  const Json* cur = &obj;
  for (const char* p : path) {
    if (!cur->is_object()) return kNull;
    auto it = cur->find(p);
    if (it == cur->end()) return kNull;
    cur = &*it;
  }
  return *cur;
}

std::string text(const Json& v, const std::string& fallback = "") {
  return v.is_string() ? v.get<std::string>() : fallback;
}

// Client data may hold any number: out-of-range floats must not reach an undefined cast.
long long number(const Json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) < 9e18 ? static_cast<long long>(d) : 0;
  }
  return 0;
}

std::string age(const Json& timestamp, Clock::time_point now) {
  if (!timestamp.is_string()) return "<unknown>";
  auto t = tro::base::parseRfc3339(timestamp.get<std::string>());
  if (!t) return "<invalid>";
  return humanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

Column column(const char* name, const char* type, const char* description,
              std::function<Json(const Json&)> cell, int priority = 0) {
  return Column{PrinterColumn{name, type, "", description, "", priority}, std::move(cell)};
}

Column nameColumn() {
  return Column{PrinterColumn{"Name", "string", "name", kNameDescription, "", 0},
                [](const Json& o) {
                  return Json(text(at(o, {"metadata", "name"})));
                }};
}

Column ageColumn(Clock::time_point now) {
  return column("Age", "string", kCreationTimestampDescription, [now](const Json& o) {
    return Json(age(at(o, {"metadata", "creationTimestamp"}), now));
  });
}

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

std::string selectorString(const Json& selector) {
  auto sel = LabelSelector::fromJson(selector);
  if (!sel) return "<error>";
  const std::string s = sel->toString();
  return s.empty() ? "<none>" : s;
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

// IntOrString.String(): the number or the string; N/A when unset.
std::string intOrStringCell(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return std::to_string(number(v));
  return "N/A";
}

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

std::vector<Column> podColumns(Clock::time_point now) {
  auto none = [](const Json& v) { return Json(text(v).empty() ? "<none>" : text(v)); };
  return {
      nameColumn(),
      column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.",
             [](const Json& o) {
               const Json& specs = at(o, {"spec", "containers"});
               const Json& statuses = at(o, {"status", "containerStatuses"});
               long long ready = 0;
               if (statuses.is_array()) {
                 for (const auto& s : statuses) ready += at(s, {"ready"}) == true;
               }
               return Json(std::to_string(ready) + "/" +
                           std::to_string(specs.is_array() ? specs.size() : 0));
             }),
      column("Status", "string", "The aggregate status of the containers in this pod.",
             [](const Json& o) {
               if (!at(o, {"metadata", "deletionTimestamp"}).is_null()) {
                 return Json("Terminating");
               }
               std::string reason = text(at(o, {"status", "reason"}));
               if (reason.empty()) reason = text(at(o, {"status", "phase"}), "Pending");
               return Json(reason);
             }),
      column("Restarts", "string",
             "The number of times the containers in this pod have been restarted and when "
             "the last container in this pod has restarted.",
             [](const Json& o) {
               long long restarts = 0;
               const Json& statuses = at(o, {"status", "containerStatuses"});
               if (statuses.is_array()) {
                 for (const auto& s : statuses) restarts += number(at(s, {"restartCount"}));
               }
               return Json(std::to_string(restarts));
             }),
      ageColumn(now),
      column(
          "IP", "string",
          "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
          "allocated.",
          [none](const Json& o) {
            return none(at(o, {"status", "podIP"}));
          },
          1),
      column(
          "Node", "string",
          "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
          "candidate for preemption.",
          [none](const Json& o) {
            return none(at(o, {"spec", "nodeName"}));
          },
          1),
      column(
          "Nominated Node", "string",
          "nominatedNodeName is set when this pod preempts other pods on the node, but it "
          "cannot be scheduled right away as preemption victims receive their graceful "
          "termination periods.",
          [none](const Json& o) {
            return none(at(o, {"status", "nominatedNodeName"}));
          },
          1),
      column(
          "Readiness Gates", "string",
          "If specified, all readiness gates will be evaluated for pod readiness.",
          [](const Json&) { return Json("<none>"); }, 1)};
}

std::string servicePorts(const Json& o) {
  std::string out;
  const Json& ports = at(o, {"spec", "ports"});
  if (ports.is_array()) {
    for (const auto& p : ports) {
      if (!out.empty()) out += ",";
      out += std::to_string(number(at(p, {"port"})));
      if (at(p, {"nodePort"}).is_number()) out += ":" + std::to_string(number(at(p, {"nodePort"})));
      out += "/" + text(at(p, {"protocol"}), "TCP");
    }
  }
  return out.empty() ? "<none>" : out;
}

std::vector<Column> serviceColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Type", "string", "The type of service.",
                 [](const Json& o) {
                   return Json(text(at(o, {"spec", "type"}), "ClusterIP"));
                 }),
          column("Cluster-IP", "string", "The cluster IP of the service.",
                 [](const Json& o) {
                   const std::string ip = text(at(o, {"spec", "clusterIP"}));
                   return Json(ip.empty() ? "<none>" : ip);
                 }),
          column("External-IP", "string", "The external IP of the service.",
                 [](const Json& o) {
                   const Json& ips = at(o, {"spec", "externalIPs"});
                   std::string out;
                   if (ips.is_array()) {
                     for (const auto& ip : ips) out += (out.empty() ? "" : ",") + text(ip);
                   }
                   if (out.empty() && text(at(o, {"spec", "type"})) == "LoadBalancer") {
                     out = "<pending>";
                   }
                   return Json(out.empty() ? "<none>" : out);
                 }),
          column("Port(s)", "string", "The ports of the service.",
                 [](const Json& o) { return Json(servicePorts(o)); }),
          ageColumn(now),
          column(
              "Selector", "string",
              "Route service traffic to pods with label keys and values matching this "
              "selector. If empty or not present, the service is assumed to have an external "
              "process managing its endpoints, which Kubernetes will not modify. Only applies "
              "to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is "
              "ExternalName. More info: "
              "https://kubernetes.io/docs/concepts/services-networking/service/",
              [](const Json& o) {
                const Json& sel = at(o, {"spec", "selector"});
                std::string out;
                if (sel.is_object()) {
                  for (const auto& [k, v] : sel.items()) {
                    out += (out.empty() ? "" : ",") + k + "=" + text(v);
                  }
                }
                return Json(out.empty() ? "<none>" : out);
              },
              1)};
}

std::vector<Column> eventColumns(Clock::time_point now) {
  auto lastSeen = [now](const Json& o) {
    Json t = at(o, {"lastTimestamp"});
    if (!t.is_string()) t = at(o, {"eventTime"});
    if (!t.is_string()) t = at(o, {"metadata", "creationTimestamp"});
    return Json(age(t, now));
  };
  return {
      column("Last Seen", "string", "Time when last this event was observed", lastSeen),
      column("Type", "string",
             "Type of this event (Normal, Warning), new types could be added in the future.",
             [](const Json& o) { return Json(text(at(o, {"type"}))); }),
      column("Reason", "string",
             "This should be a short, machine understandable string that gives the reason for the "
             "transition into the object's current status.",
             [](const Json& o) { return Json(text(at(o, {"reason"}))); }),
      column("Object", "string", "The object that this event is about.",
             [](const Json& o) {
               std::string kind = text(at(o, {"involvedObject", "kind"}));
               std::transform(kind.begin(), kind.end(), kind.begin(),
                              [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
               return Json(kind + "/" + text(at(o, {"involvedObject", "name"})));
             }),
      column(
          "Subobject", "string", "The subobject that this event is about.",
          [](const Json& o) {
            return Json(text(at(o, {"involvedObject", "fieldPath"})));
          },
          1),
      column(
          "Source", "string",
          "The component reporting this event. Should be a short machine understandable string.",
          [](const Json& o) {
            std::string s = text(at(o, {"source", "component"}));
            if (s.empty()) s = text(at(o, {"reportingComponent"}));
            const std::string host = text(at(o, {"source", "host"}));
            if (!host.empty()) s += ", " + host;
            return Json(s);
          },
          1),
      column("Message", "string", "A human-readable description of the status of this operation.",
             [](const Json& o) { return Json(text(at(o, {"message"}))); }),
      column(
          "First Seen", "string",
          "The time at which the event was first recorded. (Time of server receipt is in "
          "TypeMeta.)",
          [now](const Json& o) { return Json(age(at(o, {"firstTimestamp"}), now)); }, 1),
      column(
          "Count", "string", "The number of times this event has occurred.",
          [](const Json& o) { return Json(number(at(o, {"count"}))); }, 1),
      column(
          "Name", "string", kNameDescription,
          [](const Json& o) {
            return Json(text(at(o, {"metadata", "name"})));
          },
          1)};
}

// The real printers' RoleBinding and ClusterRoleBinding columns: NAME ROLE AGE, and USERS
// GROUPS SERVICEACCOUNTS with -o wide.
std::vector<Column> bindingColumns(Clock::time_point now) {
  auto subjectsOf = [](const char* kind) {
    return [kind](const Json& o) {
      std::string out;
      const Json& subjects = at(o, {"subjects"});
      if (subjects.is_array()) {
        for (const Json& s : subjects) {
          if (text(at(s, {"kind"})) != kind) continue;
          std::string name = text(at(s, {"name"}));
          if (std::string(kind) == "ServiceAccount") name = text(at(s, {"namespace"})) + "/" + name;
          out += (out.empty() ? "" : ", ") + name;
        }
      }
      return Json(out);
    };
  };
  return {
      nameColumn(),
      column(
          "Role", "string", "RoleRef is the reference to the role",
          [](const Json& o) {
            return Json(text(at(o, {"roleRef", "kind"})) + "/" + text(at(o, {"roleRef", "name"})));
          }),
      ageColumn(now),
      column("Users", "string", "Users in the roleBinding", subjectsOf("User"), 1),
      column("Groups", "string", "Groups in the roleBinding", subjectsOf("Group"), 1),
      column("ServiceAccounts", "string", "ServiceAccounts in the roleBinding",
             subjectsOf("ServiceAccount"), 1)};
}

std::vector<Column> defaultColumns() {
  // Kinds without printers: the generic convertor's Name and Created At (RFC3339, not an age).
  return {nameColumn(),
          Column{PrinterColumn{"Created At", "date", "", kCreationTimestampDescription, "", 0},
                 [](const Json& o) {
                   return at(o, {"metadata", "creationTimestamp"});
                 }}};
}

Json customCell(const PrinterColumn& c, const Json& obj, Clock::time_point now) {
  auto found = evalJsonPath(obj, c.jsonPath);
  if (!found || found->is_null()) return nullptr;
  const Json& v = *found;
  if (c.type == "integer") {
    return v.is_number() ? Json(number(v)) : Json(nullptr);
  }
  if (c.type == "number") return v.is_number() ? Json(v.get<double>()) : Json(nullptr);
  if (c.type == "boolean") return v.is_boolean() ? v : Json(nullptr);
  if (c.type == "date") return v.is_string() ? Json(age(v, now)) : Json(nullptr);
  // string: the value as JSONPath prints it.
  if (v.is_string()) return v;
  return v.dump();
}

std::vector<Column> customColumns(const KindInfo& kind, Clock::time_point now) {
  std::vector<Column> cols = {nameColumn()};
  std::vector<PrinterColumn> defs = kind.printerColumns;
  if (defs.empty()) {
    defs.push_back(PrinterColumn{"Age", "date", "", kCreationTimestampDescription,
                                 ".metadata.creationTimestamp", 0});
  }
  for (auto& def : defs) {
    if (def.description.empty()) {
      def.description = "Custom resource definition column (in JSONPath format): " + def.jsonPath;
    }
    PrinterColumn shown = def;
    cols.push_back(Column{shown, [def, now](const Json& o) { return customCell(def, o, now); }});
  }
  return cols;
}

std::vector<Column> columnsFor(const KindInfo& kind, Clock::time_point now) {
  if (kind.isCustom) return customColumns(kind, now);
  auto nameAgeAnd = [&](std::vector<Column> middle) {
    std::vector<Column> cols = {nameColumn()};
    for (auto& c : middle) cols.push_back(std::move(c));
    cols.push_back(ageColumn(now));
    return cols;
  };
  if (kind.group == "apps" && kind.kind == "Deployment") return deploymentColumns(now);
  if (kind.group == "apps" && kind.kind == "ReplicaSet") return replicaSetColumns(now);
  if (kind.group == "apps" && kind.kind == "StatefulSet") return statefulSetColumns(now);
  if (kind.group == "apps" && kind.kind == "DaemonSet") return daemonSetColumns(now);
  if (kind.group == "rbac.authorization.k8s.io" &&
      (kind.kind == "RoleBinding" || kind.kind == "ClusterRoleBinding")) {
    return bindingColumns(now);
  }
  if (kind.group == "batch" && kind.kind == "Job") return jobColumns(now);
  if (kind.group == "batch" && kind.kind == "CronJob") return cronJobColumns(now);
  if (kind.group == "policy" && kind.kind == "PodDisruptionBudget") {
    return podDisruptionBudgetColumns(now);
  }
  if (kind.group == "coordination.k8s.io" && kind.kind == "Lease") {
    return nameAgeAnd({column("Holder", "string", "The holder of the lease", [](const Json& o) {
      return Json(text(at(o, {"spec", "holderIdentity"})));
    })});
  }
  if (!kind.group.empty()) return defaultColumns();
  if (kind.kind == "Pod") return podColumns(now);
  if (kind.kind == "Service") return serviceColumns(now);
  if (kind.kind == "Event") return eventColumns(now);
  if (kind.kind == "ServiceAccount") {
    return nameAgeAnd({column("Secrets", "string",
                              "Secrets is a list of the secrets in the same "
                              "namespace that pods running using this ServiceAccount are allowed "
                              "to use.",
                              [](const Json& o) {
                                const Json& s = at(o, {"secrets"});
                                return Json(s.is_array() ? static_cast<long long>(s.size()) : 0);
                              })});
  }
  if (kind.kind == "Namespace") {
    return nameAgeAnd({column("Status", "string", "The status of the namespace", [](const Json& o) {
      return Json(text(at(o, {"status", "phase"})));
    })});
  }
  if (kind.kind == "ConfigMap") {
    return nameAgeAnd({column("Data", "string",
                              "Data contains the configuration data. Each key must consist of "
                              "alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 "
                              "byte sequences must use the BinaryData field. The keys stored in "
                              "Data must not overlap with the keys in the BinaryData field, this "
                              "is enforced during validation process.",
                              [](const Json& o) {
                                const Json& d = at(o, {"data"});
                                const Json& b = at(o, {"binaryData"});
                                return Json((d.is_object() ? d.size() : 0) +
                                            (b.is_object() ? b.size() : 0));
                              })});
  }
  return defaultColumns();
}

Json rowObject(const Json& obj, IncludeObject include) {
  if (include == IncludeObject::Object) return obj;
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", at(obj, {"metadata"}).is_object() ? at(obj, {"metadata"}) : Json::object()}};
}

}  // namespace

std::string humanDuration(std::chrono::seconds d) {
  const long long seconds = d.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    const long long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s == 0 ? "" : std::to_string(s) + "s");
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  const long long hours = minutes / 60;
  if (hours < 8) {
    const long long m = minutes % 60;
    return std::to_string(hours) + "h" + (m == 0 ? "" : std::to_string(m) + "m");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h == 0 ? "" : std::to_string(h) + "h");
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long long dy = (hours / 24) % 365;
    return std::to_string(hours / 24 / 365) + "y" + (dy == 0 ? "" : std::to_string(dy) + "d");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

Json toTable(const KindInfo& kind, const std::vector<Json>& objects, const Json& listMetadata,
             Clock::time_point now, const TableOptions& options) {
  const std::vector<Column> cols = columnsFor(kind, now);
  Json defs = Json::array();
  for (const auto& c : cols) {
    defs.push_back({{"name", c.def.name},
                    {"type", c.def.type},
                    {"format", c.def.format},
                    {"description", c.def.description},
                    {"priority", c.def.priority}});
  }
  Json rows = Json::array();
  for (const auto& obj : objects) {
    Json cells = Json::array();
    for (const auto& c : cols) cells.push_back(c.cell(obj));
    Json row = {{"cells", std::move(cells)}};
    if (options.includeObject != IncludeObject::None) {
      row["object"] = rowObject(obj, options.includeObject);
    }
    rows.push_back(std::move(row));
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", listMetadata.is_object() ? listMetadata : Json::object()},
          {"columnDefinitions", std::move(defs)},
          {"rows", std::move(rows)}};
}

}  // namespace kubesim::schema
