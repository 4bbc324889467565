#include "tests/integration/analysis/analysis_cluster.h"

#include <sstream>

#include "operator/base/rfc3339.h"
#include "tests/support/eventually.h"

namespace tro::testing::analysis {

using namespace std::chrono_literals;

std::string highErrorRateRule() { return highErrorRateRules("1s"); }

std::string deploymentYaml(const std::string& ns, const App& app) {
  std::ostringstream y;
  y << "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " << app.name
    << "\n  namespace: " << ns << "\n  labels:\n    app.kubernetes.io/name: " << app.name
    << "\n    app.kubernetes.io/part-of: " << app.partOf << '\n';
  if (!app.annotations.empty()) {
    y << "  annotations:\n";
    for (const auto& [key, value] : app.annotations)
      y << "    " << key << ": \"" << value << "\"\n";
  }
  y << "spec:\n  replicas: " << app.replicas
    << "\n  progressDeadlineSeconds: " << app.progressDeadlineSeconds
    << "\n  selector:\n    matchLabels: {app.kubernetes.io/name: " << app.name
    << "}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: " << app.name
    << "}\n    spec:\n      containers:\n      - name: app\n        image: registry.example/"
    << app.name << ":1.0.0\n        env:\n";
  if (app.flag) y << "        - {name: FEATURE_OTEL, value: \"" << *app.flag << "\"}\n";
  y << "        - {name: LOG_LEVEL, value: info}\n";
  return y.str();
}

std::string namespaceYaml(const std::string& ns) {
  return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns +
         "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel-collector-config\n"
         "  namespace: " +
         ns +
         "\ndata:\n  otel-collector-config.yaml: |\n    receivers: {otlp: {protocols: {http: "
         "{}}}}\n"
         "    exporters: {debug: {}}\n"
         "    service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}\n";
}

std::vector<std::string> containerNames(const Json& deployment) {
  std::vector<std::string> names;
  const Json containers =
      deployment.value(Json::json_pointer("/spec/template/spec/containers"), Json::array());
  for (const auto& c : containers) names.push_back(c.value("name", ""));
  return names;
}

std::optional<std::string> envValue(const Json& deployment, const std::string& container,
                                    const std::string& var) {
  const Json containers =
      deployment.value(Json::json_pointer("/spec/template/spec/containers"), Json::array());
  for (const auto& c : containers) {
    if (c.value("name", "") != container) continue;
    for (const auto& e : c.value("env", Json::array())) {
      if (e.value("name", "") == var) return e.value("value", "");
    }
  }
  return std::nullopt;
}

Json condition(const Json& rollout, const std::string& type) {
  for (const auto& c : rollout.value(Json::json_pointer("/status/conditions"), Json::array())) {
    if (c.value("type", "") == type) return c;
  }
  return Json::object();
}

Json analysisCheck(const Json& rollout, const std::string& check) {
  for (const auto& c :
       rollout.value(Json::json_pointer("/status/analysis/checks"), Json::array())) {
    if (c.value("check", "") == check) return c;
  }
  return Json::object();
}

std::vector<Json> eventsWith(const std::vector<Json>& events, const std::string& reason,
                             const std::string& text) {
  std::vector<Json> out;
  for (const auto& e : events) {
    if (e.value("reason", "") == reason && e.value("message", "").find(text) != std::string::npos) {
      out.push_back(e);
    }
  }
  return out;
}

std::optional<std::chrono::sys_seconds> parseTime(const Json& value) {
  if (!value.is_string()) return std::nullopt;
  auto t = base::parseRfc3339(value.get<std::string>());
  if (!t) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(*t);
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
             std::chrono::milliseconds period) {
  return eventually(condition, deadline, period);
}

std::unique_ptr<AnalysisCluster> AnalysisCluster::start(const std::string& rules,
                                                        std::string& error,
                                                        const ClusterOptions& options) {
  auto c = std::make_unique<AnalysisCluster>();
  c->kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
  if (!c->kubesim_) return nullptr;
  PrometheusOptions prometheus;
  prometheus.scrapeTargets = {c->kubesim_->metricsPort()};
  prometheus.rules = rules;
  prometheus.alertmanagerPort = options.alertmanagerPort;
  c->prometheus_ = Prometheus::start(prometheus, error);
  if (!c->prometheus_) return nullptr;
  RunResult crd = c->kubectl({"apply", "-f", TRO_SOURCE_DIR "/crds/"});
  if (crd.exitCode != 0) {
    error = "applying the CRDs: " + crd.err;
    return nullptr;
  }
  RunResult established = c->kubectl(
      {"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
       "crd/clustertelemetryrollouts.rollout.telemetry.io", "--timeout=30s"});
  if (established.exitCode != 0) {
    error = "the CRDs were not established: " + established.err;
    return nullptr;
  }
  c->operator_ = OperatorProcess::start(c->kubesim_->kubeconfig(), options.operatorFlags, error);
  if (!c->operator_) return nullptr;
  return c;
}

RunResult AnalysisCluster::kubectl(const std::vector<std::string>& args) {
  return kubesim_->kubectl(args);
}

bool AnalysisCluster::apply(const std::string& fileName, const std::string& yaml) {
  RunResult r = kubectl({"apply", "-f", kubesim_->writeFile(fileName, yaml)});
  if (r.exitCode != 0) lastError_ = "kubectl apply " + fileName + ": " + r.out + r.err;
  return r.exitCode == 0;
}

bool AnalysisCluster::applyApps(const std::string& ns, const std::vector<App>& apps) {
  std::string all;
  for (const App& app : apps) all += "---\n" + deploymentYaml(ns, app);
  if (!apply(ns + "-apps.yaml", all)) return false;
  for (const App& app : apps) {
    RunResult r =
        kubectl({"-n", ns, "rollout", "status", "deployment/" + app.name, "--timeout=60s"});
    if (r.exitCode != 0) {
      lastError_ = "deployment " + app.name + " did not roll out: " + r.out + r.err;
      return false;
    }
  }
  return true;
}

bool AnalysisCluster::waitForScrapes(const std::string& ns,
                                     const std::vector<std::string>& deployments) {
  const std::string promql = "count by (deployment) (rate(http_requests_total{namespace=\"" + ns +
                             "\",code=\"200\"}[5s]) > 0)";
  const bool ok = waitFor(
      [&] {
        auto data = prometheus_->query(promql);
        if (!data) return false;
        size_t seen = 0;
        for (const auto& sample : data->value("result", Json::array())) {
          const std::string d = sample.value(Json::json_pointer("/metric/deployment"), "");
          for (const auto& want : deployments) seen += d == want ? 1 : 0;
        }
        return seen == deployments.size();
      },
      60s, 250ms);
  if (!ok) lastError_ = "Prometheus has no request rate for every Deployment of " + ns;
  return ok;
}

std::optional<Json> AnalysisCluster::getJson(const std::vector<std::string>& args) {
  RunResult r = kubectl(args);
  if (r.exitCode != 0) {
    lastError_ = "kubectl get: " + r.err;
    return std::nullopt;
  }
  Json parsed = Json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    lastError_ = "kubectl get printed no JSON: " + r.out;
    return std::nullopt;
  }
  return parsed;
}

std::optional<Json> AnalysisCluster::rollout(const std::string& ns, const std::string& name) {
  return getJson({"-n", ns, "get", "telemetryrollouts.rollout.telemetry.io", name, "-o", "json"});
}

std::optional<Json> AnalysisCluster::deployment(const std::string& ns, const std::string& name) {
  return getJson({"-n", ns, "get", "deployment", name, "-o", "json"});
}

std::vector<Json> AnalysisCluster::events(const std::string& ns, const std::string& involvedName) {
  auto list = getJson({"-n", ns, "get", "events", "--field-selector",
                       "involvedObject.name=" + involvedName, "-o", "json"});
  std::vector<Json> out;
  if (!list) return out;
  for (const auto& e : list->value("items", Json::array())) out.push_back(e);
  return out;
}

bool AnalysisCluster::waitForPhase(const std::string& ns, const std::string& name,
                                   const std::string& phase, std::chrono::milliseconds deadline) {
  return waitFor(
      [&] {
        auto r = rollout(ns, name);
        return r && r->value(Json::json_pointer("/status/phase"), "") == phase;
      },
      deadline);
}

std::optional<double> AnalysisCluster::queryValue(const std::string& promql) {
  auto data = prometheus_->query(promql);
  if (!data) return std::nullopt;
  const Json result = data->value("result", Json::array());
  Json value;
  if (data->value("resultType", "") == "scalar") {
    value = result;
  } else if (result.is_array() && result.size() == 1) {
    value = result[0].value("value", Json());
  }
  if (!value.is_array() || value.size() != 2 || !value[1].is_string()) return std::nullopt;
  try {
    return std::stod(value[1].get<std::string>());
  } catch (const std::exception&) {  // "NaN" parses; anything else is not a sample
    return std::nullopt;
  }
}

std::string AnalysisCluster::diagnostics(const std::string& ns, const std::string& name) {
  std::ostringstream out;
  auto r = rollout(ns, name);
  out << "\n--- rollout " << ns << "/" << name << ":\n"
      << (r ? r->value("status", Json::object()).dump(2) : lastError_);
  out << "\n--- events:\n";
  out << kubectl({"-n", ns, "get", "events"}).out;
  out << "\n--- alerts:\n";
  for (const auto& a : prometheus_->alerts()) out << a.dump() << '\n';
  std::string logs = operator_->logs();
  if (logs.size() > 6000) logs = "..." + logs.substr(logs.size() - 6000);
  out << "\n--- operator log (tail):\n" << logs;
  return out.str();
}

}  // namespace tro::testing::analysis
