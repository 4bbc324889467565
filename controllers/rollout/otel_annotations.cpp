#include "controllers/rollout/otel_annotations.h"

#include <array>
#include <string_view>

#include "operator/base/untrusted_text.h"
#include "operator/kube/names.h"

namespace tro::controllers {
namespace {

constexpr std::string_view kInstrumentationPrefix = "instrumentation.opentelemetry.io/";
constexpr std::string_view kSidecarInject = "sidecar.opentelemetry.io/inject";
constexpr std::string_view kContainerNames = "instrumentation.opentelemetry.io/container-names";
constexpr std::string_view kGoTargetExe =
    "instrumentation.opentelemetry.io/otel-go-auto-target-exe";
constexpr std::string_view kDotnetRuntime =
    "instrumentation.opentelemetry.io/otel-dotnet-auto-runtime";
constexpr std::array<std::string_view, 8> kLanguages = {"java", "nodejs",       "python", "dotnet",
                                                        "go",   "apache-httpd", "nginx",  "sdk"};
// A path the kernel accepts (PATH_MAX).
constexpr std::size_t kMaxPath = 4096;

std::string injectKey(std::string_view language) {
  return std::string(kInstrumentationPrefix) + "inject-" + std::string(language);
}

std::string containerNamesKey(std::string_view language) {
  return std::string(kInstrumentationPrefix) + std::string(language) + "-container-names";
}

// "true", "false", "<name>" or "<namespace>/<name>" of the resource the annotation selects.
std::string injectValueProblem(const std::string& value) {
  if (value == "true" || value == "false") return "";
  const auto slash = value.find('/');
  if (slash == std::string::npos) {
    if (kube::isDnsSubdomain(value)) return "";
  } else if (kube::isDnsLabel(std::string_view(value).substr(0, slash)) &&
             kube::isDnsSubdomain(std::string_view(value).substr(slash + 1))) {
    return "";
  }
  return "must be \"true\", \"false\", a resource name or \"<namespace>/<name>\", not " +
         base::quoteExcerpt(value, 80);
}

std::string containerNamesProblem(const std::string& value) {
  if (value.empty()) return "must name at least one container";
  std::string_view rest(value);
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    if (!kube::isDnsLabel(name)) {
      return "must be container names (DNS-1123 labels) separated by commas, not " +
             base::quoteExcerpt(value, 80);
    }
    if (comma == std::string_view::npos) return "";
    rest.remove_prefix(comma + 1);
  }
}

std::string pathProblem(const std::string& value) {
  if (value.empty() || value.front() != '/' || value.size() > kMaxPath ||
      value.find('\0') != std::string::npos) {
    return "must be the absolute path of the program to instrument, not " +
           base::quoteExcerpt(value, 80);
  }
  return "";
}

bool isInjectKey(const std::string& key) {
  if (key == kSidecarInject) return true;
  for (std::string_view language : kLanguages) {
    if (key == injectKey(language)) return true;
  }
  return false;
}

// The problem of one key and its value alone; "" when both are valid.
std::string keyProblem(const std::string& key, const std::string& value) {
  if (value.size() > kMaxOtelAnnotationValue) {
    return "must be at most " + std::to_string(kMaxOtelAnnotationValue) + " characters";
  }
  if (isInjectKey(key)) return injectValueProblem(value);
  if (key == kContainerNames) return containerNamesProblem(value);
  if (key == kGoTargetExe) return pathProblem(value);
  if (key == kDotnetRuntime) {
    if (value == "linux-x64" || value == "linux-musl-x64") return "";
    return "must be \"linux-x64\" or \"linux-musl-x64\", not " + base::quoteExcerpt(value, 80);
  }
  for (std::string_view language : kLanguages) {
    if (key == containerNamesKey(language)) return containerNamesProblem(value);
  }
  return "is not an annotation of the OpenTelemetry Operator (inject-<language>, "
         "container-names, <language>-container-names, otel-go-auto-target-exe, "
         "otel-dotnet-auto-runtime, or sidecar.opentelemetry.io/inject)";
}

}  // namespace

std::vector<OtelAnnotationProblem> otelAnnotationProblems(
    const std::map<std::string, std::string>& annotations) {
  std::vector<OtelAnnotationProblem> out;
  bool injects = false;
  for (const auto& [key, value] : annotations) {
    if (std::string problem = keyProblem(key, value); !problem.empty()) {
      out.push_back({key, std::move(problem)});
    }
    injects = injects || isInjectKey(key);
  }
  if (!injects && !annotations.empty()) {
    out.push_back({annotations.begin()->first,
                   "needs an inject annotation beside it (instrumentation.opentelemetry.io/"
                   "inject-<language> or sidecar.opentelemetry.io/inject)"});
  }
  for (std::string_view language : kLanguages) {
    const bool injected = annotations.contains(injectKey(language));
    if (const std::string key = containerNamesKey(language);
        annotations.contains(key) && !injected) {
      out.push_back({key, "needs " + injectKey(language) + " beside it"});
    }
  }
  const auto go = annotations.find(injectKey("go"));
  const bool goInjected = go != annotations.end() && go->second != "false";
  if (goInjected && !annotations.contains(std::string(kGoTargetExe))) {
    out.push_back({go->first, "needs " + std::string(kGoTargetExe) +
                                  " beside it: Go instrumentation attaches to that program"});
  }
  if (annotations.contains(std::string(kGoTargetExe)) && go == annotations.end()) {
    out.push_back({std::string(kGoTargetExe), "needs " + injectKey("go") + " beside it"});
  }
  if (annotations.contains(std::string(kDotnetRuntime)) &&
      !annotations.contains(injectKey("dotnet"))) {
    out.push_back({std::string(kDotnetRuntime), "needs " + injectKey("dotnet") + " beside it"});
  }
  return out;
}

}  // namespace tro::controllers
