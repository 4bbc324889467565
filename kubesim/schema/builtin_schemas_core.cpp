// OpenAPI v3 schemas of the core/v1 kinds (schema_builders.h): ConfigMap, Event, Namespace, Pod
// (its spec is the pod template's, builtin_schemas_workloads.cpp), Service, ServiceAccount,
// Secret, Node, Endpoints, PersistentVolumeClaim, PersistentVolume, ResourceQuota and LimitRange.

#include <string_view>

#include "kubesim/schema/schema_builders.h"

namespace kubesim::schema::detail {

namespace {

// ---- core/v1 Pod and Service ----

Json podStatus() {
  return openObj({{"phase", str()},
                  {"conditions", keyedList(condition(), {"type"})},
                  {"message", str()},
                  {"reason", str()},
                  {"hostIP", str()},
                  {"podIP", str()},
                  {"startTime", nullableStr()}});
}

Json serviceSpec() {
  return obj({{"ports", keyedList(obj({{"name", str()},
                                       {"protocol", enumStr({"SCTP", "TCP", "UDP"})},
                                       {"appProtocol", str()},
                                       {"port", integer()},
                                       {"targetPort", intOrString()},
                                       {"nodePort", integer()}},
                                      {"port"}),
                                  {"port", "protocol"})},
              {"selector", mapOf(str())},
              {"clusterIP", str()},
              {"clusterIPs", strList()},
              {"type", enumStr({"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"})},
              {"externalIPs", strList()},
              {"sessionAffinity", str()},
              {"loadBalancerIP", str()},
              {"loadBalancerSourceRanges", strList()},
              {"externalName", str()},
              {"externalTrafficPolicy", str()},
              {"healthCheckNodePort", integer()},
              {"publishNotReadyAddresses", boolean()},
              {"sessionAffinityConfig", preserve()},
              {"ipFamilies", strList()},
              {"ipFamilyPolicy", str()},
              {"allocateLoadBalancerNodePorts", boolean()},
              {"loadBalancerClass", str()},
              {"internalTrafficPolicy", str()},
              {"trafficDistribution", str()}});
}

// ---- core/v1 Node, Endpoints, PersistentVolume(Claim), ResourceQuota, LimitRange ----

// A list of distinct strings (x-kubernetes-list-type set), merged as a set by patches.
Json strSet() {
  Json s = arr(str());
  s["x-kubernetes-patch-strategy"] = "merge";
  s["x-kubernetes-list-type"] = "set";
  return s;
}

Json resourceList() { return mapOf(quantity()); }

Json nodeSpec() {
  // Effects in the order the real validation lists them.
  Json taint = obj({{"key", str()},
                    {"value", str()},
                    {"effect", enumStr({"NoSchedule", "PreferNoSchedule", "NoExecute"})},
                    {"timeAdded", nullableStr()}},
                   {"effect"});
  return obj({{"podCIDR", str()},
              {"podCIDRs", strSet()},
              {"providerID", str()},
              {"unschedulable", boolean()},
              {"taints", atomicArr(taint)},
              {"configSource", preserve()},
              {"externalID", str()}});
}

Json nodeStatus() {
  return obj(
      {{"capacity", resourceList()},
       {"allocatable", resourceList()},
       {"phase", str()},
       {"conditions", keyedList(condition(), {"type"})},
       {"addresses",
        keyedList(obj({{"type", str()}, {"address", str()}}, {"type", "address"}), {"type"})},
       {"daemonEndpoints", obj({{"kubeletEndpoint", obj({{"Port", integer()}})}})},
       {"nodeInfo", obj({{"machineID", str()},
                         {"systemUUID", str()},
                         {"bootID", str()},
                         {"kernelVersion", str()},
                         {"osImage", str()},
                         {"containerRuntimeVersion", str()},
                         {"kubeletVersion", str()},
                         {"kubeProxyVersion", str()},
                         {"operatingSystem", str()},
                         {"architecture", str()},
                         {"swap", obj({{"capacity", integer()}})}})},
       {"images", atomicArr(obj({{"names", strList()}, {"sizeBytes", integer()}}))},
       {"volumesInUse", strList()},
       {"volumesAttached", atomicArr(obj({{"name", str()}, {"devicePath", str()}}))},
       {"config", preserve()},
       {"runtimeHandlers", atomicArr(preserve())},
       {"features", preserve()}});
}

Json endpointSubset() {
  Json address = obj(
      {{"ip", str()}, {"hostname", str()}, {"nodeName", str()}, {"targetRef", objectReference()}});
  Json port = obj({{"name", str()},
                   {"port", integer()},
                   {"protocol", enumStr({"SCTP", "TCP", "UDP"})},
                   {"appProtocol", str()}});
  return obj({{"addresses", atomicArr(address)},
              {"notReadyAddresses", atomicArr(address)},
              {"ports", atomicArr(port)}});
}

Json persistentVolumeClaimSpec() {
  return obj({{"accessModes", strList()},
              {"selector", labelSelector()},
              {"resources", obj({{"limits", resourceList()}, {"requests", resourceList()}})},
              {"volumeName", str()},
              {"storageClassName", str()},
              {"volumeMode", enumStr({"Block", "Filesystem"})},
              {"dataSource", obj({{"apiGroup", str()}, {"kind", str()}, {"name", str()}})},
              {"dataSourceRef",
               obj({{"apiGroup", str()}, {"kind", str()}, {"name", str()}, {"namespace", str()}})},
              {"volumeAttributesClassName", str()}});
}

Json persistentVolumeClaimStatus() {
  return obj({{"phase", str()},
              {"accessModes", strList()},
              {"capacity", resourceList()},
              {"conditions", keyedList(condition(), {"type"})},
              {"allocatedResources", resourceList()},
              {"allocatedResourceStatuses", mapOf(str())},
              {"currentVolumeAttributesClassName", str()},
              {"modifyVolumeStatus",
               obj({{"targetVolumeAttributesClassName", str()}, {"status", str()}})}});
}

// PersistentVolumeSpec: the common fields checked, the volume sources (one of many) kept.
Json persistentVolumeSpec() {
  return openObj({{"capacity", resourceList()},
                  {"accessModes", strList()},
                  {"claimRef", objectReference()},
                  {"persistentVolumeReclaimPolicy", enumStr({"Delete", "Recycle", "Retain"})},
                  {"storageClassName", str()},
                  {"mountOptions", strList()},
                  {"volumeMode", enumStr({"Block", "Filesystem"})},
                  {"nodeAffinity", preserve()},
                  {"volumeAttributesClassName", str()},
                  {"hostPath", obj({{"path", str()}, {"type", str()}})},
                  {"local", obj({{"path", str()}, {"fsType", str()}})},
                  {"nfs", obj({{"server", str()}, {"path", str()}, {"readOnly", boolean()}})},
                  {"csi", preserve()}});
}

Json persistentVolumeStatus() {
  return obj({{"phase", str()},
              {"message", str()},
              {"reason", str()},
              {"lastPhaseTransitionTime", nullableStr()}});
}

Json resourceQuotaSpec() {
  Json requirement =
      obj({{"scopeName", str()}, {"operator", str()}, {"values", strList()}}, {"scopeName"});
  return obj({{"hard", resourceList()},
              {"scopes", strList()},
              {"scopeSelector", obj({{"matchExpressions", atomicArr(requirement)}})}});
}

Json limitRangeSpec() {
  return obj({{"limits", atomicArr(obj({{"type", str()},
                                        {"max", resourceList()},
                                        {"min", resourceList()},
                                        {"default", resourceList()},
                                        {"defaultRequest", resourceList()},
                                        {"maxLimitRequestRatio", resourceList()}}))}});
}

}  // namespace

Json coreSchema(std::string_view kind) {
  if (kind == "ConfigMap") {
    return topLevel(
        {{"data", mapOf(str())}, {"binaryData", mapOf(str())}, {"immutable", boolean()}});
  }
  if (kind == "Event") {
    return topLevel({{"involvedObject", objectReference()},
                     {"reason", str()},
                     {"message", str()},
                     {"source", obj({{"component", str()}, {"host", str()}})},
                     {"firstTimestamp", nullableStr()},
                     {"lastTimestamp", nullableStr()},
                     {"count", integer()},
                     {"type", str()},
                     {"eventTime", nullableStr()},
                     {"series", preserve()},
                     {"action", str()},
                     {"related", objectReference()},
                     {"reportingComponent", str()},
                     {"reportingInstance", str()}});
  }
  if (kind == "Namespace") {
    return topLevel(
        {{"spec", obj({{"finalizers", strList()}})}, {"status", openObj({{"phase", str()}})}});
  }
  if (kind == "Pod") return topLevel({{"spec", podSpec()}, {"status", podStatus()}});
  if (kind == "Service") return topLevel({{"spec", serviceSpec()}, {"status", preserve()}});
  if (kind == "ServiceAccount") {
    return topLevel({{"secrets", atomicArr(objectReference())},
                     {"imagePullSecrets", atomicArr(obj({{"name", str()}}))},
                     {"automountServiceAccountToken", boolean()}});
  }
  if (kind == "Secret") {
    return topLevel({{"data", mapOf(str())},
                     {"stringData", mapOf(str())},
                     {"type", str()},
                     {"immutable", boolean()}});
  }
  if (kind == "Node") return topLevel({{"spec", nodeSpec()}, {"status", nodeStatus()}});
  if (kind == "Endpoints") return topLevel({{"subsets", atomicArr(endpointSubset())}});
  if (kind == "PersistentVolumeClaim") {
    return topLevel(
        {{"spec", persistentVolumeClaimSpec()}, {"status", persistentVolumeClaimStatus()}});
  }
  if (kind == "PersistentVolume") {
    return topLevel({{"spec", persistentVolumeSpec()}, {"status", persistentVolumeStatus()}});
  }
  if (kind == "ResourceQuota") {
    return topLevel({{"spec", resourceQuotaSpec()},
                     {"status", obj({{"hard", resourceList()}, {"used", resourceList()}})}});
  }
  if (kind == "LimitRange") return topLevel({{"spec", limitRangeSpec()}});
  return nullptr;
}

}  // namespace kubesim::schema::detail
