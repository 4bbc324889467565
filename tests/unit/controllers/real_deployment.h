#pragma once
// A Deployment as a real kube-apiserver stores it, for tests that must hold on real objects.

#include <nlohmann/json.hpp>

namespace tro::controllers::testing {

// Verbatim: a real kube-apiserver's answer to creating Deployment "web" (server defaults filled
// in), from /work/shared/reference/real-apiserver-responses.md section 28.
inline nlohmann::json realDeployment() {
  return nlohmann::json::parse(
      R"json({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web",
"namespace": "default", "selfLink": "/apis/apps/v1/namespaces/default/deployments/web",
"uid": "e4bd2994-6a23-45b2-a6c1-bc956cef3275", "resourceVersion": "65", "generation": 1,
"creationTimestamp": "2026-11-21T05:39:28Z", "labels": {"app": "web"},
"managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
"apiVersion": "apps/v1", "time": "2026-11-21T05:39:28Z", "fieldsType": "FieldsV1",
"fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
"f:spec": {"f:progressDeadlineSeconds": {}, "f:replicas": {}, "f:revisionHistoryLimit": {},
"f:selector": {"f:matchLabels": {".": {}, "f:app": {}}},
"f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}},
"f:type": {}}, "f:template": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
"f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:env": {".": {},
"k:{\"name\":\"KEEP\"}": {".": {}, "f:name": {}, "f:value": {}}}, "f:image": {},
"f:imagePullPolicy": {}, "f:name": {}, "f:resources": {}, "f:terminationMessagePath": {},
"f:terminationMessagePolicy": {}}, "k:{\"name\":\"side\"}": {".": {}, "f:image": {},
"f:imagePullPolicy": {}, "f:name": {}, "f:resources": {}, "f:terminationMessagePath": {},
"f:terminationMessagePolicy": {}}}, "f:dnsPolicy": {}, "f:restartPolicy": {},
"f:schedulerName": {}, "f:securityContext": {}, "f:terminationGracePeriodSeconds": {}}}}}}]},
"spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
"template": {"metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
"spec": {"containers": [{"name": "app", "image": "example/app:1.0", "env": [{"name": "KEEP",
"value": "1"}], "resources": {}, "terminationMessagePath": "/dev/termination-log",
"terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}, {"name": "side",
"image": "example/side:1.0", "resources": {},
"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
"imagePullPolicy": "IfNotPresent"}], "restartPolicy": "Always",
"terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst", "securityContext": {},
"schedulerName": "default-scheduler"}}, "strategy": {"type": "RollingUpdate",
"rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}, "revisionHistoryLimit": 10,
"progressDeadlineSeconds": 600}, "status": {}})json");
}

}  // namespace tro::controllers::testing
