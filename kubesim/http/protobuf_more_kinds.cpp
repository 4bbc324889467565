// The protobuf tables of the storage-only kinds kubectl and typed clients send (protobuf_kinds.h):
// core/v1 Node, Endpoints, ResourceQuota (`kubectl create quota`), LimitRange and
// PersistentVolumeClaim, networking.k8s.io/v1 Ingress (`kubectl create ingress`) and
// NetworkPolicy, autoscaling/v2 HorizontalPodAutoscaler. Field numbers follow k8s.io/api's
// generated.proto; each JSON key and Zero policy follows the Go field in types.go (a pointer, or
// a tag without omitempty, keeps a zero). Fields removed upstream or deprecated without effect
// (NodeSpec.configSource, NodeStatus.config) are left out: protobuf skips them.
#include <optional>
#include <string>
#include <utility>

#include "kubesim/http/protobuf_kinds.h"

namespace kubesim::http::protobuf {
namespace {

// core/v1 ObjectReference.
Fields objectReference() {
  return {{1, str("kind")},     {2, str("namespace")},  {3, str("name")},
          {4, str("uid")},      {5, str("apiVersion")}, {6, str("resourceVersion")},
          {7, str("fieldPath")}};
}

// metadata, spec and status.
Fields specAndStatus(Fields spec, Fields status) {
  return {{1, objectMeta()},
          {2, message("spec", std::move(spec))},
          {3, message("status", std::move(status))}};
}

// ---- core/v1 Node ----

Fields nodeSpec() {
  // Taint: timeAdded is a *metav1.Time.
  const Fields taint = {
      {1, str("key")}, {2, str("value")}, {3, str("effect")}, {4, time("timeAdded")}};
  return {
      {1, str("podCIDR")},           {7, repeatedStr("podCIDRs")},          {3, str("providerID")},
      {4, boolean("unschedulable")}, {5, repeatedMessage("taints", taint)}, {2, str("externalID")}};
}

Fields nodeStatus() {
  // NodeCondition: both times are non-pointer metav1.Time (null when zero).
  const Fields condition = {{1, str("type")},
                            {2, str("status")},
                            {3, time("lastHeartbeatTime")},
                            {4, time("lastTransitionTime")},
                            {5, str("reason")},
                            {6, str("message")}};
  // NodeSystemInfo: strings without omitempty (always Omit here, see protobuf_wire.h); swap is
  // a *NodeSwapStatus whose capacity is an *int64.
  const Fields nodeInfo = {{1, str("machineID")},
                           {2, str("systemUUID")},
                           {3, str("bootID")},
                           {4, str("kernelVersion")},
                           {5, str("osImage")},
                           {6, str("containerRuntimeVersion")},
                           {7, str("kubeletVersion")},
                           {8, str("kubeProxyVersion")},
                           {9, str("operatingSystem")},
                           {10, str("architecture")},
                           {11, message("swap", {{1, int64("capacity", Zero::Keep)}})}};
  // NodeRuntimeHandlerFeatures and NodeFeatures: *bool fields.
  const Fields handlerFeatures = {{1, boolean("recursiveReadOnlyMounts", Zero::Keep)},
                                  {2, boolean("userNamespaces", Zero::Keep)}};
  return {{1, quantityMap("capacity")},
          {2, quantityMap("allocatable")},
          {3, str("phase")},
          {4, repeatedMessage("conditions", condition)},
          {5, repeatedMessage("addresses", {{1, str("type")}, {2, str("address")}})},
          // DaemonEndpoint.Port is an int32 tagged `json:"Port"`, no omitempty.
          {6, message("daemonEndpoints",
                      {{1, message("kubeletEndpoint", {{1, int32("Port", Zero::Keep)}})}})},
          {7, message("nodeInfo", nodeInfo)},
          {8, repeatedMessage("images", {{1, repeatedStr("names")}, {2, int64("sizeBytes")}})},
          {9, repeatedStr("volumesInUse")},
          {10, repeatedMessage("volumesAttached", {{1, str("name")}, {2, str("devicePath")}})},
          {12, repeatedMessage("runtimeHandlers",
                               {{1, str("name")}, {2, message("features", handlerFeatures)}})},
          {13, message("features", {{1, boolean("supplementalGroupsPolicy", Zero::Keep)}})}};
}

// ---- core/v1 Endpoints ----

Fields endpoints() {
  // EndpointAddress: nodeName is a *string, targetRef an *ObjectReference.
  const Fields address = {{1, str("ip")},
                          {3, str("hostname")},
                          {4, str("nodeName")},
                          {2, message("targetRef", objectReference())}};
  // EndpointPort: port is an int32 without omitempty; appProtocol a *string.
  const Fields port = {{1, str("name")},
                       {2, int32("port", Zero::Keep)},
                       {3, str("protocol")},
                       {4, str("appProtocol")}};
  return {{1, objectMeta()},
          {2, repeatedMessage("subsets", {{1, repeatedMessage("addresses", address)},
                                          {2, repeatedMessage("notReadyAddresses", address)},
                                          {3, repeatedMessage("ports", port)}})}};
}

// ---- core/v1 ResourceQuota and LimitRange ----

Fields resourceQuota() {
  const Fields requirement = {
      {1, str("scopeName")}, {2, str("operator")}, {3, repeatedStr("values")}};
  return specAndStatus(
      {{1, quantityMap("hard")},
       {2, repeatedStr("scopes")},
       {3, message("scopeSelector", {{1, repeatedMessage("matchExpressions", requirement)}})}},
      {{1, quantityMap("hard")}, {2, quantityMap("used")}});
}

Fields limitRange() {
  const Fields item = {{1, str("type")},
                       {2, quantityMap("max")},
                       {3, quantityMap("min")},
                       {4, quantityMap("default")},
                       {5, quantityMap("defaultRequest")},
                       {6, quantityMap("maxLimitRequestRatio")}};
  return {{1, objectMeta()}, {2, message("spec", {{1, repeatedMessage("limits", item)}})}};
}

// ---- networking.k8s.io/v1 ----

Fields ingressBackend() {
  // IngressServiceBackend.port is a non-pointer ServiceBackendPort (always on the wire, {} in
  // JSON); its number is an int32 with omitempty. resource is a core TypedLocalObjectReference.
  return {{4, message("service", {{1, str("name")},
                                  {2, message("port", {{1, str("name")}, {2, int32("number")}})}})},
          {3, message("resource", {{1, str("apiGroup")}, {2, str("kind")}, {3, str("name")}})}};
}

Fields ingress() {
  const Fields path = {
      {1, str("path")}, {3, str("pathType")}, {2, message("backend", ingressBackend())}};
  // IngressRule embeds IngressRuleValue `json:",inline"`: field 2 on the wire, http in the rule.
  const Fields rule = {{1, str("host")},
                       {2, inlined({{1, message("http", {{1, repeatedMessage("paths", path)}})}})}};
  const Fields portStatus = {
      {1, int32("port", Zero::Keep)}, {2, str("protocol")}, {3, str("error")}};
  const Fields lbIngress = {
      {1, str("ip")}, {2, str("hostname")}, {4, repeatedMessage("ports", portStatus)}};
  return specAndStatus(
      {{4, str("ingressClassName")},
       {1, message("defaultBackend", ingressBackend())},
       {2, repeatedMessage("tls", {{1, repeatedStr("hosts")}, {2, str("secretName")}})},
       {3, repeatedMessage("rules", rule)}},
      {{1, message("loadBalancer", {{1, repeatedMessage("ingress", lbIngress)}})}});
}

Fields networkPolicy() {
  // NetworkPolicyPort: protocol a *Protocol, port an *IntOrString, endPort an *int32.
  const Fields port = {
      {1, str("protocol")}, {2, intOrString("port")}, {3, int32("endPort", Zero::Keep)}};
  const Fields peer = {{1, labelSelector("podSelector")},
                       {2, labelSelector("namespaceSelector")},
                       {3, message("ipBlock", {{1, str("cidr")}, {2, repeatedStr("except")}})}};
  return {
      {1, objectMeta()},
      {2, message("spec", {{1, labelSelector("podSelector")},
                           {2, repeatedMessage("ingress", {{1, repeatedMessage("ports", port)},
                                                           {2, repeatedMessage("from", peer)}})},
                           {3, repeatedMessage("egress", {{1, repeatedMessage("ports", port)},
                                                          {2, repeatedMessage("to", peer)}})},
                           {4, repeatedStr("policyTypes")}})}};
}

// ---- autoscaling/v2 HorizontalPodAutoscaler ----

Fields crossVersionObjectReference() {
  return {{1, str("kind")}, {2, str("name")}, {3, str("apiVersion")}};
}

Fields metricIdentifier() { return {{1, str("name")}, {2, labelSelector("selector")}}; }

// MetricTarget: value and averageValue are *Quantity, averageUtilization an *int32.
Fields metricTarget() {
  return {{1, str("type")},
          {2, quantity("value")},
          {3, quantity("averageValue")},
          {4, int32("averageUtilization", Zero::Keep)}};
}

// MetricValueStatus: the same pointers, numbered from 1.
Fields metricValueStatus() {
  return {{1, quantity("value")},
          {2, quantity("averageValue")},
          {3, int32("averageUtilization", Zero::Keep)}};
}

Fields metricSpec() {
  return {{1, str("type")},
          {2, message("object", {{1, message("describedObject", crossVersionObjectReference())},
                                 {2, message("target", metricTarget())},
                                 {3, message("metric", metricIdentifier())}})},
          {3, message("pods", {{1, message("metric", metricIdentifier())},
                               {2, message("target", metricTarget())}})},
          {4, message("resource", {{1, str("name")}, {2, message("target", metricTarget())}})},
          {7, message("containerResource", {{1, str("name")},
                                            {2, message("target", metricTarget())},
                                            {3, str("container")}})},
          {5, message("external", {{1, message("metric", metricIdentifier())},
                                   {2, message("target", metricTarget())}})}};
}

Fields metricStatus() {
  return {
      {1, str("type")},
      {2, message("object", {{1, message("metric", metricIdentifier())},
                             {2, message("current", metricValueStatus())},
                             {3, message("describedObject", crossVersionObjectReference())}})},
      {3, message("pods", {{1, message("metric", metricIdentifier())},
                           {2, message("current", metricValueStatus())}})},
      {4, message("resource", {{1, str("name")}, {2, message("current", metricValueStatus())}})},
      {7, message("containerResource", {{1, str("name")},
                                        {2, message("current", metricValueStatus())},
                                        {3, str("container")}})},
      {5, message("external", {{1, message("metric", metricIdentifier())},
                               {2, message("current", metricValueStatus())}})}};
}

Fields horizontalPodAutoscaler() {
  // HPAScalingRules: stabilizationWindowSeconds an *int32, selectPolicy a *string, tolerance a
  // *Quantity; HPAScalingPolicy's value and periodSeconds carry no omitempty.
  const Fields policy = {
      {1, str("type")}, {2, int32("value", Zero::Keep)}, {3, int32("periodSeconds", Zero::Keep)}};
  const Fields rules = {{3, int32("stabilizationWindowSeconds", Zero::Keep)},
                        {1, str("selectPolicy")},
                        {2, repeatedMessage("policies", policy)},
                        {4, quantity("tolerance")}};
  // HorizontalPodAutoscalerCondition: lastTransitionTime is a non-pointer metav1.Time.
  const Fields condition = {{1, str("type")},
                            {2, str("status")},
                            {3, time("lastTransitionTime")},
                            {4, str("reason")},
                            {5, str("message")}};
  return specAndStatus({{1, message("scaleTargetRef", crossVersionObjectReference())},
                        {2, int32("minReplicas", Zero::Keep)},  // *int32
                        {3, int32("maxReplicas", Zero::Keep)},  // no omitempty
                        {4, repeatedMessage("metrics", metricSpec())},
                        {5, message("behavior", {{1, message("scaleUp", rules)},
                                                 {2, message("scaleDown", rules)}})}},
                       {{1, int64("observedGeneration", Zero::Keep)},  // *int64
                        {2, time("lastScaleTime")},
                        {3, int32("currentReplicas")},
                        {4, int32("desiredReplicas", Zero::Keep)},
                        {5, repeatedMessage("currentMetrics", metricStatus())},
                        {6, repeatedMessage("conditions", condition)}});
}

}  // namespace

std::optional<Fields> moreKindTable(const std::string& apiVersion, const std::string& kind) {
  if (apiVersion == "v1") {
    if (kind == "Node") return specAndStatus(nodeSpec(), nodeStatus());
    if (kind == "Endpoints") return endpoints();
    if (kind == "ResourceQuota") return resourceQuota();
    if (kind == "LimitRange") return limitRange();
    if (kind == "PersistentVolumeClaim") return persistentVolumeClaimFields();
    return std::nullopt;
  }
  if (apiVersion == "networking.k8s.io/v1") {
    if (kind == "Ingress") return ingress();
    if (kind == "NetworkPolicy") return networkPolicy();
    return std::nullopt;
  }
  if (apiVersion == "autoscaling/v2" && kind == "HorizontalPodAutoscaler") {
    return horizontalPodAutoscaler();
  }
  return std::nullopt;
}

}  // namespace kubesim::http::protobuf
