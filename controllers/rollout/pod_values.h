#pragma once
// Checks of the values the operator writes into a pod template, by the rules the API server
// applies to them, so that a bad value in a TelemetryRollout is an InvalidSpec naming its field
// before any write, never a write the server refuses:
//  - resource quantities (resource.ParseQuantity's grammar) and requests <= limits;
//  - image references (the distribution reference grammar: [registry[:port]/]path[:tag][@digest]);
//  - names derived from user names (a volume named "<collector>-config" must stay a DNS label).
// Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "operator/kube/resource.h"

namespace tro::controllers {

// The value of a Kubernetes quantity ("100m", "1.5Gi", "2e3", "1"), or nullopt when the API
// server would refuse it.
std::optional<long double> parseQuantity(std::string_view text);

// Whether `image` is a valid, normalisable image reference.
bool isImageReference(std::string_view image);

struct ValueProblem {
  std::string field;  // "spec.collector.resources.requests.cpu"
  std::string message;
};

// A corev1.ResourceRequirements at `path`: only `requests` and `limits` maps of resource name to
// quantity, and no request above its limit.
std::vector<ValueProblem> resourceRequirementsProblems(const kube::Json& resources,
                                                       const std::string& path);

}  // namespace tro::controllers
