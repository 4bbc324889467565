// Table columns of the core/v1 kinds (table_cells.h), as the real printers define them: Pod,
// Service, Node, Endpoints, PersistentVolumeClaim, PersistentVolume, ResourceQuota and Event,
// with the cells they derive from status (node roles and readiness, endpoint addresses, access
// modes, quota usage).

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kubesim/schema/table_cells.h"

namespace kubesim::schema::detail {

// ---- core/v1 Pod ----

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

// ---- core/v1 Service ----

namespace {

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

}  // namespace

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

// ---- core/v1 Node ----

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

// ---- core/v1 Event ----

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

}  // namespace kubesim::schema::detail
