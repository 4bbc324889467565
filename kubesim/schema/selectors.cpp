#include "kubesim/schema/selectors.h"

#include <algorithm>
#include <optional>
#include <regex>

namespace kubesim::schema {

namespace {

using Op = LabelRequirement::Op;

const char* kNameMessage =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char* kValueMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value', "
    " or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

bool matchesLabelName(const std::string& s) {
  static const std::regex re("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  return std::regex_match(s, re);
}

bool isDnsSubdomain(const std::string& s) {
  static const std::regex re("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return !s.empty() && s.size() <= 253 && std::regex_match(s, re);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

// validation.IsQualifiedName's messages, joined as the real parser joins them.
std::string keyErrors(const std::string& key) {
  std::vector<std::string> errs;
  const auto slash = key.find('/');
  if (slash != std::string::npos && key.find('/', slash + 1) != std::string::npos) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
           "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
           "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
           "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  const std::string name = slash == std::string::npos ? key : key.substr(slash + 1);
  if (slash != std::string::npos && !isDnsSubdomain(key.substr(0, slash))) {
    errs.push_back(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  if (name.empty()) {
    errs.push_back("name part must be non-empty");
  } else {
    if (name.size() > 63) errs.push_back("name part must be no more than 63 characters");
    if (!matchesLabelName(name)) errs.push_back(kNameMessage);
  }
  return join(errs);
}

std::string valueErrors(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back("must be no more than 63 characters");
  if (!v.empty() && !matchesLabelName(v)) errs.push_back(kValueMessage);
  return join(errs);
}

ApiError parseError(const std::string& detail) { return badRequest(detail); }
ApiError requirementError(const std::string& detail) {
  return badRequest("unable to parse requirement: " + detail);
}

// Label selector tokens, as in k8s.io/apimachinery/pkg/labels/selector.go's lexer.
enum class Tok { End, Ident, Comma, Open, Close, Not, Eq, DoubleEq, NotEq, In, NotIn };
struct Token {
  Tok tok;
  std::string text;
};

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto special = [](char c) {
    return c == ',' || c == '(' || c == ')' || c == '=' || c == '!' || c == ' ' || c == '\t' ||
           c == '\r' || c == '\n';
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == ',') {
      out.push_back({Tok::Comma, ","}), ++i;
    } else if (c == '(') {
      out.push_back({Tok::Open, "("}), ++i;
    } else if (c == ')') {
      out.push_back({Tok::Close, ")"}), ++i;
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Tok::NotEq, "!="}), i += 2;
    } else if (c == '!') {
      out.push_back({Tok::Not, "!"}), ++i;
    } else if (c == '=' && i + 1 < s.size() && s[i + 1] == '=') {
      out.push_back({Tok::DoubleEq, "=="}), i += 2;
    } else if (c == '=') {
      out.push_back({Tok::Eq, "="}), ++i;
    } else {
      size_t j = i;
      while (j < s.size() && !special(s[j])) ++j;
      std::string word(s.substr(i, j - i));
      Tok t = word == "in" ? Tok::In : word == "notin" ? Tok::NotIn : Tok::Ident;
      out.push_back({t, std::move(word)});
      i = j;
    }
  }
  out.push_back({Tok::End, ""});
  return out;
}

// Mirrors the real parser (k8s.io/apimachinery/pkg/labels/selector.go), messages included.
class LabelParser {
 public:
  explicit LabelParser(std::string_view s) : toks_(lex(s)) {}

  Result<std::vector<LabelRequirement>> parse() {
    std::vector<LabelRequirement> out;
    while (true) {
      const Token& t = peek();
      if (t.tok == Tok::End) return out;
      if (t.tok != Tok::Ident && t.tok != Tok::In && t.tok != Tok::NotIn && t.tok != Tok::Not) {
        return fail(
            parseError("found '" + t.text + "', expected: !, identifier, or 'end of string'"));
      }
      auto r = requirement();
      if (!r) return fail(std::move(r).error());
      out.push_back(std::move(*r));
      const Token& sep = next();
      if (sep.tok == Tok::End) return out;
      if (sep.tok != Tok::Comma) {
        return fail(parseError("found '" + sep.text + "', expected: ',' or 'end of string'"));
      }
      const Token& after = peek();
      if (after.tok != Tok::Ident && after.tok != Tok::In && after.tok != Tok::NotIn &&
          after.tok != Tok::Not) {
        return fail(parseError("found '" + after.text + "', expected: identifier after ','"));
      }
    }
  }

 private:
  static bool isValue(Tok t) { return t == Tok::Ident || t == Tok::In || t == Tok::NotIn; }
  const Token& peek() const { return toks_[pos_]; }
  const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }

  Result<LabelRequirement> requirement() {
    LabelRequirement r;
    if (peek().tok == Tok::Not) {
      next();
      r.op = Op::DoesNotExist;
    }
    const Token& k = next();
    if (!isValue(k.tok)) {
      return fail(requirementError("found '" + k.text + "', expected: identifier"));
    }
    r.key = k.text;
    if (auto e = keyErrors(r.key); !e.empty()) {
      return fail(requirementError("<nil>: Invalid value: \"" + r.key + "\": " + e));
    }
    if (r.op == Op::DoesNotExist) return r;
    const Token& op = peek();
    if (op.tok == Tok::Comma || op.tok == Tok::End) {
      r.op = Op::Exists;
      return r;
    }
    next();
    switch (op.tok) {
      case Tok::Eq:
      case Tok::DoubleEq:
        r.op = Op::Equals;
        return singleValue(std::move(r));
      case Tok::NotEq:
        r.op = Op::NotEquals;
        return singleValue(std::move(r));
      case Tok::In:
        r.op = Op::In;
        return valueSet(std::move(r));
      case Tok::NotIn:
        r.op = Op::NotIn;
        return valueSet(std::move(r));
      default:
        return fail(
            requirementError("found '" + op.text + "', expected: in, notin, =, ==, !=, gt, lt"));
    }
  }

  Result<LabelRequirement> checkValues(LabelRequirement r) {
    for (size_t i = 0; i < r.values.size(); ++i) {
      if (auto e = valueErrors(r.values[i]); !e.empty()) {
        return fail(requirementError("values[" + std::to_string(i) + "][" + r.key +
                                     "]: Invalid value: \"" + r.values[i] + "\": " + e));
      }
    }
    return r;
  }

  Result<LabelRequirement> singleValue(LabelRequirement r) {
    const Token& t = peek();
    if (isValue(t.tok)) {
      r.values.push_back(next().text);
    } else if (t.tok == Tok::Comma || t.tok == Tok::End) {
      r.values.push_back("");
    } else {
      return fail(requirementError("found '" + t.text + "', expected: identifier"));
    }
    return checkValues(std::move(r));
  }

  // "(a,b)", "()" (the empty value), "(a,)" and "(,a)" (which add the empty value) as the
  // real parser reads them; values form a sorted set.
  Result<LabelRequirement> valueSet(LabelRequirement r) {
    if (const Token& open = next(); open.tok != Tok::Open) {
      return fail(requirementError("found '" + open.text + "' expected: '('"));
    }
    std::vector<std::string> values;
    if (peek().tok == Tok::Close) {
      next();
      values.push_back("");
    } else if (!isValue(peek().tok) && peek().tok != Tok::Comma) {
      return fail(
          requirementError("found '" + peek().text + "', expected: ',', ')' or identifier"));
    } else {
      bool expectValue = true;
      while (true) {
        const Token& t = next();
        if (isValue(t.tok) && expectValue) {
          values.push_back(t.text);
          expectValue = false;
        } else if (t.tok == Tok::Comma) {
          if (expectValue) values.push_back("");
          expectValue = true;
        } else if (t.tok == Tok::Close) {
          if (expectValue) values.push_back("");
          break;
        } else if (!expectValue) {
          return fail(requirementError("found '" + t.text + "', expected: ',' or ')'"));
        } else {
          return fail(requirementError("found '" + t.text + "', expected: ',', or identifier"));
        }
      }
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    r.values = std::move(values);
    return checkValues(std::move(r));
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

std::string labelValue(const Json& labels, const std::string& key, bool& present) {
  present = false;
  if (!labels.is_object()) return {};
  auto it = labels.find(key);
  if (it == labels.end() || !it->is_string()) return {};
  present = true;
  return it->get<std::string>();
}

bool contains(const std::vector<std::string>& vs, const std::string& v) {
  return std::find(vs.begin(), vs.end(), v) != vs.end();
}

// Fields a kind accepts beyond metadata.name/metadata.namespace, and whether the kind has its
// own conversion function (which changes the error message).
struct FieldSupport {
  std::vector<std::string> fields;
  bool customConversion = false;
};

FieldSupport fieldSupport(const KindInfo& kind) {
  FieldSupport s{{"metadata.name", "metadata.namespace"}, false};
  if (kind.isCustom) return s;
  if (kind.group.empty() && kind.kind == "Event") {
    s.fields.insert(
        s.fields.end(),
        {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
         "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
         "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"});
    s.customConversion = true;
  } else if (kind.group.empty() && kind.kind == "Pod") {
    s.fields.insert(s.fields.end(), {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                                     "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                                     "status.podIP", "status.nominatedNodeName"});
    s.customConversion = true;
  } else if (kind.group.empty() && kind.kind == "Namespace") {
    s.fields = {"metadata.name", "status.phase"};
    s.customConversion = true;
  } else if (kind.group.empty() && kind.kind == "Node") {
    s.fields = {"metadata.name", "spec.unschedulable"};
    s.customConversion = true;
  } else if (kind.group == "apps" && kind.kind == "ReplicaSet") {
    s.fields.push_back("status.replicas");
    s.customConversion = true;
  }
  return s;
}

std::string fieldValue(const Json& obj, const std::string& path) {
  if (path == "source") return fieldValue(obj, "source.component");
  if (path == "spec.unschedulable") {  // a Go bool: "false" when absent
    const auto spec = obj.find("spec");
    if (spec == obj.end() || !spec->is_object()) return "false";
    const auto v = spec->find("unschedulable");
    return v != spec->end() && *v == true ? "true" : "false";
  }
  const Json* cur = &obj;
  size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return {};
    auto it = cur->find(part);
    if (it == cur->end()) return {};
    cur = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_null()) return {};
  return cur->dump();
}

// Splits on unescaped `sep`; keeps escapes for the caller.
std::vector<std::string> splitUnescaped(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[i];
      out.back() += s[++i];
    } else if (s[i] == sep) {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// Position of the first unescaped occurrence of `op` in `term`.
size_t findOp(const std::string& term, const std::string& op) {
  for (size_t i = 0; i + op.size() <= term.size(); ++i) {
    if (term[i] == '\\') {
      ++i;
      continue;
    }
    if (term.compare(i, op.size(), op) == 0) return i;
  }
  return std::string::npos;
}

}  // namespace

Result<LabelSelector> LabelSelector::parse(std::string_view text) {
  auto reqs = LabelParser(text).parse();
  if (!reqs) return fail(std::move(reqs).error());
  LabelSelector sel;
  sel.requirements_ = std::move(*reqs);
  return sel;
}

Result<LabelSelector> LabelSelector::fromJson(const Json& selector) {
  LabelSelector sel;
  if (selector.is_null()) return sel;
  if (!selector.is_object()) return fail(badRequest("invalid label selector: not an object"));
  if (auto ml = selector.find("matchLabels"); ml != selector.end() && ml->is_object()) {
    for (const auto& [k, v] : ml->items()) {
      if (!v.is_string()) return fail(badRequest("invalid label selector: matchLabels value"));
      sel.requirements_.push_back({k, Op::Equals, {v.get<std::string>()}});
    }
  }
  if (auto me = selector.find("matchExpressions"); me != selector.end() && me->is_array()) {
    for (const auto& e : *me) {
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string()) {
        return fail(badRequest("invalid label selector: matchExpressions entry"));
      }
      LabelRequirement r;
      r.key = e["key"].get<std::string>();
      const std::string op = e.contains("operator") && e["operator"].is_string()
                                 ? e["operator"].get<std::string>()
                                 : std::string();
      if (op == "In")
        r.op = Op::In;
      else if (op == "NotIn")
        r.op = Op::NotIn;
      else if (op == "Exists")
        r.op = Op::Exists;
      else if (op == "DoesNotExist")
        r.op = Op::DoesNotExist;
      else
        return fail(badRequest("\"" + op + "\" is not a valid label selector operator"));
      if (auto vs = e.find("values"); vs != e.end() && vs->is_array()) {
        for (const auto& v : *vs) {
          if (v.is_string()) r.values.push_back(v.get<std::string>());
        }
      }
      std::sort(r.values.begin(), r.values.end());
      sel.requirements_.push_back(std::move(r));
    }
  }
  std::stable_sort(
      sel.requirements_.begin(), sel.requirements_.end(),
      [](const LabelRequirement& a, const LabelRequirement& b) { return a.key < b.key; });
  return sel;
}

bool LabelSelector::matches(const Json& labels) const {
  for (const auto& r : requirements_) {
    bool present = false;
    const std::string v = labelValue(labels, r.key, present);
    bool ok = false;
    switch (r.op) {
      case Op::Equals:
        ok = present && v == r.values.front();
        break;
      case Op::NotEquals:
        ok = !present || v != r.values.front();
        break;
      case Op::In:
        ok = present && contains(r.values, v);
        break;
      case Op::NotIn:
        ok = !present || !contains(r.values, v);
        break;
      case Op::Exists:
        ok = present;
        break;
      case Op::DoesNotExist:
        ok = !present;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

std::string LabelSelector::toString() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ",";
    std::string set;
    for (const auto& v : r.values) set += (set.empty() ? "" : ",") + v;
    switch (r.op) {
      case Op::Equals:
        out += r.key + "=" + r.values.front();
        break;
      case Op::NotEquals:
        out += r.key + "!=" + r.values.front();
        break;
      case Op::In:
        out += r.key + " in (" + set + ")";
        break;
      case Op::NotIn:
        out += r.key + " notin (" + set + ")";
        break;
      case Op::Exists:
        out += r.key;
        break;
      case Op::DoesNotExist:
        out += "!" + r.key;
        break;
    }
  }
  return out;
}

Result<FieldSelector> FieldSelector::parse(std::string_view text, const KindInfo& kind) {
  FieldSelector sel;
  if (text.empty()) return sel;
  const FieldSupport support = fieldSupport(kind);
  for (const auto& term : splitUnescaped(text, ',')) {
    FieldRequirement r;
    size_t pos;
    size_t opLen;
    if ((pos = findOp(term, "!=")) != std::string::npos) {
      r.equals = false, opLen = 2;
    } else if ((pos = findOp(term, "==")) != std::string::npos) {
      opLen = 2;
    } else if ((pos = findOp(term, "=")) != std::string::npos) {
      opLen = 1;
    } else {
      return fail(badRequest("invalid selector: '" + std::string(text) + "'; can't understand '" +
                             term + "'"));
    }
    r.field = unescape(term.substr(0, pos));
    r.value = unescape(term.substr(pos + opLen));
    if (!contains(support.fields, r.field)) {
      if (support.customConversion) {
        return fail(badRequest("field label not supported: " + r.field));
      }
      return fail(badRequest("\"" + r.field +
                             "\" is not a known field selector: only \"metadata.name\", "
                             "\"metadata.namespace\""));
    }
    sel.requirements_.push_back(std::move(r));
  }
  return sel;
}

bool FieldSelector::matches(const Json& obj) const {
  for (const auto& r : requirements_) {
    const bool eq = fieldValue(obj, r.field) == r.value;
    if (eq != r.equals) return false;
  }
  return true;
}

}  // namespace kubesim::schema
