#pragma once
// A metav1.LabelSelector as a value: parsed and validated once, then matched against an object's
// labels or rendered as the labelSelector query parameter. Semantics follow
// metav1.LabelSelectorAsSelector: matchLabels and matchExpressions are ANDed, an empty selector
// ({}) matches everything. A JSON null/absent selector is rejected by fromJson (Kubernetes reads
// a nil selector as "matches nothing"; callers decide what that means for them).

#include <string>
#include <vector>

#include "operator/kube/error.h"
#include "operator/kube/resource.h"

namespace tro::kube {

enum class SelectorOperator { Equals, In, NotIn, Exists, DoesNotExist };  // Equals: matchLabels

struct SelectorRequirement {
  std::string key;
  SelectorOperator op = SelectorOperator::Exists;
  std::vector<std::string> values;  // sorted; empty for Exists/DoesNotExist
  bool operator==(const SelectorRequirement&) const = default;
};

class LabelSelector {
 public:
  LabelSelector() = default;  // empty: matches everything
  // Errors (kind Config, reason "InvalidSelector") for unknown operators, invalid label keys or
  // values, In/NotIn without values, Exists/DoesNotExist with values.
  static Result<LabelSelector> fromJson(const Json& selector);

  bool empty() const { return requirements_.empty(); }
  // `labels` is metadata.labels (an object of strings); null or absent means no labels.
  bool matches(const Json& labels) const;
  // "a=b,c in (x,y),!d": requirements sorted by key, as the API server expects.
  std::string toQueryString() const;
  const std::vector<SelectorRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<SelectorRequirement> requirements_;
};

// Label key ([prefix/]name) and value syntax checks, exposed for tests and callers.
bool isValidLabelKey(const std::string& key);
bool isValidLabelValue(const std::string& value);

}  // namespace tro::kube
