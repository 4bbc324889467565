#include "kubesim/schema/builtin_validation.h"

#include <cmath>
#include <cstdint>

#include "kubesim/schema/field_error.h"
#include "kubesim/schema/pod_validation.h"
#include "kubesim/schema/structural.h"

namespace kubesim::schema {
namespace {

using detail::fieldInvalid;
using detail::goPlusV;
using detail::goQuote;

constexpr const char* kNegative = "must be greater than or equal to 0";

bool isApps(const KindInfo& kind, const char* name) {
  return !kind.isCustom && kind.group == "apps" && kind.kind == name;
}

bool hasPodTemplate(const KindInfo& kind) {
  return isApps(kind, "Deployment") || isApps(kind, "StatefulSet") || isApps(kind, "DaemonSet");
}

const Json& field(const Json& obj, const char* name) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(name);
  return it == obj.end() ? kNull : *it;
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

std::vector<Cause> validateBuiltinFields(const Json& obj, const KindInfo& kind) {
  if (isApps(kind, "Deployment")) return validateDeployment(obj);
  if (isApps(kind, "StatefulSet")) return validateStatefulSet(obj);
  if (isApps(kind, "DaemonSet")) return validateDaemonSet(obj);
  return {};
}

std::optional<std::string> builtinDecodeError(const Json& obj, const KindInfo& kind) {
  if (!hasPodTemplate(kind)) return std::nullopt;
  return podSpecQuantityError(field(field(field(obj, "spec"), "template"), "spec"));
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
