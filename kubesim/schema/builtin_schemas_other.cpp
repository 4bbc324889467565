// OpenAPI v3 schemas of the built-in kinds outside core/v1 and the workload groups
// (schema_builders.h): autoscaling/v2 HorizontalPodAutoscaler, networking.k8s.io/v1 Ingress,
// IngressClass and NetworkPolicy, admissionregistration.k8s.io/v1 webhook configurations,
// coordination.k8s.io/v1 Lease, rbac.authorization.k8s.io/v1 roles and bindings,
// authorization.k8s.io/v1 self-subject reviews and apiextensions.k8s.io/v1
// CustomResourceDefinition.

#include <string_view>

#include "kubesim/schema/schema_builders.h"

namespace kubesim::schema::detail {

namespace {

// ---- autoscaling/v2 HorizontalPodAutoscaler ----

Json crossVersionObjectReference() {
  return obj({{"kind", str()}, {"name", str()}, {"apiVersion", str()}});
}

Json metricIdentifier() { return obj({{"name", str()}, {"selector", labelSelector()}}); }

Json metricTarget() {
  return obj({{"type", str()},
              {"value", quantity()},
              {"averageValue", quantity()},
              {"averageUtilization", integer()}});
}

Json metricValueStatus() {
  return obj(
      {{"value", quantity()}, {"averageValue", quantity()}, {"averageUtilization", integer()}});
}

Json metricSpec() {
  const Json target = metricTarget();
  return obj(
      {{"type", str()},
       {"object", obj({{"describedObject", crossVersionObjectReference()},
                       {"target", target},
                       {"metric", metricIdentifier()}})},
       {"pods", obj({{"metric", metricIdentifier()}, {"target", target}})},
       {"resource", obj({{"name", str()}, {"target", target}})},
       {"containerResource", obj({{"name", str()}, {"target", target}, {"container", str()}})},
       {"external", obj({{"metric", metricIdentifier()}, {"target", target}})}});
}

Json metricStatus() {
  const Json current = metricValueStatus();
  return obj(
      {{"type", str()},
       {"object", obj({{"metric", metricIdentifier()},
                       {"current", current},
                       {"describedObject", crossVersionObjectReference()}})},
       {"pods", obj({{"metric", metricIdentifier()}, {"current", current}})},
       {"resource", obj({{"name", str()}, {"current", current}})},
       {"containerResource", obj({{"name", str()}, {"current", current}, {"container", str()}})},
       {"external", obj({{"metric", metricIdentifier()}, {"current", current}})}});
}

Json horizontalPodAutoscalerSpec() {
  Json rules =
      obj({{"stabilizationWindowSeconds", integer()},
           {"selectPolicy", str()},
           {"policies",
            atomicArr(obj({{"type", str()}, {"value", integer()}, {"periodSeconds", integer()}}))},
           {"tolerance", quantity()}});
  return obj({{"scaleTargetRef", crossVersionObjectReference()},
              {"minReplicas", integer()},
              {"maxReplicas", integer()},
              {"metrics", atomicArr(metricSpec())},
              {"behavior", obj({{"scaleUp", rules}, {"scaleDown", rules}})}});
}

Json horizontalPodAutoscalerStatus() {
  // currentMetrics has no omitempty: a fresh status shows it as null.
  Json currentMetrics = atomicArr(metricStatus());
  currentMetrics["nullable"] = true;
  return obj({{"observedGeneration", integer()},
              {"lastScaleTime", nullableStr()},
              {"currentReplicas", integer()},
              {"desiredReplicas", integer()},
              {"currentMetrics", currentMetrics},
              {"conditions", keyedList(condition(), {"type"})}});
}

// ---- networking.k8s.io/v1 ----

Json ingressBackend() {
  return obj(
      {{"service", obj({{"name", str()}, {"port", obj({{"name", str()}, {"number", integer()}})}})},
       {"resource", obj({{"apiGroup", str()}, {"kind", str()}, {"name", str()}})}});
}

Json ingressSpec() {
  Json path = obj({{"path", str()},
                   {"pathType", enumStr({"Exact", "ImplementationSpecific", "Prefix"})},
                   {"backend", ingressBackend()}});
  Json rule = obj({{"host", str()}, {"http", obj({{"paths", atomicArr(path)}})}});
  return obj({{"ingressClassName", str()},
              {"defaultBackend", ingressBackend()},
              {"tls", atomicArr(obj({{"hosts", strList()}, {"secretName", str()}}))},
              {"rules", atomicArr(rule)}});
}

Json ingressStatus() {
  Json port = obj({{"port", integer()}, {"protocol", str()}, {"error", str()}});
  Json ingress = obj({{"ip", str()}, {"hostname", str()}, {"ports", atomicArr(port)}});
  return obj({{"loadBalancer", obj({{"ingress", atomicArr(ingress)}})}});
}

Json ingressClassSpec() {
  return obj({{"controller", str()},
              {"parameters", obj({{"apiGroup", str()},
                                  {"kind", str()},
                                  {"name", str()},
                                  {"scope", str()},
                                  {"namespace", str()}})}});
}

Json networkPolicySpec() {
  Json port = obj({{"protocol", enumStr({"SCTP", "TCP", "UDP"})},
                   {"port", intOrString()},
                   {"endPort", integer()}});
  Json peer = obj({{"podSelector", labelSelector()},
                   {"namespaceSelector", labelSelector()},
                   {"ipBlock", obj({{"cidr", str()}, {"except", strList()}})}});
  return obj({{"podSelector", labelSelector()},
              {"ingress", atomicArr(obj({{"ports", atomicArr(port)}, {"from", atomicArr(peer)}}))},
              {"egress", atomicArr(obj({{"ports", atomicArr(port)}, {"to", atomicArr(peer)}}))},
              {"policyTypes", strList()}});
}

// ---- admissionregistration.k8s.io/v1 ----

Json webhook(bool mutating) {
  Json clientConfig =
      obj({{"url", str()},
           {"service",
            obj({{"namespace", str()}, {"name", str()}, {"path", str()}, {"port", integer()}})},
           {"caBundle", str()}});
  Json rule = obj({{"operations", strList()},
                   {"apiGroups", strList()},
                   {"apiVersions", strList()},
                   {"resources", strList()},
                   {"scope", str()}});
  Json w =
      obj({{"name", str()},
           {"clientConfig", clientConfig},
           {"rules", atomicArr(rule)},
           {"failurePolicy", str()},
           {"matchPolicy", str()},
           {"namespaceSelector", labelSelector()},
           {"objectSelector", labelSelector()},
           {"sideEffects", str()},
           {"timeoutSeconds", integer()},
           {"admissionReviewVersions", strList()},
           {"matchConditions", keyedList(obj({{"name", str()}, {"expression", str()}}), {"name"})}},
          {"name"});
  if (mutating) w["properties"]["reinvocationPolicy"] = str();
  return w;
}

// ---- apiextensions.k8s.io/v1 ----

Json crdSpec() {
  Json column = obj({{"name", str()},
                     {"type", str()},
                     {"format", str()},
                     {"description", str()},
                     {"priority", integer()},
                     {"jsonPath", str()}},
                    {"name", "type", "jsonPath"});
  Json version = obj({{"name", str()},
                      {"served", boolean()},
                      {"storage", boolean()},
                      {"deprecated", boolean()},
                      {"deprecationWarning", str()},
                      {"schema", obj({{"openAPIV3Schema", preserve()}})},
                      {"subresources", preserve()},
                      {"additionalPrinterColumns", atomicArr(column)},
                      {"selectableFields", atomicArr(preserve())}},
                     {"name", "served", "storage"});
  return obj({{"group", str()},
              {"names", obj({{"plural", str()},
                             {"singular", str()},
                             {"shortNames", strList()},
                             {"kind", str()},
                             {"listKind", str()},
                             {"categories", strList()}},
                            {"plural", "kind"})},
              {"scope", str()},
              {"versions", atomicArr(version)},
              {"conversion", preserve()},
              {"preserveUnknownFields", boolean()}},
             {"group", "names", "scope", "versions"});
}

}  // namespace

Json otherSchema(std::string_view group, std::string_view kind) {
  if (group == "autoscaling" && kind == "HorizontalPodAutoscaler") {
    return topLevel(
        {{"spec", horizontalPodAutoscalerSpec()}, {"status", horizontalPodAutoscalerStatus()}});
  } else if (group == "networking.k8s.io") {
    if (kind == "Ingress") return topLevel({{"spec", ingressSpec()}, {"status", ingressStatus()}});
    if (kind == "IngressClass") return topLevel({{"spec", ingressClassSpec()}});
    if (kind == "NetworkPolicy") return topLevel({{"spec", networkPolicySpec()}});
  } else if (group == "admissionregistration.k8s.io") {
    if (kind == "MutatingWebhookConfiguration") {
      return topLevel({{"webhooks", keyedList(webhook(true), {"name"})}});
    }
    if (kind == "ValidatingWebhookConfiguration") {
      return topLevel({{"webhooks", keyedList(webhook(false), {"name"})}});
    }
  } else if (group == "coordination.k8s.io" && kind == "Lease") {
    return topLevel({{"spec", obj({{"holderIdentity", str()},
                                   {"leaseDurationSeconds", integer()},
                                   {"acquireTime", nullableStr()},
                                   {"renewTime", nullableStr()},
                                   {"leaseTransitions", integer()},
                                   {"strategy", str()},
                                   {"preferredHolder", str()}})}});
  } else if (group == "rbac.authorization.k8s.io") {
    Json rule = obj({{"verbs", strList()},
                     {"apiGroups", strList()},
                     {"resources", strList()},
                     {"resourceNames", strList()},
                     {"nonResourceURLs", strList()}},
                    {"verbs"});
    if (kind == "Role") return topLevel({{"rules", atomicArr(rule)}});
    if (kind == "ClusterRole") {
      return topLevel(
          {{"rules", atomicArr(rule)},
           {"aggregationRule", obj({{"clusterRoleSelectors", atomicArr(labelSelector())}})}});
    }
    Json subject =
        obj({{"kind", str()}, {"apiGroup", str()}, {"name", str()}, {"namespace", str()}},
            {"kind", "name"});
    Json roleRef =
        obj({{"apiGroup", str()}, {"kind", str()}, {"name", str()}}, {"apiGroup", "kind", "name"});
    Json binding = topLevel({{"subjects", atomicArr(subject)}, {"roleRef", roleRef}});
    binding["required"] = Json::array({"roleRef"});
    return binding;
  } else if (group == "authorization.k8s.io" && kind == "SelfSubjectAccessReview") {
    Json attributes = obj({{"namespace", str()},
                           {"verb", str()},
                           {"group", str()},
                           {"version", str()},
                           {"resource", str()},
                           {"subresource", str()},
                           {"name", str()},
                           {"fieldSelector", preserve()},
                           {"labelSelector", preserve()}});
    return topLevel(
        {{"spec", obj({{"resourceAttributes", attributes},
                       {"nonResourceAttributes", obj({{"path", str()}, {"verb", str()}})}})},
         {"status", obj({{"allowed", boolean()},
                         {"denied", boolean()},
                         {"reason", str()},
                         {"evaluationError", str()}})}});
  } else if (group == "authorization.k8s.io" && kind == "SelfSubjectRulesReview") {
    Json resourceRule = obj({{"verbs", strList()},
                             {"apiGroups", strList()},
                             {"resources", strList()},
                             {"resourceNames", strList()}},
                            {"verbs"});
    Json nonResourceRule = obj({{"verbs", strList()}, {"nonResourceURLs", strList()}}, {"verbs"});
    return topLevel({{"spec", obj({{"namespace", str()}})},
                     {"status", obj({{"resourceRules", atomicArr(resourceRule)},
                                     {"nonResourceRules", atomicArr(nonResourceRule)},
                                     {"incomplete", boolean()},
                                     {"evaluationError", str()}})}});
  } else if (group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition") {
    return topLevel({{"spec", crdSpec()}, {"status", preserve()}});
  }
  return nullptr;
}

}  // namespace kubesim::schema::detail
