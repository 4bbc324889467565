#pragma once
// The OpenTelemetry Operator's pod-template annotations that spec.instrumentation may set, and
// the rules their names and values follow (the operator's documented set, as its pod mutator
// reads them). Pure; used by parseSpec() so that a bad name or value is an InvalidSpec naming
// its key before any Deployment is touched.
//
//   instrumentation.opentelemetry.io/inject-<language>   "true", "false", "<name>" or
//   sidecar.opentelemetry.io/inject                       "<namespace>/<name>" of an
//                                                         Instrumentation (collector for sidecar)
//   instrumentation.opentelemetry.io/container-names      comma-separated container names
//   instrumentation.opentelemetry.io/<language>-container-names   (needs inject-<language>)
//   instrumentation.opentelemetry.io/otel-go-auto-target-exe      absolute path; inject-go needs it
//   instrumentation.opentelemetry.io/otel-dotnet-auto-runtime     linux-x64 or linux-musl-x64
// Languages: java, nodejs, python, dotnet, go, apache-httpd, nginx, sdk.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace tro::controllers {

// Bounds the CRD's schema states too (a tenant's rollout is hostile input whatever admitted it).
inline constexpr std::size_t kMaxOtelAnnotations = 16;
inline constexpr std::size_t kMaxOtelAnnotationValue = 4096;

// One problem of the annotation set, naming the key it is about.
struct OtelAnnotationProblem {
  std::string key;
  std::string message;
  bool operator==(const OtelAnnotationProblem&) const = default;
};

// Every problem of `annotations` (name -> value), in key order; empty when the set is valid.
// Checks each name against the documented set, each value against its grammar, and the rules
// across keys: at least one inject annotation; a <language>-container-names or
// otel-go-auto-target-exe only beside its inject-<language>; inject-go (other than "false")
// together with otel-go-auto-target-exe.
std::vector<OtelAnnotationProblem> otelAnnotationProblems(
    const std::map<std::string, std::string>& annotations);

}  // namespace tro::controllers
