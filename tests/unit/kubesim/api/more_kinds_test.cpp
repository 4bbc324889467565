// The storage-only kinds a real cluster serves beyond workloads, through ApiServer::handle: core
// Nodes (three bootstrapped, as a kind cluster's), Endpoints, PersistentVolumeClaims,
// PersistentVolumes, ResourceQuotas and LimitRanges; autoscaling/v2 HorizontalPodAutoscalers;
// networking.k8s.io/v1 Ingresses, IngressClasses and NetworkPolicies; admissionregistration
// webhook configurations. Each is served in discovery, stored with the real server's defaults and
// listed with its table columns.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

constexpr const char* kNodes = "/api/v1/nodes";
constexpr const char* kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
constexpr const char* kNow = "2026-11-21T05:39:24Z";  // testing::fixedTime()

std::string ns(const char* plural) { return std::string("/api/v1/namespaces/default/") + plural; }

std::string group(const char* groupVersion, const char* plural, bool namespaced = true) {
  return std::string("/apis/") + groupVersion + (namespaced ? "/namespaces/default/" : "/") +
         plural;
}

std::string object(const char* apiVersion, const char* kind, const std::string& name,
                   const Json& fields) {
  Json o = {{"apiVersion", apiVersion}, {"kind", kind}, {"metadata", {{"name", name}}}};
  for (const auto& [key, value] : fields.items()) o[key] = value;
  return o.dump();
}

std::vector<std::string> columnNames(const Json& table) {
  std::vector<std::string> names;
  for (const auto& c : table["columnDefinitions"]) names.push_back(c["name"]);
  return names;
}

std::vector<std::string> resourceNames(const Json& list) {
  std::vector<std::string> names;
  for (const auto& r : list["resources"]) names.push_back(r["name"]);
  return names;
}

class MoreKindsTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  Json ok(const std::string& target) {
    auto r = call("GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return r.status == 200 ? bodyOf(r) : Json();
  }
  Json created(const std::string& collection, const std::string& body) {
    auto r = call("POST", collection, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? bodyOf(r) : Json();
  }
  Json patched(const std::string& target, const Json& patch) {
    auto r = call("PATCH", target, patch.dump(), "application/merge-patch+json");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? bodyOf(r) : Json();
  }
  Json table(const std::string& target) {
    auto req = makeRequest("GET", target);
    req.headers["accept"] = kTableAccept;
    auto r = server_.handle(req);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? bodyOf(r) : Json();
  }
  ApiServer server_{testOptions()};
};

// ---- discovery ----

TEST_F(MoreKindsTest, DiscoveryServesEveryKindUnderItsGroupVersion) {
  Json core = ok("/api/v1");
  std::vector<std::string> names = resourceNames(core);
  for (const char* name :
       {"endpoints", "limitranges", "nodes", "nodes/status", "persistentvolumeclaims",
        "persistentvolumeclaims/status", "persistentvolumes", "persistentvolumes/status",
        "resourcequotas", "resourcequotas/status"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  for (auto& r : core["resources"]) {
    if (r["name"] == "nodes") {
      EXPECT_EQ(r["namespaced"], false);
      EXPECT_EQ(r["kind"], "Node");
      EXPECT_EQ(r["shortNames"], Json::array({"no"}));
    } else if (r["name"] == "persistentvolumes") {
      EXPECT_EQ(r["namespaced"], false);
      EXPECT_EQ(r["shortNames"], Json::array({"pv"}));
    } else if (r["name"] == "persistentvolumeclaims") {
      EXPECT_EQ(r["shortNames"], Json::array({"pvc"}));
    } else if (r["name"] == "resourcequotas") {
      EXPECT_EQ(r["shortNames"], Json::array({"quota"}));
    } else if (r["name"] == "limitranges") {
      EXPECT_EQ(r["shortNames"], Json::array({"limits"}));
    } else if (r["name"] == "endpoints") {
      EXPECT_EQ(r["shortNames"], Json::array({"ep"}));
      EXPECT_EQ(r["singularName"], "endpoints");
    }
  }

  Json autoscaling = ok("/apis/autoscaling");
  EXPECT_EQ(autoscaling["preferredVersion"]["groupVersion"], "autoscaling/v2");
  Json hpa = ok("/apis/autoscaling/v2");
  EXPECT_EQ(resourceNames(hpa), (std::vector<std::string>{"horizontalpodautoscalers",
                                                          "horizontalpodautoscalers/status"}));
  EXPECT_EQ(hpa["resources"][0]["shortNames"], Json::array({"hpa"}));
  EXPECT_EQ(hpa["resources"][0]["categories"], Json::array({"all"}));
  EXPECT_EQ(call("GET", "/apis/autoscaling/v1").status, 404);

  Json networking = ok("/apis/networking.k8s.io/v1");
  EXPECT_EQ(resourceNames(networking),
            (std::vector<std::string>{"ingressclasses", "ingresses", "ingresses/status",
                                      "networkpolicies"}));
  EXPECT_EQ(networking["resources"][0]["namespaced"], false);
  EXPECT_EQ(networking["resources"][1]["shortNames"], Json::array({"ing"}));
  EXPECT_EQ(networking["resources"][3]["shortNames"], Json::array({"netpol"}));

  Json admission = ok("/apis/admissionregistration.k8s.io/v1");
  EXPECT_EQ(resourceNames(admission),
            (std::vector<std::string>{"mutatingwebhookconfigurations",
                                      "validatingwebhookconfigurations"}));
  EXPECT_EQ(admission["resources"][0]["namespaced"], false);
  EXPECT_EQ(admission["resources"][1]["categories"], Json::array({"api-extensions"}));
}

// ---- the bootstrapped cluster ----

TEST_F(MoreKindsTest, ThreeReadyNodesExistAfterStartup) {
  Json list = ok(kNodes);
  ASSERT_EQ(list["items"].size(), 3u);
  std::vector<std::string> names;
  for (const auto& n : list["items"]) names.push_back(n["metadata"]["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"kubesim-control-plane", "kubesim-worker",
                                             "kubesim-worker2"}));
  for (auto& n : list["items"]) {
    SCOPED_TRACE(n["metadata"]["name"].get<std::string>());
    Json ready;
    for (const auto& c : n["status"]["conditions"]) {
      if (c["type"] == "Ready") ready = c;
    }
    EXPECT_EQ(ready["status"], "True");
    EXPECT_EQ(ready["reason"], "KubeletReady");
    EXPECT_EQ(ready["message"], "kubelet is posting ready status");
    EXPECT_EQ(n["status"]["conditions"].size(), 4u);
    EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], "v1.32.0");
    EXPECT_EQ(n["status"]["capacity"]["pods"], "110");
    EXPECT_EQ(n["status"]["allocatable"], n["status"]["capacity"]);
    EXPECT_EQ(n["metadata"]["labels"]["kubernetes.io/os"], "linux");
    EXPECT_EQ(n["metadata"]["labels"]["kubernetes.io/hostname"], n["metadata"]["name"]);
    EXPECT_FALSE(n["metadata"].contains("generation"));
  }
  Json cp = list["items"][0];
  EXPECT_EQ(
      cp["spec"]["taints"],
      Json::parse(R"([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}])"));
  EXPECT_EQ(cp["metadata"]["labels"]["node-role.kubernetes.io/control-plane"], "");
  EXPECT_EQ(cp["spec"]["podCIDR"], "10.244.0.0/24");
  EXPECT_EQ(cp["status"]["addresses"][0],
            (Json{{"type", "InternalIP"}, {"address", "172.18.0.2"}}));
  EXPECT_FALSE(list["items"][1]["spec"].contains("taints"));

  for (const auto& name : names) {
    Json node = ok(std::string(kNodes) + "/" + name);
    EXPECT_EQ(node["kind"], "Node");
    EXPECT_EQ(node["status"]["nodeInfo"]["osImage"], "Debian GNU/Linux 12 (bookworm)");
    // Each kubelet's heartbeat Lease, owned by its Node.
    Json lease = ok("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name);
    EXPECT_EQ(lease["spec"]["holderIdentity"], name);
    EXPECT_EQ(lease["metadata"]["ownerReferences"][0]["uid"], node["metadata"]["uid"]);
  }
  // The API server's own Endpoints, at the control plane's address.
  Json ep = ok(ns("endpoints") + "/kubernetes");
  EXPECT_EQ(ep["subsets"], Json::parse(R"([{"addresses": [{"ip": "172.18.0.2"}],
      "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}])"));
}

TEST_F(MoreKindsTest, NodesListWithTheRealColumns) {
  Json nodes = table(kNodes);
  EXPECT_EQ(
      columnNames(nodes),
      (std::vector<std::string>{"Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                                "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"}));
  EXPECT_EQ(nodes["columnDefinitions"][4]["priority"], 0);
  EXPECT_EQ(nodes["columnDefinitions"][5]["priority"], 1);
  ASSERT_EQ(nodes["rows"].size(), 3u);
  EXPECT_EQ(nodes["rows"][0]["cells"],
            (Json{"kubesim-control-plane", "Ready", "control-plane", "0s", "v1.32.0", "172.18.0.2",
                  "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0-49-generic",
                  "containerd://1.7.24"}));
  EXPECT_EQ(nodes["rows"][2]["cells"][0], "kubesim-worker2");
  EXPECT_EQ(nodes["rows"][2]["cells"][2], "<none>");
  EXPECT_EQ(nodes["rows"][2]["cells"][5], "172.18.0.4");

  // kubectl cordon: a strategic merge patch of spec.unschedulable.
  auto r = call("PATCH", std::string(kNodes) + "/kubesim-worker",
                R"({"spec":{"unschedulable":true}})", "application/strategic-merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(table(std::string(kNodes) + "/kubesim-worker")["rows"][0]["cells"][1],
            "Ready,SchedulingDisabled");
  Json schedulable = ok(std::string(kNodes) + "?fieldSelector=spec.unschedulable=false");
  EXPECT_EQ(schedulable["items"].size(), 2u);
  EXPECT_EQ(call("GET", std::string(kNodes) + "?fieldSelector=spec.podCIDR=x").status, 400);

  // A NotReady node, written through the status subresource.
  Json status = ok(std::string(kNodes) + "/kubesim-worker2")["status"];
  for (auto& c : status["conditions"]) {
    if (c["type"] == "Ready") c["status"] = "Unknown";
  }
  patched(std::string(kNodes) + "/kubesim-worker2/status", {{"status", status}});
  EXPECT_EQ(table(std::string(kNodes) + "/kubesim-worker2")["rows"][0]["cells"][1], "NotReady");
}

TEST_F(MoreKindsTest, ACreatedNodeKeepsItsStatusAsAKubeletRegistersIt) {
  Json n = created(
      kNodes,
      object("v1", "Node", "extra",
             {{"status",
               {{"capacity", {{"cpu", "2"}}}, {"nodeInfo", {{"kubeletVersion", "v1.32.1"}}}}}}));
  EXPECT_EQ(n["status"]["capacity"], (Json{{"cpu", "2"}}));
  EXPECT_EQ(n["status"]["allocatable"], (Json{{"cpu", "2"}}));  // defaults to capacity
  EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], "v1.32.1");
  EXPECT_EQ(n["status"]["nodeInfo"]["osImage"], "");  // Go serialises every nodeInfo string
  EXPECT_EQ(n["status"]["daemonEndpoints"], Json::parse(R"({"kubeletEndpoint": {"Port": 0}})"));
  EXPECT_EQ(n["spec"], Json::object());
  EXPECT_EQ(table(std::string(kNodes) + "/extra")["rows"][0]["cells"][1], "Unknown");
  // A later update of the main resource keeps the stored status.
  Json p = patched(std::string(kNodes) + "/extra",
                   {{"metadata", {{"labels", {{"a", "b"}}}}}, {"status", {{"phase", "x"}}}});
  EXPECT_FALSE(p["status"].contains("phase"));
}

// ---- core/v1 ----

TEST_F(MoreKindsTest, AClaimIsPendingWithFilesystemVolumeMode) {
  Json pvc = created(ns("persistentvolumeclaims"),
                     object("v1", "PersistentVolumeClaim", "data",
                            {{"spec",
                              {{"accessModes", Json::array({"ReadWriteOnce"})},
                               {"resources", {{"requests", {{"storage", "1Gi"}}}}}}},
                             {"status", {{"phase", "Bound"}}}}));
  EXPECT_EQ(pvc["spec"]["volumeMode"], "Filesystem");
  EXPECT_EQ(pvc["status"], (Json{{"phase", "Pending"}}));  // the registry resets status
  EXPECT_FALSE(pvc["metadata"].contains("generation"));

  Json claims = table(ns("persistentvolumeclaims"));
  EXPECT_EQ(
      columnNames(claims),
      (std::vector<std::string>{"Name", "Status", "Volume", "Capacity", "Access Modes",
                                "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode"}));
  EXPECT_EQ(claims["rows"][0]["cells"],
            (Json{"data", "Pending", "", "", "", "", "<unset>", "0s", "Filesystem"}));

  // Bound (as a binder would write it): capacity and access modes come from status.
  patched(ns("persistentvolumeclaims") + "/data", {{"spec", {{"volumeName", "pv-1"}}}});
  patched(ns("persistentvolumeclaims") + "/data/status",
          {{"status",
            {{"phase", "Bound"},
             {"accessModes", Json::array({"ReadWriteOnce", "ReadOnlyMany"})},
             {"capacity", {{"storage", "1024Mi"}}}}}});
  EXPECT_EQ(table(ns("persistentvolumeclaims"))["rows"][0]["cells"],
            (Json{"data", "Bound", "pv-1", "1Gi", "RWO,ROX", "", "<unset>", "0s", "Filesystem"}));
}

TEST_F(MoreKindsTest, AVolumeGetsItsReclaimPolicyAndPhase) {
  Json pv = created("/api/v1/persistentvolumes",
                    object("v1", "PersistentVolume", "pv-1",
                           {{"spec",
                             {{"capacity", {{"storage", "5Gi"}}},
                              {"accessModes", Json::array({"ReadWriteOnce"})},
                              {"hostPath", {{"path", "/data"}}}}}}));
  EXPECT_EQ(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
  EXPECT_EQ(pv["spec"]["volumeMode"], "Filesystem");
  EXPECT_EQ(pv["spec"]["hostPath"], (Json{{"path", "/data"}, {"type", ""}}));
  EXPECT_EQ(pv["status"], (Json{{"phase", "Pending"}, {"lastPhaseTransitionTime", kNow}}));
  Json volumes = table("/api/v1/persistentvolumes");
  EXPECT_EQ(columnNames(volumes),
            (std::vector<std::string>{"Name", "Capacity", "Access Modes", "Reclaim Policy",
                                      "Status", "Claim", "StorageClass", "VolumeAttributesClass",
                                      "Reason", "Age", "VolumeMode"}));
  EXPECT_EQ(volumes["rows"][0]["cells"], (Json{"pv-1", "5Gi", "RWO", "Retain", "Pending", "", "",
                                               "<unset>", "", "0s", "Filesystem"}));
}

TEST_F(MoreKindsTest, EndpointsDefaultTheirPortProtocolAndListTheirAddresses) {
  Json ep = created(ns("endpoints"),
                    object("v1", "Endpoints", "web",
                           {{"subsets", Json::parse(R"([{"addresses": [{"ip": "10.244.1.5"},
                             {"ip": "10.244.2.7"}], "ports": [{"port": 8080}, {"port": 9090}]}])")}}));
  EXPECT_EQ(ep["subsets"][0]["ports"][0]["protocol"], "TCP");
  Json eps = table(ns("endpoints"));
  EXPECT_EQ(columnNames(eps), (std::vector<std::string>{"Name", "Endpoints", "Age"}));
  ASSERT_EQ(eps["rows"].size(), 2u);
  EXPECT_EQ(eps["rows"][0]["cells"], (Json{"kubernetes", "172.18.0.2:6443", "0s"}));
  EXPECT_EQ(eps["rows"][1]["cells"],
            (Json{"web", "10.244.1.5:8080,10.244.2.7:8080,10.244.1.5:9090 + 1 more...", "0s"}));
  created(ns("endpoints"), object("v1", "Endpoints", "none", Json::object()));
  EXPECT_EQ(table(ns("endpoints") + "/none")["rows"][0]["cells"][1], "<none>");
}

TEST_F(MoreKindsTest, AQuotaListsUsedOverHardOnceItsStatusIsWritten) {
  Json q = created(ns("resourcequotas"), object("v1", "ResourceQuota", "q",
                                                {{"spec", {{"hard", {{"pods", "10"}}}}},
                                                 {"status", {{"hard", {{"pods", "99"}}}}}}));
  EXPECT_EQ(q["spec"]["hard"], (Json{{"pods", "10"}}));
  EXPECT_EQ(q["status"], Json::object());
  Json quotas = table(ns("resourcequotas"));
  // Kubernetes 1.32's printer: AGE second (1.33 moved it last).
  EXPECT_EQ(columnNames(quotas), (std::vector<std::string>{"Name", "Age", "Request", "Limit"}));
  EXPECT_EQ(quotas["rows"][0]["cells"], (Json{"q", "0s", "", ""}));

  // What the quota controller would write.
  patched(ns("resourcequotas") + "/q/status",
          {{"status",
            {{"hard", {{"pods", "10"}, {"limits.cpu", "2"}, {"requests.memory", "1Gi"}}},
             {"used", {{"pods", "3"}, {"limits.cpu", "500m"}}}}}});
  EXPECT_EQ(table(ns("resourcequotas"))["rows"][0]["cells"],
            (Json{"q", "0s", "pods: 3/10, requests.memory: 0/1Gi", "limits.cpu: 500m/2"}));

  // The decoder refuses a quantity it cannot parse, as for container resources.
  auto bad = call("POST", ns("resourcequotas"),
                  object("v1", "ResourceQuota", "bad", {{"spec", {{"hard", {{"pods", "ten"}}}}}}));
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bodyOf(bad)["message"].get<std::string>().rfind(
                "ResourceQuota in version \"v1\" cannot be handled as a ResourceQuota: ", 0),
            0u)
      << bad.body;
}

TEST_F(MoreKindsTest, ALimitRangeGetsItsContainerDefaults) {
  Json lr = created(ns("limitranges"),
                    object("v1", "LimitRange", "limits", {{"spec", Json::parse(R"({"limits": [
                             {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}},
                             {"type": "Pod", "max": {"cpu": "4"}}]})")}}));
  EXPECT_EQ(lr["spec"]["limits"][0]["default"], (Json{{"cpu", "2"}}));
  EXPECT_EQ(lr["spec"]["limits"][0]["defaultRequest"], (Json{{"cpu", "2"}, {"memory", "64Mi"}}));
  EXPECT_FALSE(lr["spec"]["limits"][1].contains("default"));
  Json limits = table(ns("limitranges"));
  // No printer: the generic NAME and CREATED AT.
  EXPECT_EQ(columnNames(limits), (std::vector<std::string>{"Name", "Created At"}));
  EXPECT_EQ(limits["rows"][0]["cells"], (Json{"limits", kNow}));
}

// ---- autoscaling/v2 ----

TEST_F(MoreKindsTest, AnAutoscalerGetsMinReplicasAndTheDefaultCpuMetric) {
  const std::string hpas = group("autoscaling/v2", "horizontalpodautoscalers");
  Json hpa = created(
      hpas, object("autoscaling/v2", "HorizontalPodAutoscaler", "web",
                   {{"spec",
                     {{"scaleTargetRef",
                       {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web"}}},
                      {"maxReplicas", 5}}}}));
  EXPECT_EQ(hpa["apiVersion"], "autoscaling/v2");
  EXPECT_EQ(hpa["spec"]["minReplicas"], 1);
  EXPECT_EQ(hpa["spec"]["metrics"], Json::parse(R"([{"type": "Resource", "resource": {"name": "cpu",
      "target": {"type": "Utilization", "averageUtilization": 80}}}])"));
  EXPECT_FALSE(hpa["spec"].contains("behavior"));
  EXPECT_EQ(hpa["status"], Json::parse(R"({"currentMetrics": null, "desiredReplicas": 0})"));
  EXPECT_FALSE(hpa["metadata"].contains("generation"));
  EXPECT_EQ(ok(hpas + "/web")["spec"], hpa["spec"]);

  Json t = table(hpas);
  EXPECT_EQ(columnNames(t), (std::vector<std::string>{"Name", "Reference", "Targets", "MinPods",
                                                      "MaxPods", "Replicas", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"],
            (Json{"web", "Deployment/web", "cpu: <unknown>/80%", "1", 5, 0, "0s"}));

  // A behavior takes the default rules of each direction.
  Json scaled = created(
      hpas,
      object("autoscaling/v2", "HorizontalPodAutoscaler", "api",
             {{"spec", Json::parse(R"({"scaleTargetRef": {"kind": "Deployment", "name": "api"},
                     "minReplicas": 2, "maxReplicas": 4, "behavior": {"scaleDown": {
                     "stabilizationWindowSeconds": 60}}, "metrics": [{"type": "Resource",
                     "resource": {"name": "memory", "target": {"type": "AverageValue",
                     "averageValue": "200Mi"}}}]})")}}));
  EXPECT_EQ(scaled["spec"]["behavior"], Json::parse(R"({
      "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15}]},
      "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max", "policies": [
        {"type": "Percent", "value": 100, "periodSeconds": 15}]}})"));
  EXPECT_EQ(table(hpas + "/api")["rows"][0]["cells"][2], "memory: <unknown>/200Mi");
}

// ---- networking.k8s.io/v1 ----

TEST_F(MoreKindsTest, AnIngressTracksGenerationAndListsItsHosts) {
  const std::string ingresses = group("networking.k8s.io/v1", "ingresses");
  const Json spec = Json::parse(R"({"ingressClassName": "nginx",
      "tls": [{"hosts": ["foo.example.com"], "secretName": "tls"}],
      "rules": [{"host": "foo.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
        "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]})");
  Json ing = created(ingresses, object("networking.k8s.io/v1", "Ingress", "web", {{"spec", spec}}));
  EXPECT_EQ(ing["metadata"]["generation"], 1);
  EXPECT_EQ(ing["status"], Json::parse(R"({"loadBalancer": {}})"));
  EXPECT_EQ(ing["spec"], spec);
  Json t = table(ingresses);
  EXPECT_EQ(columnNames(t),
            (std::vector<std::string>{"Name", "Class", "Hosts", "Address", "Ports", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], (Json{"web", "nginx", "foo.example.com", "", "80, 443", "0s"}));
  Json bumped = patched(ingresses + "/web", {{"spec", {{"ingressClassName", "traefik"}}}});
  EXPECT_EQ(bumped["metadata"]["generation"], 2);

  // The real validation's wording for a path without pathType.
  Json noType = spec;
  noType["rules"][0]["http"]["paths"][0].erase("pathType");
  auto r =
      call("POST", ingresses, object("networking.k8s.io/v1", "Ingress", "bad", {{"spec", noType}}));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(bodyOf(r)["message"],
            "Ingress.networking.k8s.io \"bad\" is invalid: spec.rules[0].http.paths[0].pathType: "
            "Required value: pathType must be specified");
}

TEST_F(MoreKindsTest, APolicyDefaultsItsTypesAndPortProtocols) {
  const std::string policies = group("networking.k8s.io/v1", "networkpolicies");
  Json deny = created(policies, object("networking.k8s.io/v1", "NetworkPolicy", "deny",
                                       {{"spec", Json::object()}}));
  EXPECT_EQ(deny["spec"], Json::parse(R"({"podSelector": {}, "policyTypes": ["Ingress"]})"));
  EXPECT_EQ(deny["metadata"]["generation"], 1);
  Json web = created(policies, object("networking.k8s.io/v1", "NetworkPolicy", "web",
                                      {{"spec", Json::parse(R"({"podSelector": {"matchLabels":
                                        {"app": "web"}}, "ingress": [{"ports": [{"port": 80}]}],
                                        "egress": [{}]})")}}));
  EXPECT_EQ(web["spec"]["policyTypes"], Json::parse(R"(["Ingress", "Egress"])"));
  EXPECT_EQ(web["spec"]["ingress"][0]["ports"][0], (Json{{"port", 80}, {"protocol", "TCP"}}));
  Json t = table(policies);
  EXPECT_EQ(columnNames(t), (std::vector<std::string>{"Name", "Pod-Selector", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], (Json{"deny", "<none>", "0s"}));
  EXPECT_EQ(t["rows"][1]["cells"], (Json{"web", "app=web", "0s"}));
}

TEST_F(MoreKindsTest, AnIngressClassIsClusterScoped) {
  const std::string classes = group("networking.k8s.io/v1", "ingressclasses", false);
  Json cls = created(classes, object("networking.k8s.io/v1", "IngressClass", "nginx",
                                     {{"spec", Json::parse(R"({"controller": "k8s.io/ingress-nginx",
                                       "parameters": {"apiGroup": "k8s.example.com",
                                       "kind": "IngressParameters", "name": "external-lb"}})")}}));
  EXPECT_EQ(cls["spec"]["parameters"]["scope"], "Cluster");
  EXPECT_FALSE(cls["metadata"].contains("namespace"));
  Json t = table(classes);
  EXPECT_EQ(columnNames(t), (std::vector<std::string>{"Name", "Controller", "Parameters", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], (Json{"nginx", "k8s.io/ingress-nginx",
                                         "IngressParameters.k8s.example.com/external-lb", "0s"}));
}

// ---- admissionregistration.k8s.io/v1 ----

TEST_F(MoreKindsTest, WebhookConfigurationsAreStoredWithTheirDefaults) {
  const Json webhooks = Json::parse(R"([{"name": "check.example.com",
      "clientConfig": {"service": {"namespace": "hooks", "name": "check"}},
      "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"],
        "resources": ["pods"]}],
      "sideEffects": "None", "admissionReviewVersions": ["v1"]}])");
  for (const char* kind : {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}) {
    SCOPED_TRACE(kind);
    const bool mutating = std::string(kind) == "MutatingWebhookConfiguration";
    const std::string plural =
        mutating ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations";
    const std::string collection = group("admissionregistration.k8s.io/v1", plural.c_str(), false);
    Json c = created(collection, object("admissionregistration.k8s.io/v1", kind, "hooks",
                                        {{"webhooks", webhooks}}));
    Json w = c["webhooks"][0];
    EXPECT_EQ(w["failurePolicy"], "Fail");
    EXPECT_EQ(w["matchPolicy"], "Equivalent");
    EXPECT_EQ(w["namespaceSelector"], Json::object());
    EXPECT_EQ(w["objectSelector"], Json::object());
    EXPECT_EQ(w["timeoutSeconds"], 10);
    EXPECT_EQ(w["rules"][0]["scope"], "*");
    EXPECT_EQ(w["clientConfig"]["service"]["port"], 443);
    EXPECT_EQ(w.contains("reinvocationPolicy"), mutating);
    EXPECT_EQ(c["metadata"]["generation"], 1);
    Json t = table(collection);
    EXPECT_EQ(columnNames(t), (std::vector<std::string>{"Name", "Webhooks", "Age"}));
    EXPECT_EQ(t["rows"][0]["cells"], (Json{"hooks", 1, "0s"}));
  }
}

}  // namespace
}  // namespace kubesim::api
