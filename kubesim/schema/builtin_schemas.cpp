// Schemas of the built-in kinds, written with a tiny builder so they read like the API reference.
// Subtrees kubesim does not model in detail are preserve-unknown-fields (never reject valid input).

#include <utility>

#include "kubesim/schema/builtin.h"

namespace kubesim::schema {

namespace {

using Props = std::initializer_list<std::pair<const char*, Json>>;

Json str() { return {{"type", "string"}}; }
Json nullableStr() { return {{"type", "string"}, {"nullable", true}}; }
Json integer() { return {{"type", "integer"}}; }
Json boolean() { return {{"type", "boolean"}}; }
Json intOrString() { return {{"x-kubernetes-int-or-string", true}}; }
// resource.Quantity (OpenAPI v3: oneOf string, number). No "type": a string or any number passes
// the schema; the quantity grammar is the decoder's check (builtin_validation.h), so what it
// refuses gets the real decode error instead of a schema cause.
Json quantity() { return {{"oneOf", Json::array({{{"type", "string"}}, {{"type", "number"}}})}}; }
Json enumStr(std::initializer_list<const char*> values) {
  Json s = str();
  s["enum"] = Json::array();
  for (const char* v : values) s["enum"].push_back(v);
  return s;
}
Json preserve() { return {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}; }

Json obj(Props props, std::initializer_list<const char*> required = {}) {
  Json s = {{"type", "object"}, {"properties", Json::object()}};
  for (const auto& [name, schema] : props) s["properties"][name] = schema;
  if (required.size() > 0) {
    s["required"] = Json::array();
    for (const char* r : required) s["required"].push_back(r);
  }
  return s;
}
// An object whose listed fields are checked while other fields are kept as they are.
Json openObj(Props props) {
  Json s = obj(props);
  s["x-kubernetes-preserve-unknown-fields"] = true;
  return s;
}
Json arr(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
Json atomicArr(Json items) {
  Json s = arr(std::move(items));
  s["x-kubernetes-list-type"] = "atomic";
  return s;
}
Json strList() { return atomicArr(str()); }
Json mapOf(Json values) {
  return {{"type", "object"}, {"additionalProperties", std::move(values)}};
}
// A list merged by key in strategic merge patches and server-side apply.
Json keyedList(Json items, std::initializer_list<const char*> keys,
               const char* strategy = "merge") {
  Json s = arr(std::move(items));
  s["x-kubernetes-patch-merge-key"] = *keys.begin();
  s["x-kubernetes-patch-strategy"] = strategy;
  s["x-kubernetes-list-type"] = "map";
  s["x-kubernetes-list-map-keys"] = Json::array();
  for (const char* k : keys) s["x-kubernetes-list-map-keys"].push_back(k);
  return s;
}

Json ownerReference() {
  return obj({{"apiVersion", str()},
              {"kind", str()},
              {"name", str()},
              {"uid", str()},
              {"controller", boolean()},
              {"blockOwnerDeletion", boolean()}},
             {"apiVersion", "kind", "name", "uid"});
}

Json managedFieldsEntry() {
  return obj({{"manager", str()},
              {"operation", str()},
              {"apiVersion", str()},
              {"time", str()},
              {"fieldsType", str()},
              {"fieldsV1", preserve()},
              {"subresource", str()}});
}

Json objectReference() {
  return obj({{"kind", str()},
              {"namespace", str()},
              {"name", str()},
              {"uid", str()},
              {"apiVersion", str()},
              {"resourceVersion", str()},
              {"fieldPath", str()}});
}

Json labelSelector() {
  return obj({{"matchLabels", mapOf(str())},
              {"matchExpressions",
               atomicArr(obj({{"key", str()}, {"operator", str()}, {"values", strList()}},
                             {"key", "operator"}))}});
}

Json condition() {
  return obj({{"type", str()},
              {"status", str()},
              {"observedGeneration", integer()},
              {"lastProbeTime", nullableStr()},
              {"lastHeartbeatTime", nullableStr()},
              {"lastUpdateTime", nullableStr()},
              {"lastTransitionTime", nullableStr()},
              {"reason", str()},
              {"message", str()}},
             {"type", "status"});
}

Json envVar() {
  Json keyRef = obj({{"name", str()}, {"key", str()}, {"optional", boolean()}}, {"key"});
  return obj(
      {{"name", str()},
       {"value", str()},
       {"valueFrom",
        obj({{"fieldRef", obj({{"apiVersion", str()}, {"fieldPath", str()}}, {"fieldPath"})},
             {"resourceFieldRef",
              obj({{"containerName", str()}, {"resource", str()}, {"divisor", intOrString()}},
                  {"resource"})},
             {"configMapKeyRef", keyRef},
             {"secretKeyRef", keyRef}})}},
      {"name"});
}

// kubectl's client-side apply walks these schemas (OpenAPI v3 patch metadata) into every map
// present on both sides, so nested maps users commonly write must be declared properties.
Json volume() {
  Json keyToPath = atomicArr(obj({{"key", str()}, {"path", str()}, {"mode", integer()}}));
  Json v = openObj(
      {{"name", str()},
       {"configMap", obj({{"name", str()},
                          {"items", keyToPath},
                          {"defaultMode", integer()},
                          {"optional", boolean()}})},
       {"secret", obj({{"secretName", str()},
                       {"items", keyToPath},
                       {"defaultMode", integer()},
                       {"optional", boolean()}})},
       {"emptyDir", obj({{"medium", str()}, {"sizeLimit", intOrString()}})},
       {"persistentVolumeClaim", obj({{"claimName", str()}, {"readOnly", boolean()}})},
       {"hostPath", obj({{"path", str()}, {"type", str()}})},
       {"projected", openObj({{"sources", atomicArr(preserve())}, {"defaultMode", integer()}})},
       {"downwardAPI", openObj({{"items", atomicArr(preserve())}, {"defaultMode", integer()}})},
       {"csi", openObj({{"driver", str()}, {"volumeAttributes", mapOf(str())}})}});
  v["required"] = Json::array({"name"});
  return v;
}

Json handler() {
  return obj({{"exec", obj({{"command", strList()}})},
              {"httpGet", openObj({{"path", str()}, {"port", intOrString()}})},
              {"tcpSocket", obj({{"port", intOrString()}, {"host", str()}})},
              {"sleep", obj({{"seconds", integer()}})}});
}

Json lifecycle() {
  return obj({{"postStart", handler()}, {"preStop", handler()}, {"stopSignal", str()}});
}

Json seLinuxOptions() {
  return obj({{"user", str()}, {"role", str()}, {"type", str()}, {"level", str()}});
}

Json profile() { return obj({{"type", str()}, {"localhostProfile", str()}}); }

Json windowsOptions() {
  return obj({{"gmsaCredentialSpecName", str()},
              {"gmsaCredentialSpec", str()},
              {"runAsUserName", str()},
              {"hostProcess", boolean()}});
}

Json containerSecurityContext() {
  return obj({{"capabilities", obj({{"add", strList()}, {"drop", strList()}})},
              {"privileged", boolean()},
              {"seLinuxOptions", seLinuxOptions()},
              {"windowsOptions", windowsOptions()},
              {"runAsUser", integer()},
              {"runAsGroup", integer()},
              {"runAsNonRoot", boolean()},
              {"readOnlyRootFilesystem", boolean()},
              {"allowPrivilegeEscalation", boolean()},
              {"procMount", str()},
              {"seccompProfile", profile()},
              {"appArmorProfile", profile()}});
}

Json podSecurityContext() {
  return obj({{"seLinuxOptions", seLinuxOptions()},
              {"windowsOptions", windowsOptions()},
              {"runAsUser", integer()},
              {"runAsGroup", integer()},
              {"runAsNonRoot", boolean()},
              {"supplementalGroups", atomicArr(integer())},
              {"supplementalGroupsPolicy", str()},
              {"fsGroup", integer()},
              {"sysctls", atomicArr(obj({{"name", str()}, {"value", str()}}))},
              {"fsGroupChangePolicy", str()},
              {"seccompProfile", profile()},
              {"appArmorProfile", profile()},
              {"seLinuxChangePolicy", str()}});
}

Json affinity() {
  const auto terms = [] {
    return openObj({{"requiredDuringSchedulingIgnoredDuringExecution", atomicArr(preserve())},
                    {"preferredDuringSchedulingIgnoredDuringExecution", atomicArr(preserve())}});
  };
  Json node = openObj({{"requiredDuringSchedulingIgnoredDuringExecution",
                        openObj({{"nodeSelectorTerms", atomicArr(preserve())}})},
                       {"preferredDuringSchedulingIgnoredDuringExecution", atomicArr(preserve())}});
  return obj({{"nodeAffinity", node}, {"podAffinity", terms()}, {"podAntiAffinity", terms()}});
}

Json probe() {
  return obj({{"exec", obj({{"command", strList()}})},
              {"httpGet", obj({{"path", str()},
                               {"port", intOrString()},
                               {"host", str()},
                               {"scheme", str()},
                               {"httpHeaders", atomicArr(obj({{"name", str()}, {"value", str()}},
                                                             {"name", "value"}))}},
                              {"port"})},
              {"tcpSocket", obj({{"port", intOrString()}, {"host", str()}}, {"port"})},
              {"grpc", obj({{"port", integer()}, {"service", str()}}, {"port"})},
              {"initialDelaySeconds", integer()},
              {"timeoutSeconds", integer()},
              {"periodSeconds", integer()},
              {"successThreshold", integer()},
              {"failureThreshold", integer()},
              {"terminationGracePeriodSeconds", integer()}});
}

Json container() {
  return obj({{"name", str()},
              {"image", str()},
              {"command", strList()},
              {"args", strList()},
              {"workingDir", str()},
              {"ports", keyedList(obj({{"name", str()},
                                       {"hostPort", integer()},
                                       {"containerPort", integer()},
                                       {"protocol", enumStr({"SCTP", "TCP", "UDP"})},
                                       {"hostIP", str()}},
                                      {"containerPort"}),
                                  {"containerPort", "protocol"})},
              {"envFrom", atomicArr(preserve())},
              {"env", keyedList(envVar(), {"name"})},
              {"resources", obj({{"limits", mapOf(quantity())},
                                 {"requests", mapOf(quantity())},
                                 {"claims", atomicArr(preserve())}})},
              {"resizePolicy", atomicArr(preserve())},
              {"restartPolicy", str()},
              {"volumeMounts", keyedList(obj({{"name", str()},
                                              {"readOnly", boolean()},
                                              {"recursiveReadOnly", str()},
                                              {"mountPath", str()},
                                              {"subPath", str()},
                                              {"mountPropagation", str()},
                                              {"subPathExpr", str()}},
                                             {"name", "mountPath"}),
                                         {"mountPath"})},
              {"volumeDevices", atomicArr(preserve())},
              {"livenessProbe", probe()},
              {"readinessProbe", probe()},
              {"startupProbe", probe()},
              {"lifecycle", lifecycle()},
              {"terminationMessagePath", str()},
              {"terminationMessagePolicy", enumStr({"FallbackToLogsOnError", "File"})},
              {"imagePullPolicy", enumStr({"Always", "IfNotPresent", "Never"})},
              {"securityContext", containerSecurityContext()},
              {"stdin", boolean()},
              {"stdinOnce", boolean()},
              {"tty", boolean()}},
             {"name"});
}

Json podSpec() {
  return obj(
      {{"volumes", keyedList(volume(), {"name"}, "merge,retainKeys")},
       {"initContainers", keyedList(container(), {"name"})},
       {"containers", keyedList(container(), {"name"})},
       {"ephemeralContainers", atomicArr(preserve())},
       {"restartPolicy", enumStr({"Always", "Never", "OnFailure"})},
       {"terminationGracePeriodSeconds", integer()},
       {"activeDeadlineSeconds", integer()},
       {"dnsPolicy", enumStr({"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"})},
       {"nodeSelector", mapOf(str())},
       {"serviceAccountName", str()},
       {"serviceAccount", str()},
       {"automountServiceAccountToken", boolean()},
       {"nodeName", str()},
       {"hostNetwork", boolean()},
       {"hostPID", boolean()},
       {"hostIPC", boolean()},
       {"shareProcessNamespace", boolean()},
       {"securityContext", podSecurityContext()},
       {"imagePullSecrets", keyedList(obj({{"name", str()}}), {"name"})},
       {"hostname", str()},
       {"subdomain", str()},
       {"affinity", affinity()},
       {"schedulerName", str()},
       {"tolerations", atomicArr(preserve())},
       {"hostAliases", atomicArr(preserve())},
       {"priorityClassName", str()},
       {"priority", integer()},
       {"dnsConfig", preserve()},
       {"readinessGates", atomicArr(preserve())},
       {"runtimeClassName", str()},
       {"enableServiceLinks", boolean()},
       {"preemptionPolicy", str()},
       {"overhead", mapOf(intOrString())},
       {"topologySpreadConstraints", atomicArr(preserve())},
       {"setHostnameAsFQDN", boolean()},
       {"os", preserve()},
       {"hostUsers", boolean()},
       {"schedulingGates", atomicArr(preserve())},
       {"resourceClaims", atomicArr(preserve())},
       {"resources", preserve()}},
      {"containers"});
}

Json podTemplateSpec() { return obj({{"metadata", objectMeta()}, {"spec", podSpec()}}); }

Json deploymentSpec() {
  return obj({{"replicas", integer()},
              {"selector", labelSelector()},
              {"template", podTemplateSpec()},
              {"strategy", obj({{"type", enumStr({"Recreate", "RollingUpdate"})},
                                {"rollingUpdate", obj({{"maxUnavailable", intOrString()},
                                                       {"maxSurge", intOrString()}})}})},
              {"minReadySeconds", integer()},
              {"revisionHistoryLimit", integer()},
              {"paused", boolean()},
              {"progressDeadlineSeconds", integer()}},
             {"selector", "template"});
}

Json workloadStatus() {
  return obj({{"observedGeneration", integer()},
              {"replicas", integer()},
              {"updatedReplicas", integer()},
              {"fullyLabeledReplicas", integer()},
              {"readyReplicas", integer()},
              {"availableReplicas", integer()},
              {"unavailableReplicas", integer()},
              {"terminatingReplicas", integer()},
              {"conditions", keyedList(condition(), {"type"})},
              {"collisionCount", integer()}});
}

Json replicaSetSpec() {
  return obj({{"replicas", integer()},
              {"minReadySeconds", integer()},
              {"selector", labelSelector()},
              {"template", podTemplateSpec()}},
             {"selector"});
}

Json statefulSetSpec() {
  Json claimTemplate = obj({{"apiVersion", str()},
                            {"kind", str()},
                            {"metadata", objectMeta()},
                            {"spec", preserve()},
                            {"status", preserve()}});
  return obj(
      {{"replicas", integer()},
       {"selector", labelSelector()},
       {"template", podTemplateSpec()},
       {"volumeClaimTemplates", atomicArr(claimTemplate)},
       {"serviceName", str()},
       {"podManagementPolicy", enumStr({"OrderedReady", "Parallel"})},
       {"updateStrategy", obj({{"type", enumStr({"OnDelete", "RollingUpdate"})},
                               {"rollingUpdate", obj({{"partition", integer()},
                                                      {"maxUnavailable", intOrString()}})}})},
       {"revisionHistoryLimit", integer()},
       {"minReadySeconds", integer()},
       {"persistentVolumeClaimRetentionPolicy",
        obj({{"whenDeleted", enumStr({"Delete", "Retain"})},
             {"whenScaled", enumStr({"Delete", "Retain"})}})},
       {"ordinals", obj({{"start", integer()}})}},
      {"selector", "template"});
}

Json statefulSetStatus() {
  return obj({{"observedGeneration", integer()},
              {"replicas", integer()},
              {"readyReplicas", integer()},
              {"currentReplicas", integer()},
              {"updatedReplicas", integer()},
              {"currentRevision", str()},
              {"updateRevision", str()},
              {"collisionCount", integer()},
              {"conditions", keyedList(condition(), {"type"})},
              {"availableReplicas", integer()}});
}

Json daemonSetSpec() {
  return obj({{"selector", labelSelector()},
              {"template", podTemplateSpec()},
              {"updateStrategy", obj({{"type", enumStr({"OnDelete", "RollingUpdate"})},
                                      {"rollingUpdate", obj({{"maxUnavailable", intOrString()},
                                                             {"maxSurge", intOrString()}})}})},
              {"minReadySeconds", integer()},
              {"revisionHistoryLimit", integer()}},
             {"selector", "template"});
}

Json daemonSetStatus() {
  return obj({{"currentNumberScheduled", integer()},
              {"numberMisscheduled", integer()},
              {"desiredNumberScheduled", integer()},
              {"numberReady", integer()},
              {"observedGeneration", integer()},
              {"updatedNumberScheduled", integer()},
              {"numberAvailable", integer()},
              {"numberUnavailable", integer()},
              {"collisionCount", integer()},
              {"conditions", keyedList(condition(), {"type"})}});
}

// batch/v1 JobSpec. Enum values in the order the real validation lists them.
Json jobSpec() {
  return obj({{"parallelism", integer()},
              {"completions", integer()},
              {"activeDeadlineSeconds", integer()},
              {"podFailurePolicy", preserve()},
              {"successPolicy", preserve()},
              {"backoffLimit", integer()},
              {"backoffLimitPerIndex", integer()},
              {"maxFailedIndexes", integer()},
              {"selector", labelSelector()},
              {"manualSelector", boolean()},
              {"template", podTemplateSpec()},
              {"ttlSecondsAfterFinished", integer()},
              {"completionMode", enumStr({"NonIndexed", "Indexed"})},
              {"suspend", boolean()},
              {"podReplacementPolicy", enumStr({"Failed", "TerminatingOrFailed"})},
              {"managedBy", str()}},
             {"template"});
}

Json jobStatus() {
  return obj({{"conditions", atomicArr(condition())},
              {"startTime", nullableStr()},
              {"completionTime", nullableStr()},
              {"active", integer()},
              {"succeeded", integer()},
              {"failed", integer()},
              {"terminating", integer()},
              {"completedIndexes", str()},
              {"failedIndexes", str()},
              {"uncountedTerminatedPods", obj({{"succeeded", strList()}, {"failed", strList()}})},
              {"ready", integer()}});
}

Json cronJobSpec() {
  return obj({{"schedule", str()},
              {"timeZone", str()},
              {"startingDeadlineSeconds", integer()},
              {"concurrencyPolicy", enumStr({"Allow", "Forbid", "Replace"})},
              {"suspend", boolean()},
              {"jobTemplate", obj({{"metadata", objectMeta()}, {"spec", jobSpec()}})},
              {"successfulJobsHistoryLimit", integer()},
              {"failedJobsHistoryLimit", integer()}},
             {"schedule", "jobTemplate"});
}

Json cronJobStatus() {
  return obj({{"active", atomicArr(objectReference())},
              {"lastScheduleTime", nullableStr()},
              {"lastSuccessfulTime", nullableStr()}});
}

Json podDisruptionBudgetSpec() {
  return obj({{"minAvailable", intOrString()},
              {"selector", labelSelector()},
              {"maxUnavailable", intOrString()},
              {"unhealthyPodEvictionPolicy", enumStr({"AlwaysAllow", "IfHealthyBudget"})}});
}

Json podDisruptionBudgetStatus() {
  return obj({{"observedGeneration", integer()},
              {"disruptedPods", mapOf(str())},
              {"disruptionsAllowed", integer()},
              {"currentHealthy", integer()},
              {"desiredHealthy", integer()},
              {"expectedPods", integer()},
              {"conditions", keyedList(condition(), {"type"})}});
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

// apiVersion, kind, metadata plus the kind's own top-level fields.
Json topLevel(Props fields) {
  Json s = obj({{"apiVersion", str()}, {"kind", str()}, {"metadata", objectMeta()}});
  for (const auto& [name, schema] : fields) s["properties"][name] = schema;
  return s;
}

}  // namespace

Json objectMeta() {
  return obj({{"name", str()},
              {"generateName", str()},
              {"namespace", str()},
              {"selfLink", str()},
              {"uid", str()},
              {"resourceVersion", str()},
              {"generation", integer()},
              {"creationTimestamp", nullableStr()},
              {"deletionTimestamp", nullableStr()},
              {"deletionGracePeriodSeconds", integer()},
              {"labels", mapOf(str())},
              {"annotations", mapOf(str())},
              {"ownerReferences", keyedList(ownerReference(), {"uid"})},
              {"finalizers",
               [] {
                 Json f = arr(str());
                 f["x-kubernetes-patch-strategy"] = "merge";
                 f["x-kubernetes-list-type"] = "set";
                 return f;
               }()},
              {"managedFields", atomicArr(managedFieldsEntry())}});
}

Json builtinSchema(std::string_view group, std::string_view kind) {
  if (group.empty()) {
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
  } else if (group == "apps") {
    if (kind == "Deployment") {
      return topLevel({{"spec", deploymentSpec()}, {"status", workloadStatus()}});
    }
    if (kind == "ReplicaSet") {
      return topLevel({{"spec", replicaSetSpec()}, {"status", workloadStatus()}});
    }
    if (kind == "StatefulSet") {
      return topLevel({{"spec", statefulSetSpec()}, {"status", statefulSetStatus()}});
    }
    if (kind == "DaemonSet") {
      return topLevel({{"spec", daemonSetSpec()}, {"status", daemonSetStatus()}});
    }
  } else if (group == "batch") {
    if (kind == "Job") return topLevel({{"spec", jobSpec()}, {"status", jobStatus()}});
    if (kind == "CronJob") return topLevel({{"spec", cronJobSpec()}, {"status", cronJobStatus()}});
  } else if (group == "autoscaling" && kind == "HorizontalPodAutoscaler") {
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
  } else if (group == "policy" && kind == "PodDisruptionBudget") {
    return topLevel({{"spec", podDisruptionBudgetSpec()}, {"status", podDisruptionBudgetStatus()}});
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

}  // namespace kubesim::schema
