#include "kubesim/schema/builtin_validation.h"

#include <cmath>
#include <cstdint>

#include "kubesim/schema/field_error.h"
#include "kubesim/schema/pod_validation.h"
#include "kubesim/schema/quantity.h"
#include "kubesim/schema/structural.h"

namespace kubesim::schema {
namespace {

using detail::fieldInvalid;
using detail::fieldNotSupported;
using detail::fieldRequired;
using detail::goPlusV;
using detail::goQuote;
using detail::goStringMap;

constexpr const char* kNegative = "must be greater than or equal to 0";

bool isApps(const KindInfo& kind, const char* name) {
  return !kind.isCustom && kind.group == "apps" && kind.kind == name;
}

bool isKind(const KindInfo& kind, const char* group, const char* name) {
  return !kind.isCustom && kind.group == group && kind.kind == name;
}

bool hasPodTemplate(const KindInfo& kind) {
  return isApps(kind, "Deployment") || isApps(kind, "StatefulSet") || isApps(kind, "DaemonSet") ||
         isKind(kind, "batch", "Job") || isKind(kind, "batch", "CronJob");
}

const Json& field(const Json& obj, const char* name) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(name);
  return it == obj.end() ? kNull : *it;
}

// The pod spec of a kind's template: spec.template.spec, a CronJob's
// spec.jobTemplate.spec.template.spec.
const Json& templatePodSpec(const Json& obj, const KindInfo& kind) {
  const Json& spec = field(obj, "spec");
  const Json& jobSpec =
      isKind(kind, "batch", "CronJob") ? field(field(spec, "jobTemplate"), "spec") : spec;
  return field(field(jobSpec, "template"), "spec");
}

// An integer field as Go decodes it; nullopt when absent or null. Out-of-range values clamp.
std::optional<std::int64_t> integer(const Json& obj, const char* name) {
  const Json& v = field(obj, name);
  if (!v.is_number()) return std::nullopt;
  if (v.is_number_unsigned()) {
    return v.get<std::uint64_t>() > INT64_MAX ? INT64_MAX : v.get<std::int64_t>();
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  const double d = v.get<double>();
  if (std::isnan(d)) return std::nullopt;
  if (d >= 9.2e18) return INT64_MAX;
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

void nonNegative(const Json& spec, const char* name, std::vector<Cause>& out) {
  if (auto v = integer(spec, name); v && *v < 0) {
    out.push_back(fieldInvalid(std::string("spec.") + name, std::to_string(*v), kNegative));
  }
}

// Cuts `text` after `limit` bytes (at a UTF-8 character boundary) and marks the cut.
std::string bounded(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace

std::vector<Cause> validateDeployment(const Json& deployment) {
  std::vector<Cause> out;
  const Json& spec = field(deployment, "spec");
  nonNegative(spec, "replicas", out);
  auto tmpl =
      validateWorkloadTemplate(field(spec, "template"), field(spec, "selector"), "spec.template");
  out.insert(out.end(), tmpl.begin(), tmpl.end());
  nonNegative(spec, "minReadySeconds", out);
  nonNegative(spec, "revisionHistoryLimit", out);
  if (auto deadline = integer(spec, "progressDeadlineSeconds")) {
    nonNegative(spec, "progressDeadlineSeconds", out);
    if (*deadline <= integer(spec, "minReadySeconds").value_or(0)) {
      out.push_back(fieldInvalid("spec.progressDeadlineSeconds", std::to_string(*deadline),
                                 "must be greater than minReadySeconds"));
    }
  }
  return out;
}

std::vector<Cause> validateStatefulSet(const Json& statefulSet) {
  std::vector<Cause> out;
  const Json& spec = field(statefulSet, "spec");
  nonNegative(spec, "replicas", out);
  const Json& strategy = field(spec, "updateStrategy");
  if (field(strategy, "type") == "OnDelete" && field(strategy, "rollingUpdate").is_object()) {
    out.push_back(fieldInvalid("spec.updateStrategy.rollingUpdate",
                               goPlusV(field(strategy, "rollingUpdate")),
                               "only allowed for updateStrategy 'RollingUpdate'"));
  }
  if (auto partition = integer(field(strategy, "rollingUpdate"), "partition");
      partition && *partition < 0) {
    out.push_back(fieldInvalid("spec.updateStrategy.rollingUpdate.partition",
                               std::to_string(*partition), kNegative));
  }
  auto tmpl =
      validateWorkloadTemplate(field(spec, "template"), field(spec, "selector"), "spec.template");
  out.insert(out.end(), tmpl.begin(), tmpl.end());
  nonNegative(spec, "minReadySeconds", out);
  nonNegative(spec, "revisionHistoryLimit", out);
  return out;
}

std::vector<Cause> validateDaemonSet(const Json& daemonSet) {
  std::vector<Cause> out;
  const Json& spec = field(daemonSet, "spec");
  auto tmpl =
      validateWorkloadTemplate(field(spec, "template"), field(spec, "selector"), "spec.template");
  out.insert(out.end(), tmpl.begin(), tmpl.end());
  const Json& rolling = field(field(spec, "updateStrategy"), "rollingUpdate");
  auto zero = [&](const char* name) {
    const Json& v = field(rolling, name);
    return (v.is_number() && v == 0) || v == "0%";
  };
  if (rolling.is_object() && zero("maxUnavailable") && zero("maxSurge")) {
    out.push_back(fieldInvalid("spec.updateStrategy.rollingUpdate.maxUnavailable",
                               field(rolling, "maxUnavailable").is_string() ? "\"0%\"" : "0",
                               "may not be 0 when `maxSurge` is 0"));
  }
  nonNegative(spec, "minReadySeconds", out);
  nonNegative(spec, "revisionHistoryLimit", out);
  return out;
}

namespace {

// validateJobSpec's template rules (pkg/apis/batch/validation): the pod spec, then a
// restartPolicy of OnFailure or Never (an empty one was defaulted to Always). `path` is the
// JobSpec's: "spec", or a CronJob's "spec.jobTemplate.spec".
void validateJobTemplate(const Json& jobSpec, const std::string& path, std::vector<Cause>& out) {
  const Json& podSpec = field(field(jobSpec, "template"), "spec");
  const std::string specPath = path + ".template.spec";
  auto pod = validatePodSpec(podSpec, specPath);
  out.insert(out.end(), pod.begin(), pod.end());
  const Json& policy = field(podSpec, "restartPolicy");
  const std::string value = policy.is_string() ? policy.get<std::string>() : "";
  if (value != "OnFailure" && value != "Never") {
    out.push_back(
        fieldNotSupported(specPath + ".restartPolicy", goQuote(value), {"OnFailure", "Never"}));
  }
}

// fmt's %#v of a pointer field inside a struct: (*T)(nil), or (*T)(0x...) when set. The real
// message shows the Go heap address; kubesim shows a fixed one.
std::string goPointer(const char* type, const Json& value, const char* address) {
  return std::string("(*") + type + ")(" + (value.is_null() ? "nil" : address) + ")";
}

// fmt's %#v of the internal policy.PodDisruptionBudgetSpec, as field.Invalid renders it.
std::string goPodDisruptionBudgetSpec(const Json& spec) {
  return "policy.PodDisruptionBudgetSpec{MinAvailable:" +
         goPointer("intstr.IntOrString", field(spec, "minAvailable"), "0xc000a1e000") +
         ", Selector:" + goPointer("v1.LabelSelector", field(spec, "selector"), "0xc000a1e020") +
         ", MaxUnavailable:" +
         goPointer("intstr.IntOrString", field(spec, "maxUnavailable"), "0xc000a1e040") +
         ", UnhealthyPodEvictionPolicy:" +
         goPointer("policy.UnhealthyPodEvictionPolicyType",
                   field(spec, "unhealthyPodEvictionPolicy"), "0xc000a1e060") +
         "}";
}

std::vector<Cause> validateJob(const Json& job) {
  std::vector<Cause> out;
  validateJobTemplate(field(job, "spec"), "spec", out);
  return out;
}

std::vector<Cause> validateCronJob(const Json& cronJob) {
  std::vector<Cause> out;
  const Json& spec = field(cronJob, "spec");
  if (const Json& schedule = field(spec, "schedule");
      !schedule.is_string() || schedule.get<std::string>().empty()) {
    out.push_back(fieldRequired("spec.schedule"));
  }
  validateJobTemplate(field(field(spec, "jobTemplate"), "spec"), "spec.jobTemplate.spec", out);
  return out;
}

std::vector<Cause> validatePodDisruptionBudget(const Json& pdb) {
  std::vector<Cause> out;
  const Json& spec = field(pdb, "spec");
  if (!field(spec, "minAvailable").is_null() && !field(spec, "maxUnavailable").is_null()) {
    out.push_back(fieldInvalid("spec", goPodDisruptionBudgetSpec(spec),
                               "minAvailable and maxUnavailable cannot be both set"));
  }
  return out;
}

// validateIngressSpec's checks that ordinary manifests trip over: a default backend or rules,
// and each HTTP path's pathType (and an absolute path for Exact and Prefix).
std::vector<Cause> validateIngress(const Json& ingress) {
  std::vector<Cause> out;
  const Json& spec = field(ingress, "spec");
  const Json& rules = field(spec, "rules");
  if ((!rules.is_array() || rules.empty()) && field(spec, "defaultBackend").is_null()) {
    out.push_back(fieldInvalid(
        "spec", std::string("[]networking.IngressRule") + (rules.is_array() ? "{}" : "(nil)"),
        "either `defaultBackend` or `rules` must be specified"));
  }
  if (!rules.is_array()) return out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Json& paths = field(field(rules[i], "http"), "paths");
    if (!paths.is_array()) continue;
    for (std::size_t j = 0; j < paths.size(); ++j) {
      const std::string at =
          "spec.rules[" + std::to_string(i) + "].http.paths[" + std::to_string(j) + "]";
      const Json& type = field(paths[j], "pathType");
      if (!type.is_string()) {
        out.push_back(fieldRequired(at + ".pathType", "pathType must be specified"));
        continue;
      }
      const Json& path = field(paths[j], "path");
      const std::string value = path.is_string() ? path.get<std::string>() : "";
      if ((type == "Exact" || type == "Prefix") && !value.starts_with("/")) {
        out.push_back(fieldInvalid(at + ".path", goQuote(value), "must be an absolute path"));
      }
    }
  }
  return out;
}

// The first quantity in a resource list (map of quantities) the decoder refuses.
std::optional<std::string> resourceListError(const Json& list) {
  if (!list.is_object()) return std::nullopt;
  for (const Json& value : list) {
    if (auto q = decodeQuantity(value); !q) return q.error();
  }
  return std::nullopt;
}

// The resource lists of the core kinds that hold them, in the order their fields decode.
std::optional<std::string> resourceListsError(const Json& obj, const KindInfo& kind) {
  std::vector<const Json*> lists;
  const Json& spec = field(obj, "spec");
  const Json& status = field(obj, "status");
  if (isKind(kind, "", "ResourceQuota")) {
    lists = {&field(spec, "hard"), &field(status, "hard"), &field(status, "used")};
  } else if (isKind(kind, "", "PersistentVolumeClaim")) {
    const Json& resources = field(spec, "resources");
    lists = {&field(resources, "limits"), &field(resources, "requests"), &field(status, "capacity"),
             &field(status, "allocatedResources")};
  } else if (isKind(kind, "", "PersistentVolume")) {
    lists = {&field(spec, "capacity")};
  } else if (isKind(kind, "", "Node")) {
    lists = {&field(status, "capacity"), &field(status, "allocatable")};
  } else if (isKind(kind, "", "LimitRange")) {
    const Json& limits = field(spec, "limits");
    if (limits.is_array()) {
      for (const Json& item : limits) {
        for (const char* key :
             {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"}) {
          lists.push_back(&field(item, key));
        }
      }
    }
  }
  for (const Json* list : lists) {
    if (auto e = resourceListError(*list)) return e;
  }
  return std::nullopt;
}

// fmt's %#v of a metav1.LabelSelector, as field.Invalid renders an immutable selector.
std::string goLabelSelector(const Json& selector) {
  const Json& labels = field(selector, "matchLabels");
  const Json& expressions = field(selector, "matchExpressions");
  std::string exprs = "[]v1.LabelSelectorRequirement(nil)";
  if (expressions.is_array()) {
    std::string items;
    for (const Json& e : expressions) {
      std::string values = "[]string(nil)";
      if (field(e, "values").is_array()) {
        std::string vs;
        for (const Json& v : field(e, "values")) {
          vs += (vs.empty() ? "" : ", ") + goQuote(v.is_string() ? v.get<std::string>() : "");
        }
        values = "[]string{" + vs + "}";
      }
      const auto text = [&](const char* key) {
        return goQuote(field(e, key).is_string() ? field(e, key).get<std::string>() : "");
      };
      items += (items.empty() ? "" : ", ") + std::string("v1.LabelSelectorRequirement{Key:") +
               text("key") + ", Operator:" + text("operator") + ", Values:" + values + "}";
    }
    exprs = "[]v1.LabelSelectorRequirement{" + items + "}";
  }
  return "v1.LabelSelector{MatchLabels:" + goStringMap(labels) + ", MatchExpressions:" + exprs +
         "}";
}

std::string stringOf(const Json& obj, const char* key) {
  const Json& v = field(obj, key);
  return v.is_string() ? v.get<std::string>() : "";
}

// The spec of a StatefulSet without the fields an update may change.
Json frozenStatefulSetSpec(const Json& statefulSet) {
  Json spec = field(statefulSet, "spec");
  if (!spec.is_object()) return spec;
  for (const char* key : {"replicas", "ordinals", "template", "updateStrategy",
                          "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}) {
    spec.erase(key);
  }
  return spec;
}

}  // namespace

std::vector<Cause> validateBuiltinUpdate(const Json& old, const Json& next, const KindInfo& kind) {
  std::vector<Cause> out;
  if (isApps(kind, "StatefulSet")) {
    if (frozenStatefulSetSpec(old) != frozenStatefulSetSpec(next)) {
      out.push_back({"FieldValueForbidden",
                     "Forbidden: updates to statefulset spec for fields other than 'replicas', "
                     "'ordinals', 'template', 'updateStrategy', "
                     "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                     "spec"});
    }
  } else if (isApps(kind, "Deployment") || isApps(kind, "DaemonSet")) {
    const Json& selector = field(field(next, "spec"), "selector");
    if (selector != field(field(old, "spec"), "selector")) {
      out.push_back(fieldInvalid("spec.selector", goLabelSelector(selector), "field is immutable"));
    }
  } else if (!kind.isCustom && kind.group == "rbac.authorization.k8s.io" &&
             (kind.kind == "RoleBinding" || kind.kind == "ClusterRoleBinding")) {
    const Json& ref = field(next, "roleRef");
    if (ref != field(old, "roleRef")) {
      out.push_back(fieldInvalid("roleRef",
                                 "rbac.RoleRef{APIGroup:" + goQuote(stringOf(ref, "apiGroup")) +
                                     ", Kind:" + goQuote(stringOf(ref, "kind")) +
                                     ", Name:" + goQuote(stringOf(ref, "name")) + "}",
                                 "cannot change roleRef"));
    }
  }
  return out;
}

std::vector<Cause> validateBuiltinFields(const Json& obj, const KindInfo& kind) {
  if (isApps(kind, "Deployment")) return validateDeployment(obj);
  if (isApps(kind, "StatefulSet")) return validateStatefulSet(obj);
  if (isApps(kind, "DaemonSet")) return validateDaemonSet(obj);
  if (isKind(kind, "batch", "Job")) return validateJob(obj);
  if (isKind(kind, "batch", "CronJob")) return validateCronJob(obj);
  if (isKind(kind, "policy", "PodDisruptionBudget")) return validatePodDisruptionBudget(obj);
  if (isKind(kind, "networking.k8s.io", "Ingress")) return validateIngress(obj);
  return {};
}

std::optional<std::string> builtinDecodeError(const Json& obj, const KindInfo& kind) {
  if (auto e = resourceListsError(obj, kind)) return e;
  if (!hasPodTemplate(kind)) return std::nullopt;
  return podSpecQuantityError(templatePodSpec(obj, kind));
}

ApiError decodeBadRequest(const KindInfo& kind, const std::string& error) {
  return badRequest(kind.kind + " in version " + goQuote(kind.version) +
                    " cannot be handled as a " + kind.kind + ": " + error);
}

ApiError patchDecodeInvalid(const std::string& value, const std::string& error) {
  return invalidError("", "", "",
                      {fieldInvalid("patch", goQuote(bounded(value, kPatchValueLimit)), error)});
}

std::string patchMapText(const Json& patch) { return goPlusV(patch); }

}  // namespace kubesim::schema
