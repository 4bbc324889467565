// The protobuf tables of the kinds built on a pod template (protobuf_kinds.h): core/v1 Pod,
// PodTemplate, ReplicationController and Service, apps/v1 Deployment, ReplicaSet, StatefulSet and
// DaemonSet, batch/v1 Job and CronJob, policy/v1 PodDisruptionBudget. Field numbers follow
// k8s.io/api's generated.proto; each JSON key and Zero policy follows the Go field in types.go (a
// pointer, or a tag without omitempty, keeps a zero). No metav1.Duration field occurs in them.
#include "kubesim/http/protobuf_kinds.h"

#include <optional>
#include <string>
#include <utility>

namespace kubesim::http::protobuf {
namespace {

// ---- meta/v1 and shared core/v1 pieces ----

// metav1.Condition.
Fields condition() {
  return {{1, str("type")},
          {2, str("status")},
          {3, int64("observedGeneration")},
          {4, time("lastTransitionTime")},
          {5, str("reason")},
          {6, str("message")}};
}

// The condition of ReplicationController, ReplicaSet, StatefulSet and DaemonSet.
Fields workloadCondition() {
  return {{1, str("type")},
          {2, str("status")},
          {3, time("lastTransitionTime")},
          {4, str("reason")},
          {5, str("message")}};
}

// The condition of Pod (plus observedGeneration), PersistentVolumeClaim and Job.
Fields probedCondition() {
  return {{1, str("type")},           {2, str("status")},
          {3, time("lastProbeTime")}, {4, time("lastTransitionTime")},
          {5, str("reason")},         {6, str("message")}};
}

Fields objectReference() {
  return {{1, str("kind")},     {2, str("namespace")},  {3, str("name")},
          {4, str("uid")},      {5, str("apiVersion")}, {6, str("resourceVersion")},
          {7, str("fieldPath")}};
}

Fields localObjectReference() { return {{1, str("name")}}; }

// ---- containers ----

Fields objectFieldSelector() { return {{1, str("apiVersion")}, {2, str("fieldPath")}}; }

Fields resourceFieldSelector() {
  return {{1, str("containerName")}, {2, str("resource")}, {3, quantity("divisor")}};
}

// ConfigMapKeySelector and SecretKeySelector.
Fields keySelector() {
  return {
      {1, inlined(localObjectReference())}, {2, str("key")}, {3, boolean("optional", Zero::Keep)}};
}

// ConfigMapEnvSource and SecretEnvSource.
Fields envSource() {
  return {{1, inlined(localObjectReference())}, {2, boolean("optional", Zero::Keep)}};
}

Fields envVarSource() {
  return {{1, message("fieldRef", objectFieldSelector())},
          {2, message("resourceFieldRef", resourceFieldSelector())},
          {3, message("configMapKeyRef", keySelector())},
          {4, message("secretKeyRef", keySelector())},
          {5, message("fileKeyRef", {{1, str("volumeName")},
                                     {2, str("path")},
                                     {3, str("key")},
                                     {4, boolean("optional", Zero::Keep)}})}};
}

Fields envVar() {
  return {{1, str("name")}, {2, str("value")}, {3, message("valueFrom", envVarSource())}};
}

Fields envFromSource() {
  return {{1, str("prefix")},
          {2, message("configMapRef", envSource())},
          {3, message("secretRef", envSource())}};
}

Fields containerPort() {
  return {{1, str("name")},
          {2, int32("hostPort")},
          {3, int32("containerPort", Zero::Keep)},
          {4, str("protocol")},
          {5, str("hostIP")}};
}

Fields resourceRequirements() {
  return {{1, quantityMap("limits")},
          {2, quantityMap("requests")},
          {3, repeatedMessage("claims", {{1, str("name")}, {2, str("request")}})}};
}

Fields containerRestartRule() {
  // values is []int32: repeatedInt64 reads the same varints.
  return {{1, str("action")},
          {2, message("exitCodes", {{1, str("operator")}, {2, repeatedInt64("values")}})}};
}

Fields volumeMount() {
  return {{1, str("name")},       {2, boolean("readOnly")}, {7, str("recursiveReadOnly")},
          {3, str("mountPath")},  {4, str("subPath")},      {5, str("mountPropagation")},
          {6, str("subPathExpr")}};
}

Fields execAction() { return {{1, repeatedStr("command")}}; }

Fields httpGetAction() {
  return {{1, str("path")},
          {2, intOrString("port")},
          {3, str("host")},
          {4, str("scheme")},
          {5, repeatedMessage("httpHeaders", {{1, str("name")}, {2, str("value")}})}};
}

Fields tcpSocketAction() { return {{1, intOrString("port")}, {2, str("host")}}; }

Fields probeHandler() {
  return {{1, message("exec", execAction())},
          {2, message("httpGet", httpGetAction())},
          {3, message("tcpSocket", tcpSocketAction())},
          {4, message("grpc", {{1, int32("port", Zero::Keep)}, {2, str("service")}})}};
}

Fields probe() {
  return {{1, inlined(probeHandler())},
          {2, int32("initialDelaySeconds")},
          {3, int32("timeoutSeconds")},
          {4, int32("periodSeconds")},
          {5, int32("successThreshold")},
          {6, int32("failureThreshold")},
          {7, int64("terminationGracePeriodSeconds", Zero::Keep)}};
}

Fields lifecycleHandler() {
  return {{1, message("exec", execAction())},
          {2, message("httpGet", httpGetAction())},
          {3, message("tcpSocket", tcpSocketAction())},
          {4, message("sleep", {{1, int64("seconds", Zero::Keep)}})}};
}

Fields lifecycle() {
  return {{1, message("postStart", lifecycleHandler())},
          {2, message("preStop", lifecycleHandler())},
          {3, str("stopSignal")}};
}

Fields seLinuxOptions() {
  return {{1, str("user")}, {2, str("role")}, {3, str("type")}, {4, str("level")}};
}

Fields windowsSecurityContextOptions() {
  return {{1, str("gmsaCredentialSpecName")},
          {2, str("gmsaCredentialSpec")},
          {3, str("runAsUserName")},
          {4, boolean("hostProcess", Zero::Keep)}};
}

// SeccompProfile and AppArmorProfile.
Fields securityProfile() { return {{1, str("type")}, {2, str("localhostProfile")}}; }

Fields securityContext() {
  return {{1, message("capabilities", {{1, repeatedStr("add")}, {2, repeatedStr("drop")}})},
          {2, boolean("privileged", Zero::Keep)},
          {3, message("seLinuxOptions", seLinuxOptions())},
          {10, message("windowsOptions", windowsSecurityContextOptions())},
          {4, int64("runAsUser", Zero::Keep)},
          {8, int64("runAsGroup", Zero::Keep)},
          {5, boolean("runAsNonRoot", Zero::Keep)},
          {6, boolean("readOnlyRootFilesystem", Zero::Keep)},
          {7, boolean("allowPrivilegeEscalation", Zero::Keep)},
          {9, str("procMount")},
          {11, message("seccompProfile", securityProfile())},
          {12, message("appArmorProfile", securityProfile())}};
}

// Container; EphemeralContainerCommon has the same numbers and keys.
Fields container() {
  return {
      {1, str("name")},
      {2, str("image")},
      {3, repeatedStr("command")},
      {4, repeatedStr("args")},
      {5, str("workingDir")},
      {6, repeatedMessage("ports", containerPort())},
      {19, repeatedMessage("envFrom", envFromSource())},
      {7, repeatedMessage("env", envVar())},
      {8, message("resources", resourceRequirements())},
      {23, repeatedMessage("resizePolicy", {{1, str("resourceName")}, {2, str("restartPolicy")}})},
      {24, str("restartPolicy")},
      {25, repeatedMessage("restartPolicyRules", containerRestartRule())},
      {9, repeatedMessage("volumeMounts", volumeMount())},
      {21, repeatedMessage("volumeDevices", {{1, str("name")}, {2, str("devicePath")}})},
      {10, message("livenessProbe", probe())},
      {11, message("readinessProbe", probe())},
      {22, message("startupProbe", probe())},
      {12, message("lifecycle", lifecycle())},
      {13, str("terminationMessagePath")},
      {20, str("terminationMessagePolicy")},
      {14, str("imagePullPolicy")},
      {15, message("securityContext", securityContext())},
      {16, boolean("stdin")},
      {17, boolean("stdinOnce")},
      {18, boolean("tty")}};
}

// ---- volumes ----

Fields keyToPath() { return {{1, str("key")}, {2, str("path")}, {3, int32("mode", Zero::Keep)}}; }

Fields downwardAPIVolumeFile() {
  return {{1, str("path")},
          {2, message("fieldRef", objectFieldSelector())},
          {3, message("resourceFieldRef", resourceFieldSelector())},
          {4, int32("mode", Zero::Keep)}};
}

// SecretProjection and ConfigMapProjection.
Fields keyProjection() {
  return {{1, inlined(localObjectReference())},
          {2, repeatedMessage("items", keyToPath())},
          {4, boolean("optional", Zero::Keep)}};
}

Fields volumeProjection() {
  return {{1, message("secret", keyProjection())},
          {2, message("downwardAPI", {{1, repeatedMessage("items", downwardAPIVolumeFile())}})},
          {3, message("configMap", keyProjection())},
          {4, message("serviceAccountToken", {{1, str("audience")},
                                              {2, int64("expirationSeconds", Zero::Keep)},
                                              {3, str("path")}})},
          {5, message("clusterTrustBundle", {{1, str("name")},
                                             {2, str("signerName")},
                                             {3, labelSelector("labelSelector")},
                                             {5, boolean("optional", Zero::Keep)},
                                             {4, str("path")}})},
          {6, message("podCertificate", {{1, str("signerName")},
                                         {2, str("keyType")},
                                         {3, int32("maxExpirationSeconds", Zero::Keep)},
                                         {4, str("credentialBundlePath")},
                                         {5, str("keyPath")},
                                         {6, str("certificateChainPath")},
                                         {7, stringMap("userAnnotations")}})}};
}

Fields persistentVolumeClaimSpec() {
  return {
      {1, repeatedStr("accessModes")},
      {4, labelSelector("selector")},
      {2, message("resources", {{1, quantityMap("limits")}, {2, quantityMap("requests")}})},
      {3, str("volumeName")},
      {5, str("storageClassName")},
      {6, str("volumeMode")},
      {7, message("dataSource", {{1, str("apiGroup")}, {2, str("kind")}, {3, str("name")}})},
      {8,
       message("dataSourceRef",
               {{1, str("apiGroup")}, {2, str("kind")}, {3, str("name")}, {4, str("namespace")}})},
      {9, str("volumeAttributesClassName")}};
}

Fields persistentVolumeClaimStatus() {
  return {{1, str("phase")},
          {2, repeatedStr("accessModes")},
          {3, quantityMap("capacity")},
          {4, repeatedMessage("conditions", probedCondition())},
          {5, quantityMap("allocatedResources")},
          {7, stringMap("allocatedResourceStatuses")},
          {8, str("currentVolumeAttributesClassName")},
          {9, message("modifyVolumeStatus",
                      {{1, str("targetVolumeAttributesClassName")}, {2, str("status")}})}};
}

Fields persistentVolumeClaim() {
  return {{1, objectMeta()},
          {2, message("spec", persistentVolumeClaimSpec())},
          {3, message("status", persistentVolumeClaimStatus())}};
}

Fields iscsiVolumeSource() {
  return {{1, str("targetPortal")},
          {2, str("iqn")},
          {3, int32("lun", Zero::Keep)},
          {4, str("iscsiInterface")},
          {5, str("fsType")},
          {6, boolean("readOnly")},
          {7, repeatedStr("portals")},
          {8, boolean("chapAuthDiscovery")},
          {11, boolean("chapAuthSession")},
          {10, message("secretRef", localObjectReference())},
          {12, str("initiatorName")}};
}

// VolumeSource; the in-tree sources deprecated or removed upstream are left out.
Fields volumeSource() {
  return {{1, message("hostPath", {{1, str("path")}, {2, str("type")}})},
          {2, message("emptyDir", {{1, str("medium")}, {2, quantity("sizeLimit")}})},
          {6, message("secret", {{1, str("secretName")},
                                 {2, repeatedMessage("items", keyToPath())},
                                 {3, int32("defaultMode", Zero::Keep)},
                                 {4, boolean("optional", Zero::Keep)}})},
          {7, message("nfs", {{1, str("server")}, {2, str("path")}, {3, boolean("readOnly")}})},
          {8, message("iscsi", iscsiVolumeSource())},
          {10, message("persistentVolumeClaim", {{1, str("claimName")}, {2, boolean("readOnly")}})},
          {16, message("downwardAPI", {{1, repeatedMessage("items", downwardAPIVolumeFile())},
                                       {2, int32("defaultMode", Zero::Keep)}})},
          {17, message("fc", {{1, repeatedStr("targetWWNs")},
                              {2, int32("lun", Zero::Keep)},
                              {3, str("fsType")},
                              {4, boolean("readOnly")},
                              {5, repeatedStr("wwids")}})},
          {19, message("configMap", {{1, inlined(localObjectReference())},
                                     {2, repeatedMessage("items", keyToPath())},
                                     {3, int32("defaultMode", Zero::Keep)},
                                     {4, boolean("optional", Zero::Keep)}})},
          {26, message("projected", {{1, repeatedMessage("sources", volumeProjection())},
                                     {2, int32("defaultMode", Zero::Keep)}})},
          {28, message("csi", {{1, str("driver")},
                               {2, boolean("readOnly", Zero::Keep)},
                               {3, str("fsType")},
                               {4, stringMap("volumeAttributes")},
                               {5, message("nodePublishSecretRef", localObjectReference())}})},
          {29, message("ephemeral",
                       {{1, message("volumeClaimTemplate",
                                    {{1, objectMeta()},
                                     {2, message("spec", persistentVolumeClaimSpec())}})}})},
          {30, message("image", {{1, str("reference")}, {2, str("pullPolicy")}})}};
}

Fields volume() { return {{1, str("name")}, {2, inlined(volumeSource())}}; }

// ---- pod spec ----

Fields podSecurityContext() {
  return {{1, message("seLinuxOptions", seLinuxOptions())},
          {8, message("windowsOptions", windowsSecurityContextOptions())},
          {2, int64("runAsUser", Zero::Keep)},
          {6, int64("runAsGroup", Zero::Keep)},
          {3, boolean("runAsNonRoot", Zero::Keep)},
          {4, repeatedInt64("supplementalGroups")},
          {12, str("supplementalGroupsPolicy")},
          {5, int64("fsGroup", Zero::Keep)},
          {7, repeatedMessage("sysctls", {{1, str("name")}, {2, str("value")}})},
          {9, str("fsGroupChangePolicy")},
          {10, message("seccompProfile", securityProfile())},
          {11, message("appArmorProfile", securityProfile())},
          {13, str("seLinuxChangePolicy")}};
}

Fields nodeSelectorTerm() {
  const Fields requirement = {{1, str("key")}, {2, str("operator")}, {3, repeatedStr("values")}};
  return {{1, repeatedMessage("matchExpressions", requirement)},
          {2, repeatedMessage("matchFields", requirement)}};
}

Fields nodeAffinity() {
  return {{1, message("requiredDuringSchedulingIgnoredDuringExecution",
                      {{1, repeatedMessage("nodeSelectorTerms", nodeSelectorTerm())}})},
          {2, repeatedMessage("preferredDuringSchedulingIgnoredDuringExecution",
                              {{1, int32("weight", Zero::Keep)},
                               {2, message("preference", nodeSelectorTerm())}})}};
}

Fields podAffinityTerm() {
  return {{1, labelSelector("labelSelector")},
          {2, repeatedStr("namespaces")},
          {3, str("topologyKey")},
          {4, labelSelector("namespaceSelector")},
          {5, repeatedStr("matchLabelKeys")},
          {6, repeatedStr("mismatchLabelKeys")}};
}

// PodAffinity and PodAntiAffinity.
Fields podAffinity() {
  return {{1, repeatedMessage("requiredDuringSchedulingIgnoredDuringExecution", podAffinityTerm())},
          {2, repeatedMessage("preferredDuringSchedulingIgnoredDuringExecution",
                              {{1, int32("weight", Zero::Keep)},
                               {2, message("podAffinityTerm", podAffinityTerm())}})}};
}

Fields affinity() {
  return {{1, message("nodeAffinity", nodeAffinity())},
          {2, message("podAffinity", podAffinity())},
          {3, message("podAntiAffinity", podAffinity())}};
}

Fields toleration() {
  return {{1, str("key")},
          {2, str("operator")},
          {3, str("value")},
          {4, str("effect")},
          {5, int64("tolerationSeconds", Zero::Keep)}};
}

Fields topologySpreadConstraint() {
  return {{1, int32("maxSkew", Zero::Keep)},    {2, str("topologyKey")},
          {3, str("whenUnsatisfiable")},        {4, labelSelector("labelSelector")},
          {5, int32("minDomains", Zero::Keep)}, {6, str("nodeAffinityPolicy")},
          {7, str("nodeTaintsPolicy")},         {8, repeatedStr("matchLabelKeys")}};
}

Fields podDNSConfig() {
  return {{1, repeatedStr("nameservers")},
          {2, repeatedStr("searches")},
          {3, repeatedMessage("options", {{1, str("name")}, {2, str("value")}})}};
}

Fields podSpec() {
  return {{1, repeatedMessage("volumes", volume())},
          {20, repeatedMessage("initContainers", container())},
          {2, repeatedMessage("containers", container())},
          {34, repeatedMessage("ephemeralContainers",
                               {{1, inlined(container())}, {2, str("targetContainerName")}})},
          {3, str("restartPolicy")},
          {4, int64("terminationGracePeriodSeconds", Zero::Keep)},
          {5, int64("activeDeadlineSeconds", Zero::Keep)},
          {6, str("dnsPolicy")},
          {7, stringMap("nodeSelector")},
          {8, str("serviceAccountName")},
          {9, str("serviceAccount")},
          {21, boolean("automountServiceAccountToken", Zero::Keep)},
          {10, str("nodeName")},
          {11, boolean("hostNetwork")},
          {12, boolean("hostPID")},
          {13, boolean("hostIPC")},
          {27, boolean("shareProcessNamespace", Zero::Keep)},
          {14, message("securityContext", podSecurityContext())},
          {15, repeatedMessage("imagePullSecrets", localObjectReference())},
          {16, str("hostname")},
          {17, str("subdomain")},
          {18, message("affinity", affinity())},
          {19, str("schedulerName")},
          {22, repeatedMessage("tolerations", toleration())},
          {23, repeatedMessage("hostAliases", {{1, str("ip")}, {2, repeatedStr("hostnames")}})},
          {24, str("priorityClassName")},
          {25, int32("priority", Zero::Keep)},
          {26, message("dnsConfig", podDNSConfig())},
          {28, repeatedMessage("readinessGates", {{1, str("conditionType")}})},
          {29, str("runtimeClassName")},
          {30, boolean("enableServiceLinks", Zero::Keep)},
          {31, str("preemptionPolicy")},
          {32, quantityMap("overhead")},
          {33, repeatedMessage("topologySpreadConstraints", topologySpreadConstraint())},
          {35, boolean("setHostnameAsFQDN", Zero::Keep)},
          {36, message("os", {{1, str("name")}})},
          {37, boolean("hostUsers", Zero::Keep)},
          {38, repeatedMessage("schedulingGates", {{1, str("name")}})},
          {39, repeatedMessage("resourceClaims", {{1, str("name")},
                                                  {3, str("resourceClaimName")},
                                                  {4, str("resourceClaimTemplateName")}})},
          {40, message("resources", resourceRequirements())},
          {41, str("hostnameOverride")},
          {42, message("workloadRef",
                       {{1, str("name")}, {2, str("podGroup")}, {3, str("podGroupReplicaKey")}})}};
}

Fields podTemplateSpec() { return {{1, objectMeta()}, {2, message("spec", podSpec())}}; }

// ---- pod status ----

Fields containerState() {
  return {{1, message("waiting", {{1, str("reason")}, {2, str("message")}})},
          {2, message("running", {{1, time("startedAt")}})},
          {3, message("terminated", {{1, int32("exitCode", Zero::Keep)},
                                     {2, int32("signal")},
                                     {3, str("reason")},
                                     {4, str("message")},
                                     {5, time("startedAt")},
                                     {6, time("finishedAt")},
                                     {7, str("containerID")}})}};
}

Fields containerStatus() {
  return {
      {1, str("name")},
      {2, message("state", containerState())},
      {3, message("lastState", containerState())},
      {4, boolean("ready", Zero::Keep)},
      {5, int32("restartCount", Zero::Keep)},
      {6, str("image")},
      {7, str("imageID")},
      {8, str("containerID")},
      {9, boolean("started", Zero::Keep)},
      {10, quantityMap("allocatedResources")},
      {11, message("resources", resourceRequirements())},
      {12, repeatedMessage("volumeMounts", {{1, str("name")},
                                            {2, str("mountPath")},
                                            {3, boolean("readOnly")},
                                            {4, str("recursiveReadOnly")}})},
      {13, message("user", {{1, message("linux", {{1, int64("uid", Zero::Keep)},
                                                  {2, int64("gid", Zero::Keep)},
                                                  {3, repeatedInt64("supplementalGroups")}})}})},
      {14, repeatedMessage("allocatedResourcesStatus",
                           {{1, str("name")},
                            {2, repeatedMessage("resources", {{1, str("resourceID")},
                                                              {2, str("health")},
                                                              {6, str("message")}})}})},
      {15, str("stopSignal")}};
}

Fields podStatus() {
  Fields podCondition = probedCondition();
  podCondition.emplace(7, int64("observedGeneration"));
  return {{17, int64("observedGeneration")},
          {1, str("phase")},
          {2, repeatedMessage("conditions", std::move(podCondition))},
          {3, str("message")},
          {4, str("reason")},
          {11, str("nominatedNodeName")},
          {5, str("hostIP")},
          {16, repeatedMessage("hostIPs", {{1, str("ip")}})},
          {6, str("podIP")},
          {12, repeatedMessage("podIPs", {{1, str("ip")}})},
          {7, time("startTime")},
          {10, repeatedMessage("initContainerStatuses", containerStatus())},
          {8, repeatedMessage("containerStatuses", containerStatus())},
          {9, str("qosClass")},
          {13, repeatedMessage("ephemeralContainerStatuses", containerStatus())},
          {14, str("resize")},
          {15, repeatedMessage("resourceClaimStatuses",
                               {{1, str("name")}, {2, str("resourceClaimName")}})},
          {18, message("extendedResourceClaimStatus",
                       {{1, repeatedMessage("requestMappings", {{1, str("containerName")},
                                                                {2, str("resourceName")},
                                                                {3, str("requestName")}})},
                        {2, str("resourceClaimName")}})},
          {19, quantityMap("allocatedResources")},
          {20, message("resources", resourceRequirements())}};
}

// ---- core/v1 ReplicationController and Service ----

Fields replicationControllerSpec() {
  return {{1, int32("replicas", Zero::Keep)},
          {4, int32("minReadySeconds")},
          {2, stringMap("selector")},
          {3, message("template", podTemplateSpec())}};
}

Fields replicationControllerStatus() {
  return {
      {1, int32("replicas", Zero::Keep)}, {2, int32("fullyLabeledReplicas")},
      {4, int32("readyReplicas")},        {5, int32("availableReplicas")},
      {3, int64("observedGeneration")},   {6, repeatedMessage("conditions", workloadCondition())}};
}

Fields servicePort() {
  return {{1, str("name")},
          {2, str("protocol")},
          {6, str("appProtocol")},
          {3, int32("port", Zero::Keep)},
          {4, intOrString("targetPort")},
          {5, int32("nodePort")}};
}

Fields serviceSpec() {
  return {{1, repeatedMessage("ports", servicePort())},
          {2, stringMap("selector")},
          {3, str("clusterIP")},
          {18, repeatedStr("clusterIPs")},
          {4, str("type")},
          {5, repeatedStr("externalIPs")},
          {7, str("sessionAffinity")},
          {8, str("loadBalancerIP")},
          {9, repeatedStr("loadBalancerSourceRanges")},
          {10, str("externalName")},
          {11, str("externalTrafficPolicy")},
          {12, int32("healthCheckNodePort")},
          {13, boolean("publishNotReadyAddresses")},
          {14, message("sessionAffinityConfig",
                       {{1, message("clientIP", {{1, int32("timeoutSeconds", Zero::Keep)}})}})},
          {19, repeatedStr("ipFamilies")},
          {17, str("ipFamilyPolicy")},
          {20, boolean("allocateLoadBalancerNodePorts", Zero::Keep)},
          {21, str("loadBalancerClass")},
          {22, str("internalTrafficPolicy")},
          {23, str("trafficDistribution")}};
}

Fields serviceStatus() {
  const Fields portStatus = {
      {1, int32("port", Zero::Keep)}, {2, str("protocol")}, {3, str("error")}};
  const Fields ingress = {{1, str("ip")},
                          {2, str("hostname")},
                          {3, str("ipMode")},
                          {4, repeatedMessage("ports", portStatus)}};
  return {{1, message("loadBalancer", {{1, repeatedMessage("ingress", ingress)}})},
          {2, repeatedMessage("conditions", condition())}};
}

// ---- apps/v1 ----

// RollingUpdateDeployment and RollingUpdateDaemonSet.
Fields rollingUpdate() {
  return {{1, intOrString("maxUnavailable")}, {2, intOrString("maxSurge")}};
}

Fields deploymentSpec() {
  return {
      {1, int32("replicas", Zero::Keep)},
      {2, labelSelector("selector")},
      {3, message("template", podTemplateSpec())},
      {4, message("strategy", {{1, str("type")}, {2, message("rollingUpdate", rollingUpdate())}})},
      {5, int32("minReadySeconds")},
      {6, int32("revisionHistoryLimit", Zero::Keep)},
      {7, boolean("paused")},
      {9, int32("progressDeadlineSeconds", Zero::Keep)},
      {10, str("podReplacementPolicy")}};
}

Fields deploymentStatus() {
  const Fields deploymentCondition = {{1, str("type")},
                                      {2, str("status")},
                                      {6, time("lastUpdateTime")},
                                      {7, time("lastTransitionTime")},
                                      {4, str("reason")},
                                      {5, str("message")}};
  return {{1, int64("observedGeneration")},
          {2, int32("replicas")},
          {3, int32("updatedReplicas")},
          {7, int32("readyReplicas")},
          {4, int32("availableReplicas")},
          {5, int32("unavailableReplicas")},
          {9, int32("terminatingReplicas", Zero::Keep)},
          {6, repeatedMessage("conditions", deploymentCondition)},
          {8, int32("collisionCount", Zero::Keep)}};
}

Fields replicaSetSpec() {
  return {{1, int32("replicas", Zero::Keep)},
          {4, int32("minReadySeconds")},
          {2, labelSelector("selector")},
          {3, message("template", podTemplateSpec())}};
}

Fields replicaSetStatus() {
  return {{1, int32("replicas", Zero::Keep)},
          {2, int32("fullyLabeledReplicas")},
          {4, int32("readyReplicas")},
          {5, int32("availableReplicas")},
          {7, int32("terminatingReplicas", Zero::Keep)},
          {3, int64("observedGeneration")},
          {6, repeatedMessage("conditions", workloadCondition())}};
}

Fields statefulSetSpec() {
  return {{1, int32("replicas", Zero::Keep)},
          {2, labelSelector("selector")},
          {3, message("template", podTemplateSpec())},
          {4, repeatedMessage("volumeClaimTemplates", persistentVolumeClaim())},
          {5, str("serviceName")},
          {6, str("podManagementPolicy")},
          {7, message("updateStrategy",
                      {{1, str("type")},
                       {2, message("rollingUpdate", {{1, int32("partition", Zero::Keep)},
                                                     {2, intOrString("maxUnavailable")}})}})},
          {8, int32("revisionHistoryLimit", Zero::Keep)},
          {9, int32("minReadySeconds")},
          {10, message("persistentVolumeClaimRetentionPolicy",
                       {{1, str("whenDeleted")}, {2, str("whenScaled")}})},
          {11, message("ordinals", {{1, int32("start", Zero::Keep)}})}};
}

Fields statefulSetStatus() {
  return {{1, int64("observedGeneration")},
          {2, int32("replicas", Zero::Keep)},
          {3, int32("readyReplicas")},
          {4, int32("currentReplicas")},
          {5, int32("updatedReplicas")},
          {6, str("currentRevision")},
          {7, str("updateRevision")},
          {9, int32("collisionCount", Zero::Keep)},
          {10, repeatedMessage("conditions", workloadCondition())},
          {11, int32("availableReplicas", Zero::Keep)}};
}

Fields daemonSetSpec() {
  return {{1, labelSelector("selector")},
          {2, message("template", podTemplateSpec())},
          {3, message("updateStrategy",
                      {{1, str("type")}, {2, message("rollingUpdate", rollingUpdate())}})},
          {4, int32("minReadySeconds")},
          {6, int32("revisionHistoryLimit", Zero::Keep)}};
}

Fields daemonSetStatus() {
  return {{1, int32("currentNumberScheduled", Zero::Keep)},
          {2, int32("numberMisscheduled", Zero::Keep)},
          {3, int32("desiredNumberScheduled", Zero::Keep)},
          {4, int32("numberReady", Zero::Keep)},
          {5, int64("observedGeneration")},
          {6, int32("updatedNumberScheduled")},
          {7, int32("numberAvailable")},
          {8, int32("numberUnavailable")},
          {9, int32("collisionCount", Zero::Keep)},
          {10, repeatedMessage("conditions", workloadCondition())}};
}

// ---- batch/v1 ----

Fields podFailurePolicy() {
  // values is []int32: repeatedInt64 reads the same varints.
  const Fields onExitCodes = {
      {1, str("containerName")}, {2, str("operator")}, {3, repeatedInt64("values")}};
  return {{1, repeatedMessage("rules",
                              {{1, str("action")},
                               {2, message("onExitCodes", onExitCodes)},
                               {3, repeatedMessage("onPodConditions",
                                                   {{1, str("type")}, {2, str("status")}})}})}};
}

Fields jobSpec() {
  return {
      {1, int32("parallelism", Zero::Keep)},
      {2, int32("completions", Zero::Keep)},
      {3, int64("activeDeadlineSeconds", Zero::Keep)},
      {11, message("podFailurePolicy", podFailurePolicy())},
      {16, message("successPolicy",
                   {{1, repeatedMessage("rules", {{1, str("succeededIndexes")},
                                                  {2, int32("succeededCount", Zero::Keep)}})}})},
      {7, int32("backoffLimit", Zero::Keep)},
      {12, int32("backoffLimitPerIndex", Zero::Keep)},
      {13, int32("maxFailedIndexes", Zero::Keep)},
      {4, labelSelector("selector")},
      {5, boolean("manualSelector", Zero::Keep)},
      {6, message("template", podTemplateSpec())},
      {8, int32("ttlSecondsAfterFinished", Zero::Keep)},
      {9, str("completionMode")},
      {10, boolean("suspend", Zero::Keep)},
      {14, str("podReplacementPolicy")},
      {15, str("managedBy")}};
}

Fields jobStatus() {
  return {{1, repeatedMessage("conditions", probedCondition())},
          {2, time("startTime")},
          {3, time("completionTime")},
          {4, int32("active")},
          {5, int32("succeeded")},
          {6, int32("failed")},
          {11, int32("terminating", Zero::Keep)},
          {7, str("completedIndexes")},
          {10, str("failedIndexes")},
          {8, message("uncountedTerminatedPods",
                      {{1, repeatedStr("succeeded")}, {2, repeatedStr("failed")}})},
          {9, int32("ready", Zero::Keep)}};
}

Fields cronJobSpec() {
  return {{1, str("schedule")},
          {8, str("timeZone")},
          {2, int64("startingDeadlineSeconds", Zero::Keep)},
          {3, str("concurrencyPolicy")},
          {4, boolean("suspend", Zero::Keep)},
          {5, message("jobTemplate", {{1, objectMeta()}, {2, message("spec", jobSpec())}})},
          {6, int32("successfulJobsHistoryLimit", Zero::Keep)},
          {7, int32("failedJobsHistoryLimit", Zero::Keep)}};
}

Fields cronJobStatus() {
  return {{1, repeatedMessage("active", objectReference())},
          {4, time("lastScheduleTime")},
          {5, time("lastSuccessfulTime")}};
}

// ---- policy/v1 ----

Fields podDisruptionBudgetSpec() {
  return {{1, intOrString("minAvailable")},
          {2, labelSelector("selector")},
          {3, intOrString("maxUnavailable")},
          {4, str("unhealthyPodEvictionPolicy")}};
}

Fields podDisruptionBudgetStatus() {
  // disruptedPods (2, map<string, metav1.Time>) is left out: no primitive writes a map of times.
  return {
      {1, int64("observedGeneration")},         {3, int32("disruptionsAllowed", Zero::Keep)},
      {4, int32("currentHealthy", Zero::Keep)}, {5, int32("desiredHealthy", Zero::Keep)},
      {6, int32("expectedPods", Zero::Keep)},   {7, repeatedMessage("conditions", condition())}};
}

// metadata, spec and status, the layout of every kind here but PodTemplate.
Fields specAndStatus(Fields spec, Fields status) {
  return {{1, objectMeta()},
          {2, message("spec", std::move(spec))},
          {3, message("status", std::move(status))}};
}

}  // namespace

Fields persistentVolumeClaimFields() { return persistentVolumeClaim(); }

std::optional<Fields> workloadKindTable(const std::string& apiVersion, const std::string& kind) {
  if (apiVersion == "v1") {
    if (kind == "Pod") return specAndStatus(podSpec(), podStatus());
    if (kind == "PodTemplate") {
      return Fields{{1, objectMeta()}, {2, message("template", podTemplateSpec())}};
    }
    if (kind == "ReplicationController") {
      return specAndStatus(replicationControllerSpec(), replicationControllerStatus());
    }
    if (kind == "Service") return specAndStatus(serviceSpec(), serviceStatus());
    return std::nullopt;
  }
  if (apiVersion == "apps/v1") {
    if (kind == "Deployment") return specAndStatus(deploymentSpec(), deploymentStatus());
    if (kind == "ReplicaSet") return specAndStatus(replicaSetSpec(), replicaSetStatus());
    if (kind == "StatefulSet") return specAndStatus(statefulSetSpec(), statefulSetStatus());
    if (kind == "DaemonSet") return specAndStatus(daemonSetSpec(), daemonSetStatus());
    return std::nullopt;
  }
  if (apiVersion == "batch/v1") {
    if (kind == "Job") return specAndStatus(jobSpec(), jobStatus());
    if (kind == "CronJob") return specAndStatus(cronJobSpec(), cronJobStatus());
    return std::nullopt;
  }
  if (apiVersion == "policy/v1" && kind == "PodDisruptionBudget") {
    return specAndStatus(podDisruptionBudgetSpec(), podDisruptionBudgetStatus());
  }
  return std::nullopt;
}

}  // namespace kubesim::http::protobuf
