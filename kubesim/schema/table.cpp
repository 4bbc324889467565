#include "kubesim/schema/table.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "kubesim/schema/quantity.h"
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

// Quantity.String() of a stored quantity: its canonical form ("0" when absent, as Go's zero).
std::string quantityCell(const Json& v) {
  if (v.is_null()) return "0";
  auto q = decodeQuantity(v);
  if (!q) return v.is_string() ? v.get<std::string>() : v.dump();
  return canonicalQuantity(*q);
}

// (*Quantity).String() of an optional quantity: "<nil>" when absent.
std::string quantityPointerCell(const Json& v) { return v.is_null() ? "<nil>" : quantityCell(v); }

// ---- core/v1 Node ----

// printNode's STATUS: Ready or NotReady from the Ready condition (Unknown without one), then
// SchedulingDisabled for a cordoned node.
std::string nodeStatus(const Json& o) {
  std::string status = "Unknown";
  const Json& conditions = at(o, {"status", "conditions"});
  if (conditions.is_array()) {
    for (const Json& c : conditions) {
      if (text(at(c, {"type"})) != "Ready") continue;
      status = text(at(c, {"status"})) == "True" ? "Ready" : "NotReady";
    }
  }
  if (at(o, {"spec", "unschedulable"}) == true) status += ",SchedulingDisabled";
  return status;
}

// findNodeRoles: node-role.kubernetes.io/<role> labels and a kubernetes.io/role label's value,
// sorted and distinct.
std::string nodeRoles(const Json& o) {
  static const std::string kPrefix = "node-role.kubernetes.io/";
  std::vector<std::string> roles;
  const Json& labels = at(o, {"metadata", "labels"});
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      std::string role;
      if (key.starts_with(kPrefix)) {
        role = key.substr(kPrefix.size());
      } else if (key == "kubernetes.io/role") {
        role = text(value);
      }
      if (!role.empty() && std::find(roles.begin(), roles.end(), role) == roles.end()) {
        roles.push_back(role);
      }
    }
  }
  std::sort(roles.begin(), roles.end());
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out.empty() ? "<none>" : out;
}

std::string nodeAddress(const Json& o, const char* type) {
  const Json& addresses = at(o, {"status", "addresses"});
  if (addresses.is_array()) {
    for (const Json& a : addresses) {
      if (text(at(a, {"type"})) == type) return text(at(a, {"address"}));
    }
  }
  return "<none>";
}

const char* kNodeAddressesDescription =
    "List of addresses reachable to the node. Queried from cloud provider, if available. More "
    "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
    "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
    "corruption when it is merged. Callers should instead use a full-replacement patch. See "
    "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
    "during the lifetime of a Node. However, there are some exceptions where this may not be "
    "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP).";

// The real printers' Node columns: NAME STATUS ROLES AGE VERSION, and INTERNAL-IP EXTERNAL-IP
// OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME with -o wide.
std::vector<Column> nodeColumns(Clock::time_point now) {
  auto info = [](const char* field) {
    return [field](const Json& o) {
      const std::string v = text(at(o, {"status", "nodeInfo", field}));
      return Json(v.empty() ? "<unknown>" : v);
    };
  };
  return {nameColumn(),
          column("Status", "string", "The status of the node",
                 [](const Json& o) { return Json(nodeStatus(o)); }),
          column("Roles", "string", "The roles of the node",
                 [](const Json& o) { return Json(nodeRoles(o)); }),
          ageColumn(now),
          column("Version", "string", "Kubelet Version reported by the node.",
                 [](const Json& o) {
                   return Json(text(at(o, {"status", "nodeInfo", "kubeletVersion"})));
                 }),
          column(
              "Internal-IP", "string", kNodeAddressesDescription,
              [](const Json& o) { return Json(nodeAddress(o, "InternalIP")); }, 1),
          column(
              "External-IP", "string", kNodeAddressesDescription,
              [](const Json& o) { return Json(nodeAddress(o, "ExternalIP")); }, 1),
          column("OS-Image", "string",
                 "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
                 "(wheezy)).",
                 info("osImage"), 1),
          column("Kernel-Version", "string",
                 "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
                 info("kernelVersion"), 1),
          column("Container-Runtime", "string",
                 "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
                 "containerd://1.4.2).",
                 info("containerRuntimeVersion"), 1)};
}

// ---- core/v1 Endpoints ----

// net.JoinHostPort: IPv6 addresses in brackets.
std::string hostPort(const std::string& ip, long long port) {
  const std::string host = ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
  return host + ":" + std::to_string(port);
}

// formatEndpoints: up to 3 ready addresses (with each port), then "+ N more...".
std::string endpointsCell(const Json& o) {
  const Json& subsets = at(o, {"subsets"});
  if (!subsets.is_array() || subsets.empty()) return "<none>";
  constexpr std::size_t kMax = 3;
  std::vector<std::string> list;
  bool more = false;
  long long count = 0;
  for (const Json& ss : subsets) {
    const Json& addresses = at(ss, {"addresses"});
    const Json& ports = at(ss, {"ports"});
    const long long n = addresses.is_array() ? static_cast<long long>(addresses.size()) : 0;
    if (!ports.is_array() || ports.empty()) {
      count += n;
      for (long long i = 0; i < n; ++i) {
        if (list.size() == kMax) {
          more = true;
          break;
        }
        list.push_back(text(at(addresses[static_cast<std::size_t>(i)], {"ip"})));
      }
      continue;
    }
    for (const Json& port : ports) {
      count += n;
      for (long long i = 0; i < n; ++i) {
        if (list.size() == kMax) {
          more = true;
          break;
        }
        list.push_back(hostPort(text(at(addresses[static_cast<std::size_t>(i)], {"ip"})),
                                number(at(port, {"port"}))));
      }
    }
  }
  std::string out;
  for (const auto& e : list) out += (out.empty() ? "" : ",") + e;
  if (more) out += " + " + std::to_string(count - static_cast<long long>(kMax)) + " more...";
  return out;
}

std::vector<Column> endpointsColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Endpoints", "string",
                 "The set of all endpoints is the union of all subsets. Addresses are placed into "
                 "subsets according to the IPs they share. A single address with multiple ports, "
                 "some of which are ready and some of which are not (because they come from "
                 "different containers) will result in the address being displayed in different "
                 "subsets for the different ports. No address will appear in both Addresses and "
                 "NotReadyAddresses in the same subset. Sets of addresses and ports that comprise "
                 "a service.",
                 [](const Json& o) { return Json(endpointsCell(o)); }),
          ageColumn(now)};
}

// ---- core/v1 PersistentVolumeClaim and PersistentVolume ----

// helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once.
std::string accessModes(const Json& modes) {
  std::string out;
  for (const auto& [mode, abbreviation] :
       std::vector<std::pair<const char*, const char*>>{{"ReadWriteOnce", "RWO"},
                                                        {"ReadOnlyMany", "ROX"},
                                                        {"ReadWriteMany", "RWX"},
                                                        {"ReadWriteOncePod", "RWOP"}}) {
    if (modes.is_array() && std::find(modes.begin(), modes.end(), Json(mode)) != modes.end()) {
      out += (out.empty() ? "" : ",") + std::string(abbreviation);
    }
  }
  return out;
}

// GetPersistentVolume(Claim)Class: the beta annotation first, then spec.storageClassName.
std::string storageClass(const Json& o) {
  const Json& annotations = at(o, {"metadata", "annotations"});
  if (annotations.is_object() && annotations.contains("volume.beta.kubernetes.io/storage-class")) {
    return text(annotations["volume.beta.kubernetes.io/storage-class"]);
  }
  return text(at(o, {"spec", "storageClassName"}));
}

std::string unsetOr(const Json& v) { return v.is_string() ? v.get<std::string>() : "<unset>"; }

std::string volumePhase(const Json& o) {
  if (!at(o, {"metadata", "deletionTimestamp"}).is_null()) return "Terminating";
  return text(at(o, {"status", "phase"}));
}

std::vector<Column> persistentVolumeClaimColumns(Clock::time_point now) {
  // Capacity and access modes are the bound volume's: empty until the claim is bound.
  auto bound = [](const Json& o) { return !text(at(o, {"spec", "volumeName"})).empty(); };
  return {
      nameColumn(),
      column("Status", "string", "phase represents the current phase of PersistentVolumeClaim.",
             [](const Json& o) { return Json(volumePhase(o)); }),
      column("Volume", "string",
             "volumeName is the binding reference to the PersistentVolume backing this claim.",
             [](const Json& o) {
               return Json(text(at(o, {"spec", "volumeName"})));
             }),
      column("Capacity", "string",
             "capacity represents the actual resources of the underlying volume.",
             [bound](const Json& o) {
               return Json(bound(o) ? quantityCell(at(o, {"status", "capacity", "storage"})) : "");
             }),
      column("Access Modes", "string",
             "accessModes contains the actual access modes the volume backing the PVC has. More "
             "info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
             [bound](const Json& o) {
               return Json(bound(o) ? accessModes(at(o, {"status", "accessModes"})) : "");
             }),
      column("StorageClass", "string", "StorageClass of the pvc",
             [](const Json& o) { return Json(storageClass(o)); }),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc",
             [](const Json& o) {
               return Json(unsetOr(at(o, {"spec", "volumeAttributesClassName"})));
             }),
      ageColumn(now),
      column(
          "VolumeMode", "string",
          "volumeMode defines what type of volume is required by the claim. Value of Filesystem "
          "is implied when not included in claim spec.",
          [](const Json& o) {
            return Json(unsetOr(at(o, {"spec", "volumeMode"})));
          },
          1)};
}

std::vector<Column> persistentVolumeColumns(Clock::time_point now) {
  return {
      nameColumn(),
      column("Capacity", "string",
             "capacity is the description of the persistent volume's resources and capacity. "
             "More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
             [](const Json& o) {
               return Json(quantityCell(at(o, {"spec", "capacity", "storage"})));
             }),
      column("Access Modes", "string",
             "accessModes contains all ways the volume can be mounted. More info: "
             "https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
             [](const Json& o) {
               return Json(accessModes(at(o, {"spec", "accessModes"})));
             }),
      column("Reclaim Policy", "string",
             "persistentVolumeReclaimPolicy defines what happens to a persistent volume when "
             "released from its claim. Valid options are Retain (default for manually created "
             "PersistentVolumes), Delete (default for dynamically provisioned "
             "PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the "
             "volume plugin underlying this PersistentVolume. More info: "
             "https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming",
             [](const Json& o) {
               return Json(text(at(o, {"spec", "persistentVolumeReclaimPolicy"})));
             }),
      column(
          "Status", "string",
          "phase indicates if a volume is available, bound to a claim, or released by a "
          "claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase",
          [](const Json& o) { return Json(volumePhase(o)); }),
      column("Claim", "string",
             "claimRef is part of a bi-directional binding between PersistentVolume and "
             "PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the "
             "authoritative bind between PV and PVC. More info: "
             "https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding",
             [](const Json& o) {
               const Json& ref = at(o, {"spec", "claimRef"});
               if (!ref.is_object()) return Json("");
               return Json(text(at(ref, {"namespace"})) + "/" + text(at(ref, {"name"})));
             }),
      column("StorageClass", "string", "StorageClass of the pv",
             [](const Json& o) { return Json(storageClass(o)); }),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv",
             [](const Json& o) {
               return Json(unsetOr(at(o, {"spec", "volumeAttributesClassName"})));
             }),
      column("Reason", "string",
             "reason is a brief CamelCase string that describes any failure and is meant for "
             "machine parsing and tidy display in the CLI.",
             [](const Json& o) {
               return Json(text(at(o, {"status", "reason"})));
             }),
      ageColumn(now),
      column(
          "VolumeMode", "string",
          "volumeMode defines if a volume is intended to be used with a formatted filesystem or "
          "to remain in raw block state. Value of Filesystem is implied when not included in "
          "spec.",
          [](const Json& o) {
            return Json(unsetOr(at(o, {"spec", "volumeMode"})));
          },
          1)};
}

// ---- core/v1 ResourceQuota ----

// printResourceQuota: "<resource>: <used>/<hard>" for each status.hard resource, sorted by
// name; resources named limits.* go to LIMIT, the others to REQUEST.
std::string quotaCell(const Json& o, bool limits) {
  const Json& hard = at(o, {"status", "hard"});
  if (!hard.is_object()) return "";
  std::vector<std::string> names;
  for (auto it = hard.begin(); it != hard.end(); ++it) names.push_back(it.key());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) {
    const auto dot = name.find('.');
    const bool isLimit = dot != std::string::npos && name.substr(0, dot) == "limits";
    if (isLimit != limits) continue;
    const Json& used = at(o, {"status", "used"});
    const Json usedValue = used.is_object() && used.contains(name) ? used[name] : Json();
    out += (out.empty() ? "" : ", ") + name + ": " + quantityCell(usedValue) + "/" +
           quantityCell(hard[name]);
  }
  return out;
}

// Kubernetes 1.32's printer: NAME AGE REQUEST LIMIT (1.33 moved AGE last).
std::vector<Column> resourceQuotaColumns(Clock::time_point now) {
  return {nameColumn(), ageColumn(now),
          column("Request", "string",
                 "Request represents a minimum amount of cpu/memory that a container may consume.",
                 [](const Json& o) { return Json(quotaCell(o, false)); }),
          column("Limit", "string",
                 "Limits control the maximum amount of cpu/memory that a container may use "
                 "independent of contention on the node.",
                 [](const Json& o) { return Json(quotaCell(o, true)); })};
}

// ---- autoscaling/v2 HorizontalPodAutoscaler ----

// One metric of formatHPAMetrics: "<current>/<target>" by source type; `status` is the metric's
// entry in status.currentMetrics at the same index (null when there is none).
std::string hpaMetric(const Json& spec, const Json& status) {
  const std::string type = text(at(spec, {"type"}));
  const auto source = [&](const char* key) -> const Json& { return at(spec, {key}); };
  const auto current = [&](const char* key) -> const Json& { return at(status, {key}); };
  if (type == "External" || type == "Object") {
    const char* key = type == "External" ? "external" : "object";
    const Json& target = at(source(key), {"target"});
    const Json& cur = current(key);
    if (!at(target, {"averageValue"}).is_null()) {
      std::string now = "<unknown>";
      if (!at(cur, {"current", "averageValue"}).is_null()) {
        now = quantityCell(at(cur, {"current", "averageValue"}));
      }
      return now + "/" + quantityPointerCell(at(target, {"averageValue"})) + " (avg)";
    }
    std::string now = "<unknown>";
    if (cur.is_object()) now = quantityPointerCell(at(cur, {"current", "value"}));
    return now + "/" + quantityPointerCell(at(target, {"value"}));
  }
  if (type == "Pods") {
    std::string now = "<unknown>";
    if (current("pods").is_object()) {
      now = quantityPointerCell(at(current("pods"), {"current", "averageValue"}));
    }
    return now + "/" + quantityPointerCell(at(source("pods"), {"target", "averageValue"}));
  }
  if (type == "Resource" || type == "ContainerResource") {
    const char* key = type == "Resource" ? "resource" : "containerResource";
    const Json& src = source(key);
    const Json& target = at(src, {"target"});
    const Json& cur = current(key);
    const std::string name = text(at(src, {"name"}));
    if (!at(target, {"averageValue"}).is_null()) {
      std::string now = "<unknown>";
      if (cur.is_object()) now = quantityPointerCell(at(cur, {"current", "averageValue"}));
      return name + ": " + now + "/" + quantityPointerCell(at(target, {"averageValue"}));
    }
    std::string now = "<unknown>";
    if (const Json& u = at(cur, {"current", "averageUtilization"}); u.is_number()) {
      now = std::to_string(number(u)) + "%";
    }
    std::string want = "<auto>";
    if (const Json& u = at(target, {"averageUtilization"}); u.is_number()) {
      want = std::to_string(number(u)) + "%";
    }
    return name + ": " + now + "/" + want;
  }
  return "<unknown type>";
}

// formatHPAMetrics: at most two metrics, then "+ N more...".
std::string hpaTargets(const Json& o) {
  const Json& specs = at(o, {"spec", "metrics"});
  if (!specs.is_array() || specs.empty()) return "<none>";
  const Json& statuses = at(o, {"status", "currentMetrics"});
  constexpr std::size_t kMax = 2;
  std::string out;
  for (std::size_t i = 0; i < specs.size() && i < kMax; ++i) {
    static const Json kNull;
    const Json& status = statuses.is_array() && i < statuses.size() ? statuses[i] : kNull;
    out += (out.empty() ? "" : ", ") + hpaMetric(specs[i], status);
  }
  if (specs.size() > kMax) out += " + " + std::to_string(specs.size() - kMax) + " more...";
  return out;
}

std::vector<Column> horizontalPodAutoscalerColumns(Clock::time_point now) {
  return {
      nameColumn(),
      column("Reference", "string",
             "scaleTargetRef points to the target resource to scale, and is used to the pods for "
             "which metrics should be collected, as well as to actually change the replica count.",
             [](const Json& o) {
               return Json(text(at(o, {"spec", "scaleTargetRef", "kind"})) + "/" +
                           text(at(o, {"spec", "scaleTargetRef", "name"})));
             }),
      column("Targets", "string",
             "metrics contains the specifications for which to use to calculate the desired "
             "replica count (the maximum replica count across all metrics will be used).  The "
             "desired replica count is calculated multiplying the ratio between the target value "
             "and the current value by the current number of pods.  Ergo, metrics used must "
             "decrease as the pod count is increased, and vice-versa.  See the individual metric "
             "source types for more information about how each type of metric must respond.",
             [](const Json& o) { return Json(hpaTargets(o)); }),
      column("MinPods", "string",
             "minReplicas is the lower limit for the number of replicas to which the autoscaler "
             "can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the "
             "alpha feature gate HPAScaleToZero is enabled and at least one Object or External "
             "metric is configured.  Scaling is active as long as at least one metric value is "
             "available.",
             [](const Json& o) {
               const Json& min = at(o, {"spec", "minReplicas"});
               return Json(min.is_number() ? std::to_string(number(min)) : "<unset>");
             }),
      column("MaxPods", "string",
             "maxReplicas is the upper limit for the number of replicas to which the autoscaler "
             "can scale up. It cannot be less that minReplicas.",
             [](const Json& o) {
               return Json(number(at(o, {"spec", "maxReplicas"})));
             }),
      column("Replicas", "string",
             "currentReplicas is current number of replicas of pods managed by this autoscaler, "
             "as last seen by the autoscaler.",
             [](const Json& o) {
               return Json(number(at(o, {"status", "currentReplicas"})));
             }),
      ageColumn(now)};
}

// ---- networking.k8s.io/v1 ----

// formatHosts: the first three rule hosts, "*" when none has one.
std::string ingressHosts(const Json& o) {
  const Json& rules = at(o, {"spec", "rules"});
  constexpr std::size_t kMax = 3;
  std::vector<std::string> list;
  bool more = false;
  if (rules.is_array()) {
    for (const Json& rule : rules) {
      if (list.size() == kMax) more = true;
      const std::string host = text(at(rule, {"host"}));
      if (!more && !host.empty()) list.push_back(host);
    }
  }
  if (list.empty()) return "*";
  std::string out;
  for (const auto& h : list) out += (out.empty() ? "" : ",") + h;
  if (more) out += " + " + std::to_string(rules.size() - kMax) + " more...";
  return out;
}

// ingressLoadBalancerStatusStringer (wide, as the server renders it): the distinct ips, else
// hostnames, sorted.
std::string ingressAddress(const Json& o) {
  std::vector<std::string> result;
  const Json& ingress = at(o, {"status", "loadBalancer", "ingress"});
  if (ingress.is_array()) {
    for (const Json& i : ingress) {
      std::string v = text(at(i, {"ip"}));
      if (v.empty()) v = text(at(i, {"hostname"}));
      if (!v.empty() && std::find(result.begin(), result.end(), v) == result.end()) {
        result.push_back(v);
      }
    }
  }
  std::sort(result.begin(), result.end());
  std::string out;
  for (const auto& r : result) out += (out.empty() ? "" : ",") + r;
  return out;
}

std::vector<Column> ingressColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Class", "string",
                 "The name of the IngressClass resource that should be used for additional "
                 "configuration",
                 [](const Json& o) {
                   const Json& cls = at(o, {"spec", "ingressClassName"});
                   return Json(cls.is_string() ? cls.get<std::string>() : "<none>");
                 }),
          column("Hosts", "string",
                 "Hosts that incoming requests are matched against before the ingress rule",
                 [](const Json& o) { return Json(ingressHosts(o)); }),
          column("Address", "string",
                 "Address is a list containing ingress points for the load-balancer",
                 [](const Json& o) { return Json(ingressAddress(o)); }),
          column("Ports", "string", "Ports of TLS configurations that open",
                 [](const Json& o) {
                   const Json& tls = at(o, {"spec", "tls"});
                   return Json(tls.is_array() && !tls.empty() ? "80, 443" : "80");
                 }),
          ageColumn(now)};
}

std::vector<Column> ingressClassColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Controller", "string", "Controller that is responsible for handling this class",
                 [](const Json& o) {
                   return Json(text(at(o, {"spec", "controller"})));
                 }),
          column("Parameters", "string", "A reference to a resource with additional parameters",
                 [](const Json& o) {
                   const Json& p = at(o, {"spec", "parameters"});
                   if (!p.is_object()) return Json("<none>");
                   std::string out = text(at(p, {"kind"}));
                   if (at(p, {"apiGroup"}).is_string()) out += "." + text(at(p, {"apiGroup"}));
                   return Json(out + "/" + text(at(p, {"name"})));
                 }),
          ageColumn(now)};
}

std::vector<Column> networkPolicyColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Pod-Selector", "string",
                 "Selects the pods to which this NetworkPolicy object applies. The array of "
                 "ingress rules is applied to any pods selected by this field. Multiple network "
                 "policies can select the same set of pods.  In this case, the ingress rules for "
                 "each are combined additively. This field is NOT optional and follows standard "
                 "label selector semantics. An empty podSelector matches all pods in this "
                 "namespace.",
                 [](const Json& o) {
                   return Json(selectorString(at(o, {"spec", "podSelector"})));
                 }),
          ageColumn(now)};
}

// ---- admissionregistration.k8s.io/v1 ----

std::vector<Column> webhookConfigurationColumns(Clock::time_point now) {
  return {nameColumn(),
          column("Webhooks", "integer",
                 "Webhooks indicates the number of webhooks registered in this configuration",
                 [](const Json& o) {
                   const Json& w = at(o, {"webhooks"});
                   return Json(w.is_array() ? static_cast<long long>(w.size()) : 0);
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
  if (kind.group == "autoscaling" && kind.kind == "HorizontalPodAutoscaler") {
    return horizontalPodAutoscalerColumns(now);
  }
  if (kind.group == "networking.k8s.io") {
    if (kind.kind == "Ingress") return ingressColumns(now);
    if (kind.kind == "IngressClass") return ingressClassColumns(now);
    if (kind.kind == "NetworkPolicy") return networkPolicyColumns(now);
  }
  if (kind.group == "admissionregistration.k8s.io" &&
      (kind.kind == "MutatingWebhookConfiguration" ||
       kind.kind == "ValidatingWebhookConfiguration")) {
    return webhookConfigurationColumns(now);
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
  if (kind.kind == "Node") return nodeColumns(now);
  if (kind.kind == "Endpoints") return endpointsColumns(now);
  if (kind.kind == "PersistentVolumeClaim") return persistentVolumeClaimColumns(now);
  if (kind.kind == "PersistentVolume") return persistentVolumeColumns(now);
  if (kind.kind == "ResourceQuota") return resourceQuotaColumns(now);
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
