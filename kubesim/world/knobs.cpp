#include "kubesim/world/knobs.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kubesim::world {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The annotation as a number, or `fallback` when absent or not a number.
double number(const Json& annotations, const char* key, double fallback) {
  auto it = annotations.find(key);
  if (it == annotations.end() || !it->is_string()) return fallback;
  const std::string s = it->get<std::string>();
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || v < 0) return fallback;
  return v;
}

double ratio(const Json& annotations, const char* key, double fallback) {
  return std::clamp(number(annotations, key, fallback), 0.0, 1.0);
}

bool flag(const Json& annotations, const char* key) {
  auto it = annotations.find(key);
  return it != annotations.end() && it->is_string() && lower(it->get<std::string>()) == "true";
}

}  // namespace

Knobs knobsFromDeployment(const Json& deployment) {
  Knobs k;
  if (!deployment.is_object()) return k;
  const Json::json_pointer p("/metadata/annotations");
  if (!deployment.contains(p) || !deployment.at(p).is_object()) return k;
  const Json& a = deployment.at(p);
  k.requestRate = number(a, "kubesim.io/request-rate", k.requestRate);
  k.errorRatio = ratio(a, "kubesim.io/error-ratio", k.errorRatio);
  k.latencyMs = number(a, "kubesim.io/latency-ms", k.latencyMs);
  k.faultErrorRatio = ratio(a, "kubesim.io/telemetry-fault-error-ratio", 0);
  k.faultLatencyMs = number(a, "kubesim.io/telemetry-fault-latency-ms", 0);
  k.faultExportFailureRatio = ratio(a, "kubesim.io/telemetry-fault-export-failure-ratio", 0);
  k.faultNeverReady = flag(a, "kubesim.io/telemetry-fault-never-ready");
  k.faultCrashLoop = flag(a, "kubesim.io/telemetry-fault-crashloop");
  k.perPodMetrics = flag(a, "kubesim.io/per-pod-metrics");
  return k;
}

PodProfile profileOf(const Json& podSpec, const std::vector<std::string>& telemetryFlags) {
  PodProfile p;
  const Json containers =
      podSpec.is_object() ? podSpec.value("containers", Json::array()) : Json::array();
  for (const Json& c : containers) {
    if (!c.is_object()) continue;
    const std::string name = c.value("name", "");
    const std::string image = c.value("image", "");
    p.containers.push_back(name);
    const bool collector =
        name == "otel-collector" || image.find("opentelemetry-collector") != std::string::npos;
    if (collector) {
      if (p.collectorContainer.empty()) p.collectorContainer = name;
      continue;
    }
    if (p.appContainer.empty()) p.appContainer = name;
    for (const Json& e : c.value("env", Json::array())) {
      if (!e.is_object() || !e.contains("value") || !e["value"].is_string()) continue;
      const std::string envName = e.value("name", "");
      const bool named =
          std::find(telemetryFlags.begin(), telemetryFlags.end(), envName) != telemetryFlags.end();
      if (named && lower(e["value"].get<std::string>()) == "true") p.telemetryOn = true;
    }
  }
  if (p.appContainer.empty()) p.appContainer = "app";
  return p;
}

Behaviour behaviourOf(const Knobs& k, const PodProfile& profile) {
  Behaviour b;
  b.requestRate = k.requestRate;
  b.errorRatio = k.errorRatio;
  b.latencySeconds = k.latencyMs / 1000.0;
  b.perPodMetrics = k.perPodMetrics;
  if (profile.telemetryOn) {
    b.errorRatio = std::min(1.0, b.errorRatio + k.faultErrorRatio);
    b.latencySeconds += k.faultLatencyMs / 1000.0;
    b.exportFailureRatio = k.faultExportFailureRatio;
    b.neverReady = k.faultNeverReady;
    b.crashLoop = k.faultCrashLoop;
  }
  return b;
}

}  // namespace kubesim::world
