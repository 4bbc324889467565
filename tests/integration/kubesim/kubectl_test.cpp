// kubectl conformance: the real kubectl 1.32 against the kubesim binary over HTTPS with the
// generated CA and bearer token. Assertions are on what kubectl reports and on the end state.

#include <gtest/gtest.h>
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"

namespace kubesim::testing {
namespace {

using namespace std::chrono_literals;

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
  }

  // kubectl that must succeed; returns stdout.
  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }

  std::unique_ptr<Kubesim> kubesim_;
};

const char* kConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: fast
)";

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: example/app:v1
        env:
        - {name: MODE, value: fast}
)";

TEST_F(KubectlTest, PrintsServingLineAndWritesAMatchingKubeconfig) {
  const std::string out = kubesim_->process().out();
  EXPECT_NE(out.find("kubesim: serving on https://127.0.0.1:"), std::string::npos) << out;
  YAML::Node kc = YAML::LoadFile(kubesim_->kubeconfig().string());
  const std::string server = kc["clusters"][0]["cluster"]["server"].as<std::string>();
  EXPECT_NE(out.find(server), std::string::npos) << server;
  EXPECT_FALSE(kc["users"][0]["user"]["token"].as<std::string>().empty());
}

TEST_F(KubectlTest, VersionReportsServer132) {
  auto v = nlohmann::json::parse(ok({"version", "-o", "json"}));
  EXPECT_EQ(v["serverVersion"]["major"], "1");
  EXPECT_EQ(v["serverVersion"]["minor"], "32");
  EXPECT_EQ(v["serverVersion"]["gitVersion"], "v1.32.0");
}

TEST_F(KubectlTest, RawHealthEndpoints) {
  EXPECT_EQ(ok({"get", "--raw", "/healthz"}), "ok");
  EXPECT_EQ(ok({"get", "--raw", "/readyz"}), "ok");
}

TEST_F(KubectlTest, WrongTokenIsUnauthorized) {
  RunResult r = kubesim_->kubectl({"--token", "wrong", "get", "--raw", "/api/v1/namespaces"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("Unauthorized"), std::string::npos) << r.err;
}

TEST_F(KubectlTest, StopsCleanlyOnSigterm) {
  kubesim_->process().signal(SIGTERM);
  EXPECT_EQ(kubesim_->process().waitFor(10s), 0) << kubesim_->process().err();
}

TEST_F(KubectlTest, AuthCanIAnswersForTheAdmin) {
  EXPECT_EQ(ok({"auth", "can-i", "create", "deployments"}), "yes\n");
  EXPECT_EQ(ok({"auth", "can-i", "patch", "statefulsets.apps", "-n", "kube-system"}), "yes\n");
  EXPECT_EQ(ok({"auth", "can-i", "get", "pods", "--subresource=log"}), "yes\n");
  EXPECT_EQ(ok({"auth", "can-i", "get", "/healthz"}), "yes\n");
  RunResult r = kubesim_->kubectl({"get", "selfsubjectaccessreviews"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("MethodNotAllowed"), std::string::npos) << r.err;
}

TEST_F(KubectlTest, DeleteNamespaceWaitsForItsContentsAsOnARealServer) {
  ok({"create", "namespace", "shop"});
  ok({"create", "-n", "shop", "configmap", "held", "--from-literal=a=1"});
  ok({"patch", "-n", "shop", "configmap", "held", "-p",
      R"({"metadata": {"finalizers": ["example.test/hold"]}})"});
  ok({"create", "-n", "shop", "configmap", "plain", "--from-literal=a=1"});
  ok({"delete", "namespace", "shop", "--wait=false"});
  EXPECT_EQ(ok({"get", "namespace", "shop", "-o", "jsonpath={.status.phase}"}), "Terminating");
  EXPECT_EQ(ok({"get", "configmaps", "-n", "shop", "-o", "name"}), "configmap/held\n");
  EXPECT_NE(ok({"get", "namespace", "shop", "-o",
                "jsonpath={.status.conditions[?(@.type==\"NamespaceFinalizersRemaining\")]"
                ".message}"})
                .find("example.test/hold in 1 resource instances"),
            std::string::npos);
  RunResult late = kubesim_->kubectl({"create", "-n", "shop", "configmap", "late"});
  EXPECT_NE(late.err.find("because it is being terminated"), std::string::npos) << late.err;
  ok({"patch", "-n", "shop", "configmap", "held", "--type=merge", "-p",
      R"({"metadata": {"finalizers": null}})"});
  ok({"wait", "--for=delete", "namespace/shop", "--timeout=30s"});
  RunResult immortal = kubesim_->kubectl({"delete", "namespace", "default"});
  EXPECT_NE(immortal.exitCode, 0);
  EXPECT_NE(immortal.err.find("namespaces \"default\" is forbidden: this namespace may not be "
                              "deleted"),
            std::string::npos)
      << immortal.err;
}

TEST_F(KubectlTest, CreatesServiceAccountsRolesAndBindings) {
  EXPECT_EQ(ok({"create", "serviceaccount", "robot"}), "serviceaccount/robot created\n");
  EXPECT_EQ(ok({"create", "role", "reader", "--verb=get,list", "--resource=pods,deployments.apps"}),
            "role.rbac.authorization.k8s.io/reader created\n");
  EXPECT_EQ(ok({"create", "rolebinding", "robot-reads", "--role=reader",
                "--serviceaccount=default:robot", "--user=alice"}),
            "rolebinding.rbac.authorization.k8s.io/robot-reads created\n");
  EXPECT_EQ(
      ok({"create", "clusterrole", "watcher", "--verb=watch", "--resource=statefulsets.apps"}),
      "clusterrole.rbac.authorization.k8s.io/watcher created\n");
  EXPECT_EQ(
      ok({"create", "clusterrolebinding", "ops-watch", "--clusterrole=watcher", "--group=ops"}),
      "clusterrolebinding.rbac.authorization.k8s.io/ops-watch created\n");
  EXPECT_EQ(ok({"get", "role", "reader", "-o", "jsonpath={.rules}"}),
            R"([{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]},)"
            R"({"apiGroups":["apps"],"resources":["deployments"],"verbs":["get","list"]}])");
  // Subjects get the real server's apiGroup defaults.
  EXPECT_EQ(ok({"get", "rolebinding", "robot-reads", "-o", "jsonpath={.subjects}"}),
            R"([{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"},)"
            R"({"apiGroup":"","kind":"ServiceAccount","name":"robot","namespace":"default"}])");
  const std::string wide = ok({"get", "rolebinding", "robot-reads", "-o", "wide"});
  EXPECT_NE(wide.find("Role/reader"), std::string::npos) << wide;
  EXPECT_NE(wide.find("default/robot"), std::string::npos) << wide;
  EXPECT_EQ(ok({"get", "sa", "robot", "-o", "name"}), "serviceaccount/robot\n");
  // A binding without roleRef is refused as on a real server.
  RunResult bad = kubesim_->kubectl(
      {"apply", "-f",
       kubesim_->writeFile("bad.yaml",
                           "apiVersion: rbac.authorization.k8s.io/v1\n"
                           "kind: RoleBinding\nmetadata: {name: x}\nsubjects: []\n")});
  EXPECT_NE(bad.exitCode, 0);
  EXPECT_NE(bad.err.find("roleRef"), std::string::npos) << bad.err;
}

// `kubectl create token`: requests with the token are the ServiceAccount's, authorized by the RBAC
// objects stored in kubesim and refused with the real server's 403 wording.
TEST_F(KubectlTest, ServiceAccountTokensAreHeldToTheirRbac) {
  ok({"create", "serviceaccount", "robot"});
  std::string token = ok({"create", "token", "robot", "--duration=1h"});
  ASSERT_FALSE(token.empty());
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2) << "a JWT: " << token;
  const auto as = [&token](std::vector<std::string> args) {
    args.insert(args.begin(), "--token=" + token);
    return args;
  };
  RunResult denied = kubesim_->kubectl(as({"get", "pods"}));
  EXPECT_NE(denied.exitCode, 0);
  EXPECT_NE(denied.err.find(R"(pods is forbidden: User "system:serviceaccount:default:robot" )"
                            R"(cannot list resource "pods" in API group "" in the namespace )"
                            R"("default")"),
            std::string::npos)
      << denied.err;
  RunResult cannot = kubesim_->kubectl(as({"auth", "can-i", "list", "pods"}));
  EXPECT_EQ(cannot.exitCode, 1) << cannot.err;
  EXPECT_EQ(cannot.out, "no\n");
  EXPECT_NE(ok(as({"api-resources", "--api-group=apps", "-o", "name"})).find("deployments.apps"),
            std::string::npos);  // discovery is open to every authenticated user

  ok({"create", "rolebinding", "robot-view", "--clusterrole=view",
      "--serviceaccount=default:robot"});
  ok({"create", "deployment", "web", "--image=example/app:v1"});
  EXPECT_EQ(ok(as({"get", "deployments", "-o", "name"})), "deployment.apps/web\n");
  EXPECT_EQ(ok(as({"auth", "can-i", "list", "pods"})), "yes\n");
  const std::string list = ok(as({"auth", "can-i", "--list"}));  // SelfSubjectRulesReview
  EXPECT_NE(list.find("deployments.apps"), std::string::npos) << list;
  EXPECT_NE(list.find("selfsubjectaccessreviews.authorization.k8s.io"), std::string::npos) << list;
  EXPECT_EQ(list.find("secrets"), std::string::npos) << list;
  EXPECT_EQ(kubesim_->kubectl(as({"auth", "can-i", "create", "deployments"})).out, "no\n");
  RunResult secrets = kubesim_->kubectl(as({"get", "secrets"}));
  EXPECT_NE(secrets.err.find(R"(secrets is forbidden: User "system:serviceaccount:default:robot" )"
                             R"(cannot list resource "secrets")"),
            std::string::npos)
      << secrets.err;
  RunResult elsewhere = kubesim_->kubectl(as({"get", "pods", "-n", "kube-system"}));
  EXPECT_NE(elsewhere.err.find(R"(in the namespace "kube-system")"), std::string::npos)
      << elsewhere.err;
  RunResult scale = kubesim_->kubectl(as({"scale", "deployment", "web", "--replicas=3"}));
  EXPECT_NE(scale.err.find(R"(cannot patch resource "deployments/scale" in API group "apps")"),
            std::string::npos)
      << scale.err;
  EXPECT_EQ(ok({"get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"}), "1");

  RunResult brief = kubesim_->kubectl({"create", "token", "robot", "--duration=5m"});
  EXPECT_NE(brief.exitCode, 0);
  EXPECT_NE(brief.err.find("may not specify a duration less than 10 minutes"), std::string::npos)
      << brief.err;
  // A token dies with its ServiceAccount; a token kubesim never issued is no one's.
  ok({"delete", "serviceaccount", "robot"});
  for (const std::string& t : {token, std::string("forged.token.value")}) {
    RunResult gone = kubesim_->kubectl({"--token=" + t, "get", "pods"});
    EXPECT_NE(gone.exitCode, 0);
    EXPECT_NE(gone.err.find("You must be logged in to the server"), std::string::npos) << gone.err;
  }
}

TEST_F(KubectlTest, LabelsAnnotatesAndCreatesSecrets) {
  EXPECT_EQ(ok({"create", "secret", "generic", "db", "--from-literal=password=hunter2"}),
            "secret/db created\n");
  EXPECT_EQ(ok({"get", "secret", "db", "-o", "jsonpath={.data.password}"}), "aHVudGVyMg==");
  EXPECT_EQ(ok({"get", "secret", "db", "-o", "jsonpath={.type}"}), "Opaque");
  ok({"create", "deployment", "web", "--image=example/app:v1"});
  EXPECT_EQ(ok({"label", "deployment", "web", "tier=front"}), "deployment.apps/web labeled\n");
  EXPECT_EQ(ok({"get", "deployments", "-l", "tier=front", "-o", "name"}), "deployment.apps/web\n");
  RunResult again = kubesim_->kubectl({"label", "deployment", "web", "tier=back"});
  EXPECT_NE(again.exitCode, 0);
  EXPECT_NE(again.err.find("already has a value (front)"), std::string::npos) << again.err;
  ok({"label", "deployment", "web", "tier=back", "--overwrite"});
  EXPECT_EQ(ok({"annotate", "deployment", "web", "owner=team-a"}),
            "deployment.apps/web annotated\n");
  EXPECT_EQ(ok({"get", "deployment", "web", "-o",
                "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner}"}),
            "back team-a");
  ok({"label", "deployment", "web", "tier-"});
  EXPECT_EQ(ok({"get", "deployments", "-l", "tier", "-o", "name"}), "");
}

// The first commands of a newcomer: kubectl sends protobuf for these built-in kinds.
TEST_F(KubectlTest, CreatesDeploymentsServicesAndPodsImperatively) {
  EXPECT_EQ(
      ok({"create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=8080"}),
      "deployment.apps/web created\n");
  EXPECT_EQ(ok({"get", "deployment", "web", "-o",
                "jsonpath={.spec.template.spec.containers[0].ports[0].containerPort} "
                "{.spec.template.spec.containers[0].imagePullPolicy} {.spec.strategy.type}"}),
            "8080 IfNotPresent RollingUpdate");
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  EXPECT_EQ(ok({"expose", "deployment", "web", "--port=80", "--target-port=8080"}),
            "service/web exposed\n");
  EXPECT_EQ(ok({"create", "service", "nodeport", "edge", "--tcp=80:8080", "--node-port=30080"}),
            "service/edge created\n");
  EXPECT_EQ(ok({"create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432"}),
            "service/db created\n");
  EXPECT_EQ(ok({"get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"}), "10.96.1.0");
  EXPECT_EQ(ok({"get", "service", "edge", "-o", "jsonpath={.spec.ports[0].nodePort}"}), "30080");
  const std::string services = ok({"get", "services"});
  EXPECT_NE(services.find("80:30080/TCP"), std::string::npos) << services;
  EXPECT_NE(services.find("None"), std::string::npos) << services;
  // A taken node port is refused as a real server refuses it, and nothing is stored.
  RunResult taken = kubesim_->kubectl(
      {"create", "service", "nodeport", "edge2", "--tcp=81", "--node-port=30080"});
  EXPECT_NE(taken.exitCode, 0);
  EXPECT_NE(taken.err.find("spec.ports[0].nodePort: Invalid value: 30080: provided port is "
                           "already allocated"),
            std::string::npos)
      << taken.err;
  EXPECT_EQ(kubesim_->kubectl({"get", "service", "edge2"}).exitCode, 1);
  EXPECT_EQ(ok({"run", "solo", "--image=nginx:1.27"}), "pod/solo created\n");
  EXPECT_EQ(ok({"get", "pod", "solo", "-o", "jsonpath={.spec.containers[0].image}"}), "nginx:1.27");
}

// A Deployment's history as the real controller keeps it: one ReplicaSet per revision, undo and
// restart through them, old ones beyond revisionHistoryLimit deleted.
TEST_F(KubectlTest, RolloutHistoryUndoAndRestartWorkThroughReplicaSetRevisions) {
  ok({"create", "deployment", "web", "--image=nginx:1.27"});
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  ok({"set", "image", "deployment/web", "nginx=nginx:1.28"});
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  const std::string history = ok({"rollout", "history", "deployment/web"});
  EXPECT_NE(history.find("1         <none>"), std::string::npos) << history;
  EXPECT_NE(history.find("2         <none>"), std::string::npos) << history;
  EXPECT_EQ(ok({"rollout", "undo", "deployment/web"}), "deployment.apps/web rolled back\n");
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  EXPECT_EQ(ok({"get", "deployment", "web", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} "
                "{.metadata.annotations.deployment\\.kubernetes\\.io/revision}"}),
            "nginx:1.27 3");
  EXPECT_EQ(ok({"rollout", "restart", "deployment/web"}), "deployment.apps/web restarted\n");
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  EXPECT_NE(ok({"get", "deployment", "web", "-o", "jsonpath={.spec.template.metadata.annotations}"})
                .find("kubectl.kubernetes.io/restartedAt"),
            std::string::npos);
  ok({"patch", "deployment", "web", "-p", R"({"spec":{"revisionHistoryLimit":1}})"});
  ok({"set", "image", "deployment/web", "nginx=nginx:1.29"});
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  // Revisions 3 (the undo), 4 (the restart) and 5: only the newest old one stays.
  std::string left;
  EXPECT_TRUE(tro::testing::eventually(
      [&] {
        left = ok({"get", "replicasets", "-l", "app=web", "-o",
                   "jsonpath={.items[*].metadata.annotations.deployment\\.kubernetes\\.io/"
                   "revision}"});
        return left == "4 5" || left == "5 4";
      },
      30s, 200ms))
      << left;
}

// Jobs, CronJobs and PodDisruptionBudgets are stored as a real server stores them (nothing runs
// them), listed by `get all` and `api-resources`, and edited with the usual commands.
TEST_F(KubectlTest, CreatesJobsCronJobsAndDisruptionBudgets) {
  EXPECT_EQ(ok({"create", "job", "once", "--image=busybox:1.36", "--", "echo", "hi"}),
            "job.batch/once created\n");
  EXPECT_EQ(ok({"create", "cronjob", "nightly", "--image=busybox:1.36", "--schedule=0 3 * * *",
                "--", "echo", "hi"}),
            "cronjob.batch/nightly created\n");
  EXPECT_EQ(ok({"create", "pdb", "web-pdb", "--selector=app=web", "--min-available=1"}),
            "poddisruptionbudget.policy/web-pdb created\n");
  const std::string all = ok({"get", "all"});
  EXPECT_NE(all.find("job.batch/once"), std::string::npos) << all;
  EXPECT_NE(all.find("cronjob.batch/nightly"), std::string::npos) << all;
  EXPECT_NE(all.find("service/kubernetes"), std::string::npos) << all;
  EXPECT_EQ(ok({"get", "job", "once", "-o",
                "jsonpath={.spec.completions} {.spec.backoffLimit} "
                "{.spec.template.spec.restartPolicy}"}),
            "1 6 Never");
  EXPECT_EQ(ok({"get", "pdb", "web-pdb", "-o", "jsonpath={.status.disruptionsAllowed}"}), "0");
  ok({"set", "image", "cronjob/nightly", "nightly=busybox:1.37"});
  EXPECT_EQ(ok({"get", "cj", "nightly", "-o",
                "jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].image}"}),
            "busybox:1.37");
  const std::string resources = ok({"api-resources", "--api-group=batch", "-o", "name"});
  EXPECT_EQ(resources, "cronjobs.batch\njobs.batch\n");
  RunResult always = kubesim_->kubectl(
      {"apply", "-f",
       kubesim_->writeFile("always.yaml",
                           "apiVersion: batch/v1\nkind: Job\nmetadata: {name: bad}\n"
                           "spec:\n  template:\n    spec:\n      restartPolicy: Always\n"
                           "      containers: [{name: c, image: busybox:1.36}]\n")});
  EXPECT_NE(always.exitCode, 0);
  EXPECT_NE(always.err.find("spec.template.spec.restartPolicy: Unsupported value: \"Always\": "
                            "supported values: \"OnFailure\", \"Never\""),
            std::string::npos)
      << always.err;
}

TEST_F(KubectlTest, ADeploymentsSelectorIsImmutableAsOnARealServer) {
  ok({"apply", "-f", kubesim_->writeFile("web.yaml", kDeployment)});
  RunResult r = kubesim_->kubectl(
      {"patch", "deployment", "web", "-p",
       R"({"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}}}}})"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("The Deployment \"web\" is invalid: spec.selector: Invalid value: "
                       "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, "
                       "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(ok({"get", "deployment", "web", "-o", "jsonpath={.spec.selector.matchLabels.app}"}),
            "web");
}

TEST_F(KubectlTest, GetNamespacesListsDefault) {
  const std::string out = ok({"get", "namespaces"});
  EXPECT_NE(out.find("NAME"), std::string::npos) << out;
  EXPECT_NE(out.find("default"), std::string::npos) << out;
}

TEST_F(KubectlTest, CreateNamespace) {
  EXPECT_EQ(ok({"create", "namespace", "x"}), "namespace/x created\n");
  EXPECT_EQ(ok({"get", "namespace", "x", "-o", "jsonpath={.metadata.name}"}), "x");
  RunResult again = kubesim_->kubectl({"create", "namespace", "x"});
  EXPECT_NE(again.exitCode, 0);
  EXPECT_NE(again.err.find("AlreadyExists"), std::string::npos) << again.err;
}

TEST_F(KubectlTest, ApplyConfigMapAndDeploymentThenGetYaml) {
  const std::string cm = kubesim_->writeFile("cm.yaml", kConfigMap);
  const std::string deploy = kubesim_->writeFile("deploy.yaml", kDeployment);
  EXPECT_EQ(ok({"apply", "-f", cm}), "configmap/settings created\n");
  EXPECT_EQ(ok({"apply", "-f", deploy}), "deployment.apps/web created\n");
  EXPECT_EQ(ok({"apply", "-f", deploy}), "deployment.apps/web unchanged\n");

  YAML::Node d = YAML::Load(ok({"get", "deploy", "web", "-o", "yaml"}));
  EXPECT_EQ(d["kind"].as<std::string>(), "Deployment");
  EXPECT_EQ(d["metadata"]["generation"].as<int>(), 1);
  EXPECT_EQ(d["spec"]["replicas"].as<int>(), 2);
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["image"].as<std::string>(),
            "example/app:v1");
  EXPECT_TRUE(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]);

  YAML::Node c = YAML::Load(ok({"get", "configmap", "settings", "-o", "yaml"}));
  EXPECT_EQ(c["data"]["mode"].as<std::string>(), "fast");
}

TEST_F(KubectlTest, ReapplyWithChangedImageBumpsGeneration) {
  const std::string v1 = kubesim_->writeFile("deploy.yaml", kDeployment);
  ok({"apply", "-f", v1});
  std::string changed = kDeployment;
  changed.replace(changed.find("app:v1"), 6, "app:v2");
  const std::string v2 = kubesim_->writeFile("deploy-v2.yaml", changed);
  EXPECT_EQ(ok({"apply", "-f", v2}), "deployment.apps/web configured\n");
  YAML::Node d = YAML::Load(ok({"get", "deploy", "web", "-o", "yaml"}));
  EXPECT_EQ(d["metadata"]["generation"].as<int>(), 2);
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"][0]["image"].as<std::string>(),
            "example/app:v2");
}

// Issues 20 and 21: what a real server refuses in a Deployment, kubesim refuses too, as kubectl
// shows it; the object is unchanged and kubesim keeps serving (a negative replica count used to
// crash it within seconds).
TEST_F(KubectlTest, InvalidDeploymentValuesAreRefusedAndNothingChanges) {
  ok({"apply", "-f", kubesim_->writeFile("deploy.yaml", kDeployment)});
  const std::string before = ok({"get", "deploy", "web", "-o", "jsonpath={.spec}"});
  struct Case {
    std::vector<std::string> args;
    std::string wantInStderr;
  };
  const std::vector<Case> cases = {
      {{"patch", "deploy", "web", "-p", R"({"spec":{"replicas":-5}})"},
       "spec.replicas: Invalid value: -5: must be greater than or equal to 0"},
      {{"set", "resources", "deploy", "web", "--requests=cpu=2", "--limits=cpu=1"},
       "must be less than or equal to cpu limit"},
      {{"patch", "deploy", "web", "--type=json", "-p",
        R"([{"op":"add","path":"/spec/template/spec/containers/0/resources",)"
        R"("value":{"requests":{"cpu":"lots of it"}}}])"},
       "quantities must match the regular expression"},
      {{"patch", "deploy", "web", "--type=json", "-p",
        R"([{"op":"add","path":"/spec/template/spec/containers/0/env/-",)"
        R"("value":{"name":"A=B","value":"x"}}])"},
       "a valid environment variable name must consist only of printable ASCII characters other "
       "than '='"},
      {{"patch", "deploy", "web", "--type=json", "-p",
        R"([{"op":"add","path":"/spec/template/spec/containers/-",)"
        R"("value":{"name":"Bad_Name","image":"x:1"}}])"},
       "a lowercase RFC 1123 label must consist of"},
  };
  for (const auto& c : cases) {
    RunResult r = kubesim_->kubectl(c.args);
    EXPECT_NE(r.exitCode, 0) << c.args[0] << " " << c.args.back() << ": " << r.out;
    EXPECT_NE(r.err.find(c.wantInStderr), std::string::npos) << r.err;
  }
  EXPECT_EQ(ok({"get", "deploy", "web", "-o", "jsonpath={.spec}"}), before);
  EXPECT_EQ(ok({"get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"}), "2");
}

// The deepest body kubesim accepts (kMaxJsonDepth, 1,000 levels) goes through its recursive patch
// engines on the HTTP server's own threads, not only in the unit tests' main thread: each patch
// type is merged and answered (the unknown field pruned, as kubectl patch asks no strict field
// validation), one level more is refused before any engine runs, and the server keeps serving an
// unchanged Deployment.
TEST_F(KubectlTest, PatchesNestedToTheDepthLimitAreAnsweredOnTheServerThreads) {
  ok({"apply", "-f", kubesim_->writeFile("deploy.yaml", kDeployment)});
  // Settled first: a status write of the simulated controllers between kubectl's GET and its
  // PATCH would turn "(no change)" into "patched".
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  const std::string before = ok({"get", "deploy", "web", "-o", "jsonpath={.spec}"});
  // {"x":{"x":...{}...}} with `depth` objects in all.
  const auto nested = [](int depth) {
    std::string s;
    for (int i = 1; i < depth; ++i) s += R"({"x":)";
    s += "{}";
    s.append(static_cast<std::size_t>(depth - 1), '}');
    return s;
  };
  for (const std::string type : {"merge", "strategic"}) {
    RunResult atLimit =
        kubesim_->kubectl({"patch", "deploy", "web", "--type", type, "-p", nested(1000)});
    EXPECT_EQ(atLimit.exitCode, 0) << type << ": " << atLimit.err;
    EXPECT_EQ(atLimit.out, "deployment.apps/web patched (no change)\n") << type;
    RunResult beyond =
        kubesim_->kubectl({"patch", "deploy", "web", "--type", type, "-p", nested(1001)});
    EXPECT_NE(beyond.exitCode, 0) << type << ": " << beyond.out;
    EXPECT_NE(beyond.err.find("exceeded max depth"), std::string::npos)
        << type << ": " << beyond.err;
  }
  EXPECT_EQ(ok({"get", "deploy", "web", "-o", "jsonpath={.spec}"}), before);
}

TEST_F(KubectlTest, WatchStreamsNewObjects) {
  auto watcher = kubesim_->kubectlAsync({"get", "configmaps", "--watch", "-o", "name"});
  ASSERT_TRUE(watcher.has_value());
  ok({"create", "configmap", "first", "--from-literal=a=1"});
  ok({"create", "configmap", "second", "--from-literal=a=2"});
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string out;
  while (std::chrono::steady_clock::now() < deadline) {
    out = watcher->out();
    if (out.find("configmap/second") != std::string::npos) break;
    std::this_thread::sleep_for(20ms);  // polling the watcher's output file
  }
  EXPECT_NE(out.find("configmap/first"), std::string::npos) << out << watcher->err();
  EXPECT_NE(out.find("configmap/second"), std::string::npos) << out << watcher->err();
  EXPECT_FALSE(watcher->waitFor(0ms).has_value()) << "the watch must stay open";
}

TEST(KubectlPlainHttp, ServesWithoutTlsOrToken) {
  std::string error;
  auto kubesim = Kubesim::start({"--plain-http"}, error);
  ASSERT_NE(kubesim, nullptr) << error;
  EXPECT_NE(kubesim->process().out().find("serving on http://127.0.0.1:"), std::string::npos);
  RunResult r = kubesim->kubectl({"version", "-o", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["serverVersion"]["minor"], "32");
  RunResult ns = kubesim->kubectl({"get", "--raw", "/api/v1/namespaces"});
  EXPECT_EQ(ns.exitCode, 0) << ns.err;
}

}  // namespace
}  // namespace kubesim::testing
