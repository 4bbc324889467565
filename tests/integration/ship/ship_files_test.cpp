// Packaging checks that need no cluster: copies stay identical to their source, the rendered
// install (kustomize and Helm) grants least privilege and runs hardened, and the alerts and the
// dashboard query metrics the operator really exports.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "tests/integration/ship/rendered.h"

namespace tro::ship {
namespace {

const std::string kCrd = "crds/telemetryrollouts.rollout.telemetry.io.yaml";
const std::string kClusterCrd = "crds/clustertelemetryrollouts.rollout.telemetry.io.yaml";

TEST(ShipCopies, CrdCopiesAreByteIdenticalToCrdsFolder) {
  for (const std::string& crd : {kCrd, kClusterCrd}) {
    const std::string original = readSource(crd);
    ASSERT_FALSE(original.empty()) << crd;
    for (const std::string& copy : {"manifests/" + crd, "helm/telemetry-rollout-operator/" + crd}) {
      EXPECT_EQ(readSource(copy), original)
          << copy << " differs from " << crd << "; refresh it: cp " << crd << " " << copy;
    }
  }
}

TEST(ShipCopies, ChartDashboardIsByteIdenticalToDashboardsFolder) {
  const std::string original = readSource("dashboards/telemetry-rollout-operator.json");
  ASSERT_FALSE(original.empty());
  EXPECT_EQ(readSource("helm/telemetry-rollout-operator/files/telemetry-rollout-operator.json"),
            original);
}

// Rendered install manifests, from kustomize and from Helm with its defaults.
struct Source {
  std::string name;
  std::function<base::Result<std::vector<Json>, std::string>()> render;
  std::string operatorName;  // Deployment, ServiceAccount and ClusterRole
};

// GoogleTest names the parameter in test listings and failures by this, not by its bytes.
void PrintTo(const Source& source, std::ostream* out) { *out << source.name; }

std::vector<Source> sources() {
  return {
      {"kustomize", kustomizeManifests, "telemetry-rollout-operator"},
      {"helm", [] { return helmTemplate({}); }, "tro-telemetry-rollout-operator"},
  };
}

class RenderedInstall : public ::testing::TestWithParam<Source> {
 protected:
  void SetUp() override {
    auto r = GetParam().render();
    ASSERT_TRUE(r.ok()) << r.error();
    objects_ = std::move(*r);
  }
  std::vector<Json> objects_;
};

TEST_P(RenderedInstall, ClusterRoleGrantsExactlyWhatTheOperatorUses) {
  const Json* role = findObject(objects_, "ClusterRole");
  ASSERT_NE(role, nullptr);
  const Grants expected = {
      {"apps/deployments", {"get", "list", "watch", "patch", "update"}},
      {"apps/statefulsets", {"get", "list", "watch", "patch", "update"}},
      {"apps/daemonsets", {"get", "list", "watch", "patch", "update"}},
      {"rollout.telemetry.io/telemetryrollouts", {"get", "list", "watch", "update", "patch"}},
      {"rollout.telemetry.io/telemetryrollouts/status", {"get", "update", "patch"}},
      {"rollout.telemetry.io/telemetryrollouts/finalizers", {"update"}},
      {"rollout.telemetry.io/clustertelemetryrollouts",
       {"get", "list", "watch", "update", "patch"}},
      {"rollout.telemetry.io/clustertelemetryrollouts/status", {"get", "update", "patch"}},
      {"rollout.telemetry.io/clustertelemetryrollouts/finalizers", {"update"}},
      {"/namespaces", {"list", "watch"}},
      {"/events", {"create", "patch"}},
  };
  EXPECT_EQ(grantsOf(*role), expected);
  EXPECT_EQ(findAll(objects_, "ClusterRole").size(), 1u);
}

TEST_P(RenderedInstall, LeasesOnlyInTheOperatorsNamespace) {
  std::vector<const Json*> roles = findAll(objects_, "Role");
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ((*roles[0])["metadata"]["namespace"], "telemetry-rollout-system");
  const Grants expected = {{"coordination.k8s.io/leases", {"get", "create", "update"}}};
  EXPECT_EQ(grantsOf(*roles[0]), expected);
}

TEST_P(RenderedInstall, BindingsNameTheOperatorsServiceAccount) {
  const Json* sa = findObject(objects_, "ServiceAccount");
  ASSERT_NE(sa, nullptr);
  const Json* deploy = findObject(objects_, "Deployment");
  ASSERT_NE(deploy, nullptr);
  const std::string saName = (*sa)["metadata"]["name"];
  EXPECT_EQ((*deploy)["spec"]["template"]["spec"]["serviceAccountName"], saName);
  for (const char* kind : {"ClusterRoleBinding", "RoleBinding"}) {
    for (const Json* b : findAll(objects_, kind)) {
      const Json expected = {
          {"kind", "ServiceAccount"}, {"name", saName}, {"namespace", "telemetry-rollout-system"}};
      EXPECT_EQ(b->at("subjects"), Json::array({expected})) << kind;
    }
  }
}

TEST_P(RenderedInstall, DeploymentRunsTwoHardenedReplicasWithLeaderElection) {
  const Json* deploy = findObject(objects_, "Deployment", GetParam().operatorName);
  ASSERT_NE(deploy, nullptr);
  const Json& spec = (*deploy)["spec"];
  EXPECT_EQ(spec["replicas"], 2);
  const Json& pod = spec["template"]["spec"];
  EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
  EXPECT_EQ(pod["securityContext"]["runAsUser"], 65532);
  EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
  ASSERT_EQ(pod["containers"].size(), 1u);
  const Json& c = pod["containers"][0];
  const Json& sc = c["securityContext"];
  EXPECT_EQ(sc["readOnlyRootFilesystem"], true);
  EXPECT_EQ(sc["allowPrivilegeEscalation"], false);
  EXPECT_EQ(sc["capabilities"]["drop"], Json::array({"ALL"}));
  EXPECT_NE(std::find(c["args"].begin(), c["args"].end(), "--leader-elect"), c["args"].end());
  const Json expectedResources = {{"requests", {{"cpu", "10m"}, {"memory", "32Mi"}}},
                                  {"limits", {{"memory", "128Mi"}}}};
  EXPECT_EQ(c["resources"], expectedResources);
}

TEST_P(RenderedInstall, ProbesAndMetricsUseTheOperatorsPorts) {
  const Json* deploy = findObject(objects_, "Deployment", GetParam().operatorName);
  ASSERT_NE(deploy, nullptr);
  const Json& c = (*deploy)["spec"]["template"]["spec"]["containers"][0];
  std::map<std::string, int> ports;
  for (const auto& p : c["ports"]) ports[p["name"]] = p["containerPort"];
  EXPECT_EQ(ports, (std::map<std::string, int>{{"metrics", 8080}, {"health", 8081}}));
  EXPECT_EQ(c["livenessProbe"]["httpGet"]["path"], "/healthz");
  EXPECT_EQ(c["livenessProbe"]["httpGet"]["port"], "health");
  EXPECT_EQ(c["readinessProbe"]["httpGet"]["path"], "/readyz");
  EXPECT_EQ(c["readinessProbe"]["httpGet"]["port"], "health");
  const std::vector<std::string> args = c["args"];
  EXPECT_NE(std::find(args.begin(), args.end(), "--metrics-bind-address=:8080"), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "--health-probe-bind-address=:8081"), args.end());
  std::map<std::string, std::string> downward;
  for (const auto& e : c["env"]) downward[e["name"]] = e["valueFrom"]["fieldRef"]["fieldPath"];
  EXPECT_EQ(downward, (std::map<std::string, std::string>{{"POD_NAMESPACE", "metadata.namespace"},
                                                          {"POD_NAME", "metadata.name"}}));
}

TEST_P(RenderedInstall, MetricsServiceSelectsTheOperatorPods) {
  const Json* deploy = findObject(objects_, "Deployment", GetParam().operatorName);
  const Json* svc = findObject(objects_, "Service");
  ASSERT_NE(deploy, nullptr);
  ASSERT_NE(svc, nullptr);
  const Json& podLabels = (*deploy)["spec"]["template"]["metadata"]["labels"];
  ASSERT_FALSE((*svc)["spec"]["selector"].empty());
  for (const auto& [k, v] : (*svc)["spec"]["selector"].items()) {
    EXPECT_EQ(podLabels.value(k, ""), v) << k;
  }
  EXPECT_EQ((*svc)["spec"]["ports"][0]["targetPort"], "metrics");
  EXPECT_EQ((*svc)["spec"]["ports"][0]["port"], 8080);
}

TEST_P(RenderedInstall, NothingGrantsSecretsOrWildcards) {
  for (const char* kind : {"ClusterRole", "Role"}) {
    for (const Json* role : findAll(objects_, kind)) {
      for (const auto& [resource, verbs] : grantsOf(*role)) {
        EXPECT_EQ(resource.find("secrets"), std::string::npos) << resource;
        EXPECT_EQ(resource.find('*'), std::string::npos) << resource;
        EXPECT_EQ(verbs.count("*"), 0u) << resource;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ship, RenderedInstall, ::testing::ValuesIn(sources()),
                         [](const auto& info) { return info.param.name; });

TEST(ShipHelm, NamespacedScopeRendersRolesPerWatchedNamespaceAndNoClusterRole) {
  auto r = helmTemplate({"rbac.scope=namespaced", "watchNamespaces={shop,staging}"});
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(findObject(*r, "ClusterRole"), nullptr);
  EXPECT_EQ(findObject(*r, "ClusterRoleBinding"), nullptr);
  std::set<std::string> roleNamespaces;
  for (const Json* role : findAll(*r, "Role"))
    roleNamespaces.insert(role->at("metadata")["namespace"]);
  EXPECT_EQ(roleNamespaces, (std::set<std::string>{"shop", "staging", "telemetry-rollout-system"}));
  const Json* deploy = findObject(*r, "Deployment");
  ASSERT_NE(deploy, nullptr);
  const std::vector<std::string> args =
      (*deploy)["spec"]["template"]["spec"]["containers"][0]["args"];
  EXPECT_NE(std::find(args.begin(), args.end(), "--namespace=shop"), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "--namespace=staging"), args.end());
}

TEST(ShipHelm, DashboardConfigMapCarriesTheDashboard) {
  auto r = helmTemplate(helmAllOptionalParts());
  ASSERT_TRUE(r.ok()) << r.error();
  const Json* cm = findObject(*r, "ConfigMap", "tro-telemetry-rollout-operator-dashboard");
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ((*cm)["metadata"]["labels"]["grafana_dashboard"], "1");
  const std::string embedded = (*cm)["data"]["telemetry-rollout-operator.json"];
  EXPECT_EQ(Json::parse(embedded),
            Json::parse(readSource("dashboards/telemetry-rollout-operator.json")));
  EXPECT_NE(findObject(*r, "ServiceMonitor"), nullptr);
  EXPECT_NE(findObject(*r, "PrometheusRule"), nullptr);
}

// Metric names an expression uses, from the families the operator exports (histogram series
// suffixes removed).
std::set<std::string> metricNames(const std::string& expr) {
  static const std::regex kMetric(
      "\\b((telemetry_rollout|controller_runtime|leader_election|workqueue|rest_client)_[a-z_]+)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(expr.begin(), expr.end(), kMetric);
       it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1];
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        name.resize(name.size() - suffix.size());
      }
    }
    out.insert(name);
  }
  return out;
}

// Every name must be registered by the runtime or the rollout controller, as a string literal.
void expectExported(const std::set<std::string>& names, const std::string& where) {
  const std::string registered = readSource("operator/runtime/metrics_standard.cpp") +
                                 readSource("controllers/rollout/rollout_metrics.cpp");
  ASSERT_FALSE(registered.empty());
  EXPECT_FALSE(names.empty()) << where;
  for (const auto& n : names) {
    EXPECT_NE(registered.find("\"" + n + "\""), std::string::npos)
        << where << " uses " << n << ", which the operator does not export";
  }
}

std::vector<Json> prometheusRules(const std::vector<Json>& objects) {
  std::vector<Json> out;
  const Json* rule = findObject(objects, "PrometheusRule");
  if (rule == nullptr) return out;
  for (const auto& g : (*rule)["spec"]["groups"]) {
    for (const auto& r : g["rules"]) out.push_back(r);
  }
  return out;
}

TEST(ShipAlerts, RulesCoverTheOperatorsFailureModesWithExportedMetrics) {
  auto kustomized = kustomizeManifests();
  ASSERT_TRUE(kustomized.ok()) << kustomized.error();
  auto helm = helmTemplate(helmAllOptionalParts());
  ASSERT_TRUE(helm.ok()) << helm.error();
  const std::set<std::string> expectedAlerts = {
      "TelemetryRolloutReconcileErrors", "TelemetryRolloutRolledBack",
      "TelemetryRolloutStuckProgressing", "TelemetryRolloutPausedTooLong",
      "TelemetryRolloutOperatorNoLeader"};
  for (const auto* objects : {&*kustomized, &*helm}) {
    std::vector<Json> rules = prometheusRules(*objects);
    std::set<std::string> alerts;
    std::set<std::string> used;
    for (const auto& r : rules) {
      alerts.insert(r["alert"].get<std::string>());
      EXPECT_FALSE(r["labels"].value("severity", "").empty()) << r["alert"];
      EXPECT_FALSE(r["annotations"].value("summary", "").empty()) << r["alert"];
      for (const auto& n : metricNames(r["expr"])) used.insert(n);
    }
    EXPECT_EQ(alerts, expectedAlerts);
    expectExported(used, "PrometheusRule");
  }
}

TEST(ShipDashboard, PanelsQueryExportedMetricsAndShowTheSloThresholds) {
  auto dash = Json::parse(readSource("dashboards/telemetry-rollout-operator.json"), nullptr, false);
  ASSERT_FALSE(dash.is_discarded());
  std::set<std::string> used;
  std::set<int> ids;
  std::set<double> thresholds;
  for (const auto& p : dash["panels"]) {
    EXPECT_TRUE(ids.insert(p["id"].get<int>()).second) << "duplicate panel id " << p["id"];
    for (const auto& t : p.value("targets", Json::array())) {
      for (const auto& n : metricNames(t["expr"])) used.insert(n);
    }
    const Json steps = p.value("fieldConfig", Json::object())
                           .value("defaults", Json::object())
                           .value("thresholds", Json::object())
                           .value("steps", Json::array());
    for (const auto& s : steps) {
      if (s["value"].is_number()) thresholds.insert(s["value"].get<double>());
    }
  }
  expectExported(used, "dashboard");
  for (const char* needed : {"telemetry_rollout_phase", "telemetry_rollout_targets_enabled",
                             "telemetry_rollout_rollbacks_total"}) {
    EXPECT_EQ(used.count(needed), 1u) << needed;
  }
  EXPECT_EQ(thresholds.count(0.02), 1u) << "error-ratio SLO line";
  EXPECT_EQ(thresholds.count(4.5), 1u) << "p95 latency SLO line";
}

}  // namespace
}  // namespace tro::ship
