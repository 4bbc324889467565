// OpenAPI v3 schemas of the workload kinds (schema_builders.h): the core/v1 pod template (PodSpec
// with its containers, volumes, probes and security contexts, also used by Pods), apps/v1
// Deployment, ReplicaSet, StatefulSet and DaemonSet, batch/v1 Job and CronJob, and policy/v1
// PodDisruptionBudget.

#include <string_view>

#include "kubesim/schema/builtin.h"
#include "kubesim/schema/schema_builders.h"

namespace kubesim::schema::detail {

// ---- core/v1 PodTemplateSpec ----

namespace {

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

}  // namespace

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

namespace {

Json podTemplateSpec() { return obj({{"metadata", objectMeta()}, {"spec", podSpec()}}); }

// ---- apps/v1 ----

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
// ---- batch/v1 ----

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
// ---- policy/v1 ----

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

}  // namespace

Json workloadSchema(std::string_view group, std::string_view kind) {
  if (group == "apps") {
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
  } else if (group == "policy" && kind == "PodDisruptionBudget") {
    return topLevel({{"spec", podDisruptionBudgetSpec()}, {"status", podDisruptionBudgetStatus()}});
  }
  return nullptr;
}

}  // namespace kubesim::schema::detail
