// metav1.LabelSelector (operator/kube/label_selector.h): a TelemetryRollout's spec.selector, read
// with LabelSelector::fromJson (there is no parser of the string form: the operator only renders
// it, with toQueryString). Input: the selector as JSON (depth at most 128, as decode.cpp reads).
// Invariants: every accepted key and value is valid; an empty selector matches everything; labels
// that satisfy each Equals/In/Exists requirement (keys distinct) match.

#include "operator/base/bounded_json.h"
#include "operator/kube/label_selector.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::kube;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  auto parsed = tro::base::parseJsonBounded(tro::fuzz::asText(data, size), {size, 128});
  if (!parsed.ok()) return 0;
  const auto selector = LabelSelector::fromJson(*parsed);
  if (!selector.ok()) return 0;
  (void)selector->toQueryString();
  (void)selector->matches(*parsed);  // non-string label values count as absent
  if (selector->empty()) require(selector->matches(Json::object()));
  Json labels = Json::object();
  bool satisfiable = true;
  for (const SelectorRequirement& r : selector->requirements()) {
    require(isValidLabelKey(r.key));
    for (const auto& v : r.values) require(isValidLabelValue(v));
    if (labels.contains(r.key) || r.op == SelectorOperator::NotIn ||
        r.op == SelectorOperator::DoesNotExist) {
      satisfiable = false;
      continue;
    }
    labels[r.key] = r.values.empty() ? std::string("x") : r.values.front();
  }
  if (satisfiable) require(selector->matches(labels));
  return 0;
}
