#include "kubesim/schema/pod_validation.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include "kubesim/schema/field_error.h"
#include "kubesim/schema/name_rules.h"
#include "kubesim/schema/quantity.h"
#include "kubesim/schema/selectors.h"

namespace kubesim::schema {
namespace {

using detail::fieldDuplicate;
using detail::fieldForbidden;
using detail::fieldInvalid;
using detail::fieldNotFound;
using detail::fieldNotSupported;
using detail::fieldRequired;
using detail::goQuote;
using detail::goStringMap;

using Causes = std::vector<Cause>;

constexpr const char* kNegative = "must be greater than or equal to 0";

std::string child(const std::string& path, const char* name) { return path + "." + name; }
std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
std::string key(const std::string& path, const std::string& k) { return path + "[" + k + "]"; }

const Json* member(const Json& obj, const char* name) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(name);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string str(const Json& obj, const char* name) {
  const Json* v = member(obj, name);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

const Json& listOf(const Json& obj, const char* name) {
  static const Json kEmpty = Json::array();
  const Json* v = member(obj, name);
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

// An integer field as Go decodes it (0 when absent); large or fractional values are clamped.
std::int64_t integer(const Json& obj, const char* name) {
  const Json* v = member(obj, name);
  if (v == nullptr || !v->is_number()) return 0;
  if (v->is_number_unsigned()) {
    return v->get<std::uint64_t>() > INT64_MAX ? INT64_MAX : v->get<std::int64_t>();
  }
  if (v->is_number_integer()) return v->get<std::int64_t>();
  const double d = v->get<double>();
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return INT64_MAX;
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

void dnsLabel(const std::string& value, const std::string& path, Causes& out) {
  for (const auto& msg : isDNS1123Label(value))
    out.push_back(fieldInvalid(path, goQuote(value), msg));
}

// validateVolumeSource: (JSON key, the child name the real code reports "more than 1" against).
constexpr std::array<std::pair<const char*, const char*>, 29> kVolumeSources = {{
    {"emptyDir", "emptyDir"},
    {"hostPath", "hostPath"},
    {"gitRepo", "gitRepo"},
    {"gcePersistentDisk", "gcePersistentDisk"},
    {"awsElasticBlockStore", "awsElasticBlockStore"},
    {"secret", "secret"},
    {"nfs", "nfs"},
    {"iscsi", "iscsi"},
    {"glusterfs", "glusterfs"},
    {"flocker", "flocker"},
    {"persistentVolumeClaim", "persistentVolumeClaim"},
    {"rbd", "rbd"},
    {"cinder", "cinder"},
    {"cephfs", "cephFS"},
    {"quobyte", "quobyte"},
    {"downwardAPI", "downwarAPI"},  // sic: the real field path has this typo
    {"fc", "fc"},
    {"flexVolume", "flexVolume"},
    {"configMap", "configMap"},
    {"azureFile", "azureFile"},
    {"vsphereVolume", "vsphereVolume"},
    {"photonPersistentDisk", "photonPersistentDisk"},
    {"portworxVolume", "portworxVolume"},
    {"azureDisk", "azureDisk"},
    {"storageos", "storageos"},
    {"projected", "projected"},
    {"scaleIO", "scaleIO"},
    {"csi", "csi"},
    {"ephemeral", "ephemeral"},
    // "image" needs the ImageVolume feature gate (off in 1.32): the real server drops it.
}};

Causes volumeSource(const Json& volume, const std::string& path) {
  Causes out;
  int sources = 0;
  for (const auto& [field, reported] : kVolumeSources) {
    if (member(volume, field) == nullptr) continue;
    if (sources++ > 0) {
      out.push_back(
          fieldForbidden(child(path, reported), "may not specify more than 1 volume type"));
    }
  }
  if (sources == 0) out.push_back(fieldRequired(path, "must specify a volume type"));
  return out;
}

// ValidateVolumes: the names of the volumes that validated (only those can be mounted).
std::set<std::string> validateVolumes(const Json& volumes, const std::string& path, Causes& out) {
  std::set<std::string> names;
  for (size_t i = 0; i < volumes.size(); ++i) {
    const Json& v = volumes[i];
    const std::string at = index(path, i);
    const std::string name = str(v, "name");
    Causes errs = volumeSource(v, at);
    if (name.empty()) {
      errs.push_back(fieldRequired(child(at, "name")));
    } else {
      dnsLabel(name, child(at, "name"), errs);
    }
    if (names.contains(name)) errs.push_back(fieldDuplicate(child(at, "name"), goQuote(name)));
    if (errs.empty()) {
      names.insert(name);
    } else {
      out.insert(out.end(), errs.begin(), errs.end());
    }
  }
  return names;
}

void validatePorts(const Json& ports, const std::string& path, Causes& out) {
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& p = ports[i];
    const std::string at = index(path, i);
    if (const std::string name = str(p, "name"); !name.empty()) {
      auto msgs = isValidPortName(name);
      for (const auto& msg : msgs)
        out.push_back(fieldInvalid(child(at, "name"), goQuote(name), msg));
      if (msgs.empty() && names.contains(name)) {
        out.push_back(fieldDuplicate(child(at, "name"), goQuote(name)));
      } else if (msgs.empty()) {
        names.insert(name);
      }
    }
    if (const std::int64_t port = integer(p, "containerPort"); port == 0) {
      out.push_back(fieldRequired(child(at, "containerPort")));
    } else {
      for (const auto& msg : isValidPortNum(port)) {
        out.push_back(fieldInvalid(child(at, "containerPort"), std::to_string(port), msg));
      }
    }
    if (const std::int64_t port = integer(p, "hostPort"); port != 0) {
      for (const auto& msg : isValidPortNum(port)) {
        out.push_back(fieldInvalid(child(at, "hostPort"), std::to_string(port), msg));
      }
    }
  }
}

void validateEnv(const Json& env, const std::string& path, Causes& out) {
  for (size_t i = 0; i < env.size(); ++i) {
    const std::string at = child(index(path, i), "name");
    const std::string name = str(env[i], "name");
    if (name.empty()) {
      out.push_back(fieldRequired(at));
      continue;
    }
    for (const auto& msg : isRelaxedEnvVarName(name)) {
      out.push_back(fieldInvalid(at, goQuote(name), msg));
    }
  }
}

void validateVolumeMounts(const Json& mounts, const std::set<std::string>& volumes,
                          const std::string& path, Causes& out) {
  std::set<std::string> mountPoints;
  for (size_t i = 0; i < mounts.size(); ++i) {
    const std::string at = index(path, i);
    const std::string name = str(mounts[i], "name");
    const std::string mountPath = str(mounts[i], "mountPath");
    if (name.empty()) out.push_back(fieldRequired(child(at, "name")));
    if (!volumes.contains(name)) out.push_back(fieldNotFound(child(at, "name"), goQuote(name)));
    if (mountPath.empty()) out.push_back(fieldRequired(child(at, "mountPath")));
    if (mountPoints.contains(mountPath)) {
      out.push_back(fieldInvalid(child(at, "mountPath"), goQuote(mountPath), "must be unique"));
    }
    mountPoints.insert(mountPath);
  }
}

bool isHugePages(const std::string& name) { return name.starts_with("hugepages-"); }
bool isCpuOrMemory(const std::string& name) { return name == "cpu" || name == "memory"; }
// helper.IsOvercommitAllowed: native resources except huge pages.
bool overcommitAllowed(const std::string& name) {
  const bool native =
      name.find('/') == std::string::npos || name.find("kubernetes.io/") != std::string::npos;
  return native && !isHugePages(name);
}

// validateResourceRequirements (quantities were decoded before validation runs; values that do
// not decode are skipped here). Go iterates the maps in random order; kubesim uses key order.
void validateResources(const Json& resources, const std::string& path, Causes& out) {
  const std::string limPath = child(path, "limits");
  const std::string reqPath = child(path, "requests");
  std::map<std::string, Quantity> limits;
  bool cpuOrMemory = false;
  bool hugePages = false;
  if (const Json* l = member(resources, "limits"); l != nullptr && l->is_object()) {
    for (const auto& [name, value] : l->items()) {
      auto q = decodeQuantity(value);
      if (!q) continue;
      if (isNegative(*q)) {
        out.push_back(fieldInvalid(key(limPath, name), goQuote(canonicalQuantity(*q)), kNegative));
      }
      hugePages = hugePages || isHugePages(name);
      cpuOrMemory = cpuOrMemory || isCpuOrMemory(name);
      limits.emplace(name, *q);
    }
  }
  if (const Json* r = member(resources, "requests"); r != nullptr && r->is_object()) {
    for (const auto& [name, value] : r->items()) {
      auto q = decodeQuantity(value);
      if (!q) continue;
      const std::string shown = goQuote(canonicalQuantity(*q));
      if (isNegative(*q)) out.push_back(fieldInvalid(key(reqPath, name), shown, kNegative));
      if (auto limit = limits.find(name); limit != limits.end()) {
        const int cmp = compareQuantity(*q, limit->second);
        const std::string limitText = canonicalQuantity(limit->second);
        if (cmp != 0 && !overcommitAllowed(name)) {
          out.push_back(
              fieldInvalid(reqPath, shown, "must be equal to " + name + " limit of " + limitText));
        } else if (cmp > 0) {
          out.push_back(fieldInvalid(
              reqPath, shown, "must be less than or equal to " + name + " limit of " + limitText));
        }
      } else if (!overcommitAllowed(name)) {
        out.push_back(fieldRequired(limPath, "Limit must be set for non overcommitable resources"));
      }
      hugePages = hugePages || isHugePages(name);
      cpuOrMemory = cpuOrMemory || isCpuOrMemory(name);
    }
  }
  if (hugePages && !cpuOrMemory)
    out.push_back(fieldForbidden(path, "HugePages require cpu or memory"));
}

// validateContainerCommon: what regular and init containers share.
void validateContainer(const Json& c, const std::string& path, const std::set<std::string>& volumes,
                       Causes& out) {
  const std::string name = str(c, "name");
  if (name.empty()) {
    out.push_back(fieldRequired(child(path, "name")));
  } else {
    dnsLabel(name, child(path, "name"), out);
  }
  if (str(c, "image").empty()) out.push_back(fieldRequired(child(path, "image")));
  validatePorts(listOf(c, "ports"), child(path, "ports"), out);
  validateEnv(listOf(c, "env"), child(path, "env"), out);
  validateVolumeMounts(listOf(c, "volumeMounts"), volumes, child(path, "volumeMounts"), out);
  if (const Json* r = member(c, "resources"); r != nullptr && r->is_object()) {
    validateResources(*r, child(path, "resources"), out);
  }
}

std::optional<std::string> resourcesQuantityError(const Json& container) {
  const Json* resources = member(container, "resources");
  if (resources == nullptr) return std::nullopt;
  for (const char* section : {"limits", "requests"}) {
    const Json* m = member(*resources, section);
    if (m == nullptr || !m->is_object()) continue;
    for (const auto& [name, value] : m->items()) {
      if (auto q = decodeQuantity(value); !q) return q.error();
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Cause> validatePodSpec(const Json& podSpec, const std::string& path) {
  Causes out;
  if (!podSpec.is_object()) return out;
  const auto volumes = validateVolumes(listOf(podSpec, "volumes"), child(path, "volumes"), out);

  const Json& containers = listOf(podSpec, "containers");
  std::set<std::string> names;
  if (containers.empty()) out.push_back(fieldRequired(child(path, "containers")));
  for (size_t i = 0; i < containers.size(); ++i) {
    const std::string at = index(child(path, "containers"), i);
    validateContainer(containers[i], at, volumes, out);
    const std::string name = str(containers[i], "name");
    if (names.contains(name)) {
      out.push_back(fieldDuplicate(child(at, "name"), goQuote(name)));
    } else {
      names.insert(name);
    }
  }

  const Json& inits = listOf(podSpec, "initContainers");
  for (size_t i = 0; i < inits.size(); ++i) {
    const std::string at = index(child(path, "initContainers"), i);
    validateContainer(inits[i], at, volumes, out);
    const std::string name = str(inits[i], "name");
    if (names.contains(name)) {
      out.push_back(fieldDuplicate(child(at, "name"), goQuote(name)));
    } else if (!name.empty()) {
      names.insert(name);
    }
  }
  return out;
}

std::vector<Cause> validateWorkloadTemplate(const Json& podTemplate, const Json& selector,
                                            const std::string& path) {
  Causes out;
  if (!podTemplate.is_object()) return {fieldRequired(path)};
  const Json* metadata = member(podTemplate, "metadata");
  const Json* labels = metadata != nullptr ? member(*metadata, "labels") : nullptr;
  if (auto parsed = LabelSelector::fromJson(selector); parsed && !parsed->empty()) {
    if (!parsed->matches(labels != nullptr ? *labels : Json())) {
      out.push_back(fieldInvalid(child(child(path, "metadata"), "labels"),
                                 goStringMap(labels != nullptr ? *labels : Json()),
                                 "`selector` does not match template `labels`"));
    }
  }
  static const Json kNoSpec = Json::object();
  const Json* spec = member(podTemplate, "spec");
  const Json& podSpec = spec != nullptr ? *spec : kNoSpec;
  const std::string specPath = child(path, "spec");
  auto podCauses = validatePodSpec(podSpec, specPath);
  out.insert(out.end(), podCauses.begin(), podCauses.end());
  // The real server defaults an empty restartPolicy to Always before validating.
  if (const std::string policy = str(podSpec, "restartPolicy");
      !policy.empty() && policy != "Always") {
    out.push_back(fieldNotSupported(child(specPath, "restartPolicy"), goQuote(policy), {"Always"}));
  }
  if (member(podSpec, "activeDeadlineSeconds") != nullptr) {
    out.push_back(fieldForbidden(child(specPath, "activeDeadlineSeconds"),
                                 "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return out;
}

std::optional<std::string> podSpecQuantityError(const Json& podSpec) {
  for (const char* list : {"containers", "initContainers"}) {
    for (const Json& c : listOf(podSpec, list)) {
      if (auto e = resourcesQuantityError(c)) return e;
    }
  }
  return std::nullopt;
}

}  // namespace kubesim::schema
