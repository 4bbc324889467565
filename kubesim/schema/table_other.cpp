// Table columns of the kinds outside core/v1 and the workload groups (table_cells.h), as the
// real printers define them: autoscaling/v2 HorizontalPodAutoscaler (with its metric targets),
// networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy, admissionregistration.k8s.io/v1
// webhook configurations, and rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "kubesim/schema/table_cells.h"

namespace kubesim::schema::detail {

// ---- autoscaling/v2 HorizontalPodAutoscaler ----

namespace {

// (*Quantity).String() of an optional quantity: "<nil>" when absent.
std::string quantityPointerCell(const Json& v) { return v.is_null() ? "<nil>" : quantityCell(v); }

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

}  // namespace

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

namespace {

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

}  // namespace

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

// ---- rbac.authorization.k8s.io/v1 ----

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

}  // namespace kubesim::schema::detail
