// Values a TelemetryRollout puts into pod templates (pod_values.h): quantities, image references,
// resource requirements; and spec.h's isPinnedImage. Input: the text (a quantity or an image),
// and when it is JSON, a map of resource name to quantity.
// Invariant: requests equal to their limits add no problem beyond those of each map alone.

#include <string>

#include "controllers/rollout/pod_values.h"
#include "controllers/rollout/spec.h"
#include "operator/base/bounded_json.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::controllers;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const std::string_view text = tro::fuzz::asText(data, size);
  (void)parseQuantity(text);
  (void)isImageReference(text);
  (void)isPinnedImage(std::string(text));
  auto parsed = tro::base::parseJsonBounded(text, {size, 128});
  if (!parsed.ok()) return 0;
  const Json& quantities = *parsed;
  const std::string path = "spec.collector.resources";
  (void)resourceRequirementsProblems(quantities, path);
  Json requests = Json::object();
  requests["requests"] = quantities;
  Json limits = Json::object();
  limits["limits"] = quantities;
  Json both = requests;
  both["limits"] = quantities;
  require(resourceRequirementsProblems(both, path).size() ==
          resourceRequirementsProblems(requests, path).size() +
              resourceRequirementsProblems(limits, path).size());
  return 0;
}
