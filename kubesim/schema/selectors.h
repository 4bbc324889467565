#pragma once
// Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors (metadata.name,
// metadata.namespace, and per-kind fields) as the real server parses them; parse errors are the
// real server's 400 BadRequest values.

#include <string>
#include <string_view>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

struct LabelRequirement {
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
  std::string key;
  Op op = Op::Equals;
  std::vector<std::string> values;
  bool operator==(const LabelRequirement&) const = default;
};

class LabelSelector {
 public:
  LabelSelector() = default;  // matches everything
  static Result<LabelSelector> parse(std::string_view text);
  // metav1.LabelSelector {matchLabels, matchExpressions} (e.g. a Deployment's spec.selector).
  static Result<LabelSelector> fromJson(const Json& selector);

  bool empty() const { return requirements_.empty(); }
  bool matches(const Json& labels) const;  // labels: object of strings (null = no labels)
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }
  std::string toString() const;  // "app=web,tier in (a,b)" as kubectl prints selectors

 private:
  std::vector<LabelRequirement> requirements_;
};

struct FieldRequirement {
  std::string field;
  bool equals = true;  // = / == versus !=
  std::string value;
};

class FieldSelector {
 public:
  FieldSelector() = default;  // matches everything
  // 400 BadRequest `field label not supported: <field>` for fields the kind does not support.
  static Result<FieldSelector> parse(std::string_view text, const KindInfo& kind);

  bool empty() const { return requirements_.empty(); }
  bool matches(const Json& obj) const;
  const std::vector<FieldRequirement>& requirements() const { return requirements_; }

 private:
  std::vector<FieldRequirement> requirements_;
};

}  // namespace kubesim::schema
