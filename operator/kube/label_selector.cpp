#include "operator/kube/label_selector.h"

#include <algorithm>

#include "operator/base/untrusted_text.h"
#include "operator/kube/names.h"

namespace tro::kube {
namespace {

// Selectors come from tenants' resources and servers' answers: every piece of them quoted in an
// error is cut and cleaned.
std::string excerpt(std::string_view text) { return base::quoteExcerpt(text, 64); }
std::string describe(const Json& value) {
  return value.is_string() ? excerpt(value.get_ref<const std::string&>())
                           : std::string("a JSON ") + value.type_name();
}

Error selectorError(std::string message) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "InvalidSelector";
  e.message = "invalid label selector: " + std::move(message);
  return e;
}

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A qualified name: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters.
bool isQualifiedName(const std::string& s) {
  if (s.empty() || s.size() > 63 || !isAlnum(s.front()) || !isAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

Result<SelectorOperator> parseOperator(const std::string& op) {
  if (op == "In") return SelectorOperator::In;
  if (op == "NotIn") return SelectorOperator::NotIn;
  if (op == "Exists") return SelectorOperator::Exists;
  if (op == "DoesNotExist") return SelectorOperator::DoesNotExist;
  return fail(selectorError(excerpt(op) + " is not a valid label selector operator"));
}

Result<std::vector<std::string>> parseValues(const Json& expression) {
  std::vector<std::string> values;
  auto it = expression.find("values");
  if (it == expression.end() || it->is_null()) return values;
  if (!it->is_array()) return fail(selectorError("values must be an array"));
  for (const Json& v : *it) {
    if (!v.is_string() || !isValidLabelValue(v.get<std::string>())) {
      return fail(selectorError("invalid label value " + describe(v)));
    }
    values.push_back(v.get<std::string>());
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

Result<SelectorRequirement> parseExpression(const Json& expression) {
  if (!expression.is_object())
    return fail(selectorError("matchExpressions entries must be objects"));
  auto keyField = expression.find("key");
  if (keyField == expression.end() || !keyField->is_string()) {
    return fail(selectorError("matchExpressions entries need a string key"));
  }
  const std::string& key = keyField->get_ref<const std::string&>();
  if (!isValidLabelKey(key)) return fail(selectorError("invalid label key " + excerpt(key)));
  auto opField = expression.find("operator");
  if (opField == expression.end() || !opField->is_string()) {
    return fail(selectorError("matchExpressions entries need a string operator (key " +
                              excerpt(key) + ")"));
  }
  auto op = parseOperator(opField->get_ref<const std::string&>());
  if (!op) return fail(op.error());
  auto values = parseValues(expression);
  if (!values) return fail(values.error());
  bool needsValues = *op == SelectorOperator::In || *op == SelectorOperator::NotIn;
  if (needsValues && values->empty()) {
    return fail(
        selectorError("values must be non-empty for In and NotIn (key " + excerpt(key) + ")"));
  }
  if (!needsValues && !values->empty()) {
    return fail(selectorError("values must be empty for Exists and DoesNotExist (key " +
                              excerpt(key) + ")"));
  }
  return SelectorRequirement{key, *op, std::move(*values)};
}

Result<std::vector<SelectorRequirement>> parseMatchLabels(const Json& matchLabels) {
  std::vector<SelectorRequirement> out;
  if (matchLabels.is_null()) return out;
  if (!matchLabels.is_object()) return fail(selectorError("matchLabels must be an object"));
  for (const auto& [key, value] : matchLabels.items()) {
    if (!isValidLabelKey(key)) return fail(selectorError("invalid label key " + excerpt(key)));
    if (!value.is_string() || !isValidLabelValue(value.get<std::string>())) {
      return fail(selectorError("invalid label value " + describe(value) + " for " + excerpt(key)));
    }
    out.push_back({key, SelectorOperator::Equals, {value.get<std::string>()}});
  }
  return out;
}

std::string joinValues(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
  return out;
}

bool requirementMatches(const SelectorRequirement& r, const Json& labels) {
  auto it = labels.is_object() ? labels.find(r.key) : labels.end();
  bool present = labels.is_object() && it != labels.end() && it->is_string();
  auto contains = [&] {
    return present && std::binary_search(r.values.begin(), r.values.end(), it->get<std::string>());
  };
  switch (r.op) {
    case SelectorOperator::Equals:
    case SelectorOperator::In:
      return contains();
    case SelectorOperator::NotIn:
      return !contains();
    case SelectorOperator::Exists:
      return present;
    case SelectorOperator::DoesNotExist:
      return !present;
  }
  return false;
}

}  // namespace

bool isValidLabelKey(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return isQualifiedName(key);
  std::string prefix = key.substr(0, slash);
  return isDnsSubdomain(prefix) && isQualifiedName(key.substr(slash + 1));
}

bool isValidLabelValue(const std::string& value) { return value.empty() || isQualifiedName(value); }

Result<LabelSelector> LabelSelector::fromJson(const Json& selector) {
  if (!selector.is_object()) return fail(selectorError("a label selector must be a JSON object"));
  auto labels = parseMatchLabels(selector.value("matchLabels", Json()));
  if (!labels) return fail(labels.error());
  LabelSelector result;
  result.requirements_ = std::move(*labels);
  Json expressions = selector.value("matchExpressions", Json());
  if (!expressions.is_null() && !expressions.is_array()) {
    return fail(selectorError("matchExpressions must be an array"));
  }
  for (const Json& expression : expressions.is_array() ? expressions : Json::array()) {
    auto requirement = parseExpression(expression);
    if (!requirement) return fail(requirement.error());
    result.requirements_.push_back(std::move(*requirement));
  }
  std::stable_sort(result.requirements_.begin(), result.requirements_.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
  return result;
}

bool LabelSelector::matches(const Json& labels) const {
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const SelectorRequirement& r) { return requirementMatches(r, labels); });
}

std::string LabelSelector::toQueryString() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ',';
    switch (r.op) {
      case SelectorOperator::Equals:
        out += r.key + "=" + r.values.front();
        break;
      case SelectorOperator::In:
        out += r.key + " in (" + joinValues(r.values) + ")";
        break;
      case SelectorOperator::NotIn:
        out += r.key + " notin (" + joinValues(r.values) + ")";
        break;
      case SelectorOperator::Exists:
        out += r.key;
        break;
      case SelectorOperator::DoesNotExist:
        out += "!" + r.key;
        break;
    }
  }
  return out;
}

}  // namespace tro::kube
