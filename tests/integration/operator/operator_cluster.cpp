#include "tests/integration/operator/operator_cluster.h"

#include <sstream>

#include "tests/support/eventually.h"

namespace tro::testing {

namespace {

std::string quoted(const std::string& s) { return Json(s).dump(); }  // YAML accepts JSON strings

std::string configMapYaml() {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel-collector-config, namespace: "
         "default}\ndata:\n  otel-collector-config.yaml: |\n    receivers:\n      otlp:\n"
         "        protocols: {grpc: {}, http: {}}\n";
}

}  // namespace

std::string RolloutYaml::render() const {
  std::ostringstream y;
  y << "apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n"
    << "metadata: {name: " << name << ", namespace: " << kNamespace << "}\n"
    << "spec:\n  selector: {matchLabels: " << matchLabels << "}\n";
  if (!targetKindsYaml.empty()) y << "  targetKinds: " << targetKindsYaml << "\n";
  if (!flagYaml.empty()) y << "  flag: " << flagYaml << "\n";
  if (!instrumentationYaml.empty()) y << "  instrumentation: " << instrumentationYaml << "\n";
  if (!env.empty()) {
    y << "  env:\n";
    for (const auto& [k, v] : env)
      y << "  - {name: " << quoted(k) << ", value: " << quoted(v) << "}\n";
  }
  if (collectorImage) {
    y << "  collector: {image: " << quoted(*collectorImage) << ", configMap: otel-collector-config";
    if (!collectorResources.empty()) y << ", resources: " << collectorResources;
    y << "}\n";
  }
  if (paused) y << "  paused: true\n";
  y << "  strategy:\n";
  if (progressDeadlineSeconds)
    y << "    progressDeadlineSeconds: " << *progressDeadlineSeconds << "\n";
  y << "    steps:\n";
  for (const auto& s : steps) y << "    - " << s << "\n";
  return y.str();
}

std::string deploymentName(int i) { return "app-" + std::to_string(i); }

std::string deploymentYaml(int i) {
  const std::string name = deploymentName(i);
  std::ostringstream y;
  y << "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " << name
    << "\n  namespace: default\n  labels: {tier: web, name: " << name << "}\n"
    << "spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: " << name << "}\n"
    << "  template:\n    metadata:\n      labels: {app: " << name << "}\n"
    << "    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n"
    << "        env:\n";
  if (i % 4 != 3) y << "        - {name: FEATURE_OTEL, value: \"false\"}\n";
  y << "        - {name: LOG_LEVEL, value: info}\n";
  if (i % 4 == 1) y << "        - {name: OTEL_SERVICE_NAME, value: legacy-name}\n";
  if (i % 4 == 2) {
    y << "        volumeMounts:\n        - {name: cache, mountPath: /cache}\n"
      << "      - name: proxy\n        image: example.test/proxy:2\n"
      << "        ports:\n        - {containerPort: 15001}\n"
      << "      volumes:\n      - name: cache\n        emptyDir: {}\n";
  }
  return y.str();
}

std::vector<Json> parseJsonStream(const std::string& text) {
  std::vector<Json> out;
  std::istringstream in(text);
  while (true) {
    in >> std::ws;
    if (in.peek() == std::char_traits<char>::eof()) break;
    const auto start = static_cast<size_t>(in.tellg());
    Json value;
    try {
      in >> value;
    } catch (const Json::parse_error& e) {
      // The last object may still be being written: an error at the very end is not one.
      if (e.byte < text.size() - start) {
        ADD_FAILURE() << "watch output is not a JSON stream: " << e.what();
      }
      break;
    }
    out.push_back(std::move(value));
  }
  return out;
}

void OperatorClusterTest::startCluster(int deployments, bool withOperator) {
  deployments_ = deployments;
  std::string error;
  kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
  ASSERT_NE(kubesim_, nullptr) << error;
  ok({"apply", "-f", TRO_CRD_FILE});
  ok({"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
      "--timeout=30s"});
  std::string all = configMapYaml();
  for (int i = 0; i < deployments; ++i) all += "---\n" + deploymentYaml(i);
  applyYaml("workloads.yaml", all);
  if (deployments > 0) {
    ok({"wait", "--for=condition=Available", "deployment", "--all", "--timeout=60s"});
  }
  ASSERT_FALSE(HasFailure()) << diagnostics();
  if (withOperator) startOperator();
}

void OperatorClusterTest::startOperator() {
  std::string error;
  operator_ = OperatorProcess::start(kubesim_->kubeconfig(), {"--log-level", "debug"}, error);
  ASSERT_NE(operator_, nullptr) << error;
}

RunResult OperatorClusterTest::kubectl(const std::vector<std::string>& args,
                                       std::chrono::milliseconds timeout) {
  return kubesim_->kubectl(args, timeout);
}

std::string OperatorClusterTest::ok(const std::vector<std::string>& args,
                                    std::chrono::milliseconds timeout) {
  RunResult r = kubectl(args, timeout);
  if (r.exitCode != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    ADD_FAILURE() << "kubectl" << cmd << " exited " << r.exitCode << "\nstdout: " << r.out
                  << "\nstderr: " << r.err;
  }
  return r.out;
}

void OperatorClusterTest::applyYaml(const std::string& fileName, const std::string& yaml) {
  ok({"apply", "-f", kubesim_->writeFile(fileName, yaml)});
}

Json OperatorClusterTest::getJson(const std::string& ref) {
  RunResult r = kubectl({"get", ref, "-n", kNamespace, "-o", "json"});
  if (r.exitCode != 0) return Json();
  Json parsed = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json() : parsed;
}

Json OperatorClusterTest::statusOf(const std::string& name) {
  Json r = rollout(name);
  if (!r.is_object() || !r.contains("status") || !r["status"].is_object()) return Json::object();
  return r["status"];
}

std::string OperatorClusterTest::podTemplateText(const std::string& name) {
  return ok({"get", "deployment/" + name, "-n", kNamespace, "-o", "jsonpath={.spec.template}"});
}

std::map<std::string, std::string> OperatorClusterTest::podTemplateTexts() {
  std::map<std::string, std::string> out;
  std::istringstream lines(ok({"get", "deployments", "-n", kNamespace, "-l", "tier=web", "-o",
                               "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.template}"
                               "{\"\\n\"}{end}"}));
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

std::map<std::string, Json> OperatorClusterTest::deployments() {
  std::map<std::string, Json> out;
  RunResult r = kubectl({"get", "deployments", "-n", kNamespace, "-l", "tier=web", "-o", "json"});
  Json list = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (r.exitCode != 0 || list.is_discarded()) {
    ADD_FAILURE() << "kubectl get deployments: " << r.err;
    return out;
  }
  for (auto& d : list.value("items", Json::array())) {
    out[d["metadata"].value("name", "")] = d;
  }
  return out;
}

void OperatorClusterTest::expectAllRolledOut() {
  ok({"rollout", "status", "-n", kNamespace, "deployment", "-l", "tier=web", "--timeout=60s"});
}

bool OperatorClusterTest::waitForRollout(const std::string& name,
                                         const std::function<bool(const Json&)>& condition,
                                         const std::string& what,
                                         std::chrono::milliseconds deadline) {
  Json last;
  bool met = eventually(
      [&] {
        last = rollout(name);
        return !last.is_null() && condition(last.value("status", Json::object()));
      },
      deadline);
  if (!met) {
    ADD_FAILURE() << "TelemetryRollout " << name << " never reached: " << what
                  << "\nlast object: " << last.dump(2) << "\n"
                  << diagnostics();
  }
  return met;
}

bool OperatorClusterTest::waitForPhase(const std::string& name, const std::string& phase,
                                       std::chrono::milliseconds deadline) {
  return waitForRollout(
      name, [&](const Json& s) { return s.value("phase", "") == phase; }, "phase " + phase,
      deadline);
}

void OperatorClusterTest::annotate(const std::string& name, const std::string& annotation,
                                   const std::string& value) {
  ok({"annotate", "--overwrite", "-n", kNamespace, "telemetryrollout/" + name,
      annotation + "=" + value});
}

bool OperatorClusterTest::barrier(const std::string& name, const std::string& annotation,
                                  const std::string& field) {
  const std::string value = "barrier-" + std::to_string(++barrierCount_);
  annotate(name, annotation, value);
  return waitForRollout(
      name,
      [&](const Json& s) {
        return s.value("handledControls", Json::object()).value(field, "") == value;
      },
      "handledControls." + field + " == " + value);
}

Json OperatorClusterTest::requests() {
  std::string error;
  auto r = kubesim_->requests(&error);
  if (!r) {
    ADD_FAILURE() << error;
    return Json::object();
  }
  return *r;
}

void OperatorClusterTest::resetRequests() {
  std::string error;
  if (!kubesim_->resetRequests(&error)) ADD_FAILURE() << error;
}

std::uint64_t OperatorClusterTest::count(const Json& requests,
                                         const std::map<std::string, std::string>& match) {
  return countRequests(requests, match);
}

std::uint64_t OperatorClusterTest::operatorDeploymentWrites(const Json& requests,
                                                            const std::string& verb) {
  std::uint64_t total = 0;
  for (const char* code : {"200", "201"}) {
    total += countRequests(requests, {{"verb", verb},
                                      {"resource", "deployments"},
                                      {"fieldManager", kFieldManager},
                                      {"code", code}});
  }
  return total;
}

std::string OperatorClusterTest::describeRequests(const Json& requests) {
  std::string out;
  for (const auto& row : requests.value("requests", Json::array())) {
    const std::string verb = row.value("verb", "");
    if (verb == "get" || verb == "list" || verb == "watch") continue;
    out += "  " + verb + " " + row.value("resource", "") +
           (row.value("subresource", "").empty() ? "" : "/" + row.value("subresource", "")) +
           " by " + row.value("fieldManager", "?") + " -> " + row.value("code", Json()).dump() +
           " x" + row.value("count", Json()).dump() + "\n";
  }
  return out;
}

std::vector<Json> OperatorClusterTest::eventsFor(const std::string& kind, const std::string& name) {
  std::vector<Json> out;
  Json list = getJson("events");
  for (const auto& e : list.value("items", Json::array())) {
    const Json& involved = e.value("involvedObject", Json::object());
    if (involved.value("kind", "") == kind && involved.value("name", "") == name) out.push_back(e);
  }
  return out;
}

bool OperatorClusterTest::waitForEvent(const std::string& kind, const std::string& name,
                                       const std::string& type, const std::string& reason) {
  return eventually([&] {
    for (const auto& e : eventsFor(kind, name)) {
      if (e.value("type", "") == type && e.value("reason", "") == reason) return true;
    }
    return false;
  });
}

std::string OperatorClusterTest::diagnostics() {
  std::string out;
  if (kubesim_) {
    RunResult r = kubectl({"get", "telemetryrollouts,deployments", "-n", kNamespace, "-o", "wide"});
    out += "kubectl get tro,deploy:\n" + r.out + r.err;
  }
  if (operator_) {
    out += "operator logs (tail):\n" + operator_->logsTail();
  }
  return out;
}

const Json* findContainer(const Json& deployment, const std::string& name) {
  const Json::json_pointer path("/spec/template/spec/containers");
  if (!deployment.contains(path) || !deployment.at(path).is_array()) return nullptr;
  for (const auto& c : deployment.at(path)) {
    if (c.value("name", "") == name) return &c;
  }
  return nullptr;
}

std::optional<std::string> envValue(const Json& deployment, const std::string& container,
                                    const std::string& var) {
  const Json* c = findContainer(deployment, container);
  if (c == nullptr) return std::nullopt;
  for (const auto& e : c->value("env", Json::array())) {
    if (e.value("name", "") == var) return e.value("value", "");
  }
  return std::nullopt;
}

std::string annotationOf(const Json& object, const std::string& key) {
  const Json::json_pointer path("/metadata/annotations");
  if (!object.contains(path) || !object.at(path).is_object()) return "";
  return object.at(path).value(key, "");
}

bool hasOperatorAnnotations(const Json& deployment) {
  const Json::json_pointer path("/metadata/annotations");
  if (!deployment.contains(path)) return false;
  const Json& annotations = deployment.at(path);
  for (auto it = annotations.begin(); it != annotations.end(); ++it) {
    if (it.key().rfind("rollout.telemetry.io/", 0) == 0) return true;
  }
  return false;
}

Json conditionOf(const Json& status, const std::string& type) {
  for (const auto& c : status.value("conditions", Json::array())) {
    if (c.value("type", "") == type) return c;
  }
  return Json::object();
}

std::vector<std::string> targetsIn(const Json& status, const std::string& state) {
  std::vector<std::string> out;
  for (const auto& t : status.value("targets", Json::array())) {
    if (t.value("state", "") == state) out.push_back(t.value("name", ""));
  }
  return out;
}

}  // namespace tro::testing
