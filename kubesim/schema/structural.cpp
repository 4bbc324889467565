#include "kubesim/schema/structural.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "kubesim/schema/go_format.h"

namespace kubesim::schema {

namespace {

using detail::goFloat;
using detail::goQuote;
using detail::goValue;
using detail::jsonTypeName;

std::string child(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

std::string index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool flag(const Json& schema, const char* name) {
  auto it = schema.find(name);
  return it != schema.end() && it->is_boolean() && it->get<bool>();
}

const Json* member(const Json& schema, const char* name) {
  if (!schema.is_object()) return nullptr;
  auto it = schema.find(name);
  return it == schema.end() ? nullptr : &*it;
}

// The schema for map values (additionalProperties as a schema), or null.
const Json* mapValueSchema(const Json& schema) {
  const Json* ap = member(schema, "additionalProperties");
  return ap && ap->is_object() ? ap : nullptr;
}

bool isRootMetaField(const std::string& path, const std::string& key, const Json& schema) {
  if (!path.empty()) return false;
  if (key != "apiVersion" && key != "kind" && key != "metadata") return false;
  const Json* props = member(schema, "properties");
  return !props || !props->contains(key);
}

// A length/count bound: a non-negative integer (schemas come from clients).
bool isCount(const Json* m) { return m && m->is_number_integer() && m->get<long long>() >= 0; }

Cause invalid(const std::string& path, const std::string& value, const std::string& detail) {
  return Cause{"FieldValueInvalid", "Invalid value: " + value + ": " + detail, path};
}

std::string in(const std::string& path) { return (path.empty() ? "." : path) + " in body"; }

class Validator {
 public:
  std::vector<Cause> causes;

  void node(const Json& v, const Json& s, const std::string& path) {
    if (!s.is_object()) return;
    if (v.is_null()) {
      if (flag(s, "nullable") || !s.contains("type")) return;
    }
    if (!typeOk(v, s, path)) return;
    // go-openapi's validator order: type, string, number, array, enum, object.
    if (v.is_string()) stringChecks(v.get<std::string>(), s, path);
    if (v.is_number()) numberChecks(v.get<double>(), s, path);
    if (v.is_array()) arrayChecks(v, s, path);
    enumCheck(v, s, path);
    if (v.is_object()) objectChecks(v, s, path);
  }

 private:
  bool typeOk(const Json& v, const Json& s, const std::string& path) {
    const std::string actual = jsonTypeName(v);
    if (flag(s, "x-kubernetes-int-or-string")) {
      if (actual == "integer" || actual == "string") return true;
      // The real server reports the int-or-string failure against both alternatives.
      causes.push_back(invalid(path, goQuote(actual),
                               in(path) + " must be of type integer,string: " + goQuote(actual)));
      return false;
    }
    const Json* t = member(s, "type");
    if (!t || !t->is_string()) return true;
    const std::string want = t->get<std::string>();
    if (want == actual || (want == "number" && actual == "integer")) return true;
    causes.push_back(invalid(path, goQuote(actual),
                             in(path) + " must be of type " + want + ": " + goQuote(actual)));
    return false;
  }

  void enumCheck(const Json& v, const Json& s, const std::string& path) {
    const Json* e = member(s, "enum");
    if (!e || !e->is_array() || e->empty()) return;
    for (const auto& allowed : *e) {
      if (allowed == v) return;
    }
    std::string supported;
    for (const auto& allowed : *e) {
      if (!supported.empty()) supported += ", ";
      supported += goQuote(allowed.is_string() ? allowed.get<std::string>() : allowed.dump());
    }
    causes.push_back(Cause{"FieldValueNotSupported",
                           "Unsupported value: " + goValue(v) + ": supported values: " + supported,
                           path});
  }

  void stringChecks(const std::string& str, const Json& s, const std::string& path) {
    size_t runes = 0;
    for (unsigned char c : str) runes += (c & 0xC0) != 0x80;
    if (const Json* m = member(s, "maxLength"); isCount(m) && runes > m->get<size_t>()) {
      causes.push_back(
          invalid(path, m->dump(), in(path) + " should be at most " + m->dump() + " chars long"));
    }
    if (const Json* m = member(s, "minLength"); isCount(m) && runes < m->get<size_t>()) {
      causes.push_back(
          invalid(path, m->dump(), in(path) + " should be at least " + m->dump() + " chars long"));
    }
    if (const Json* p = member(s, "pattern"); p && p->is_string()) {
      bool matched = true;
      try {
        matched = std::regex_search(str, std::regex(p->get<std::string>(), std::regex::ECMAScript));
      } catch (const std::regex_error&) {
        matched = true;  // an unsupported pattern must not reject valid input
      }
      if (!matched) {
        causes.push_back(invalid(path, goQuote(str),
                                 in(path) + " should match '" + p->get<std::string>() + "'"));
      }
    }
  }

  void numberChecks(double d, const Json& s, const std::string& path) {
    if (const Json* m = member(s, "minimum"); m && m->is_number()) {
      const double min = m->get<double>();
      const bool excl = flag(s, "exclusiveMinimum");
      if (excl ? d <= min : d < min) {
        causes.push_back(invalid(
            path, goFloat(min),
            in(path) + " should be greater than " + (excl ? "" : "or equal to ") + goFloat(min)));
      }
    }
    if (const Json* m = member(s, "maximum"); m && m->is_number()) {
      const double max = m->get<double>();
      const bool excl = flag(s, "exclusiveMaximum");
      if (excl ? d >= max : d > max) {
        causes.push_back(invalid(
            path, goFloat(max),
            in(path) + " should be less than " + (excl ? "" : "or equal to ") + goFloat(max)));
      }
    }
    if (const Json* m = member(s, "multipleOf"); m && m->is_number() && m->get<double>() > 0) {
      const double q = d / m->get<double>();
      if (std::fabs(q - std::round(q)) > 1e-9) {
        causes.push_back(
            invalid(path, goFloat(m->get<double>()),
                    in(path) + " should be a multiple of " + goFloat(m->get<double>())));
      }
    }
  }

  void arrayChecks(const Json& v, const Json& s, const std::string& path) {
    if (const Json* m = member(s, "maxItems"); isCount(m) && v.size() > m->get<size_t>()) {
      causes.push_back(
          invalid(path, m->dump(), in(path) + " should have at most " + m->dump() + " items"));
    }
    if (const Json* m = member(s, "minItems"); isCount(m) && v.size() < m->get<size_t>()) {
      causes.push_back(
          invalid(path, m->dump(), in(path) + " should have at least " + m->dump() + " items"));
    }
    if (const Json* items = member(s, "items"); items && items->is_object()) {
      for (size_t i = 0; i < v.size(); ++i) node(v[i], *items, index(path, i));
    }
    // x-kubernetes-list-type: set (apiextensions' validateListSetsAndMaps): each item once.
    if (const Json* t = member(s, "x-kubernetes-list-type"); t && *t == "set") {
      std::set<std::string> seen;
      for (size_t i = 0; i < v.size(); ++i) {
        if (!seen.insert(v[i].dump()).second) {
          causes.push_back(
              Cause{"FieldValueDuplicate", "Duplicate value: " + goValue(v[i]), index(path, i)});
        }
      }
    }
  }

  void objectChecks(const Json& v, const Json& s, const std::string& path) {
    if (const Json* m = member(s, "maxProperties"); isCount(m) && v.size() > m->get<size_t>()) {
      causes.push_back(
          invalid(path, m->dump(), in(path) + " should have at most " + m->dump() + " properties"));
    }
    if (const Json* m = member(s, "minProperties"); isCount(m) && v.size() < m->get<size_t>()) {
      causes.push_back(invalid(path, m->dump(),
                               in(path) + " should have at least " + m->dump() + " properties"));
    }
    if (const Json* req = member(s, "required"); req && req->is_array()) {
      for (const auto& r : *req) {
        if (r.is_string() && !v.contains(r.get<std::string>())) {
          causes.push_back(
              Cause{"FieldValueRequired", "Required value", child(path, r.get<std::string>())});
        }
      }
    }
    const Json* props = member(s, "properties");
    const Json* mapValues = mapValueSchema(s);
    for (const auto& [key, value] : v.items()) {
      if (props && props->contains(key)) {
        node(value, (*props)[key], child(path, key));
      } else if (mapValues) {
        node(value, *mapValues, child(path, key));
      }
    }
  }
};

void defaults(Json& v, const Json& s) {
  if (!s.is_object()) return;
  if (v.is_object()) {
    if (const Json* props = member(s, "properties"); props && props->is_object()) {
      for (const auto& [key, ps] : props->items()) {
        const Json* d = member(ps, "default");
        if (!d) continue;
        auto it = v.find(key);
        if (it == v.end() || (it->is_null() && !flag(ps, "nullable"))) v[key] = *d;
      }
      for (auto& [key, value] : v.items()) {
        if (props->contains(key)) defaults(value, (*props)[key]);
      }
    } else if (const Json* mv = mapValueSchema(s)) {
      for (auto& [key, value] : v.items()) defaults(value, *mv);
    }
  } else if (v.is_array()) {
    if (const Json* items = member(s, "items"); items && items->is_object()) {
      for (auto& e : v) defaults(e, *items);
    }
  }
}

// Calls onUnknown(path, parent, key) for every undeclared field; returns nothing.
template <typename F>
void walkUnknown(Json& v, const Json& s, const std::string& path, F&& onUnknown) {
  if (!s.is_object() || s.empty()) return;  // no schema: anything goes
  if (v.is_array()) {
    if (const Json* items = member(s, "items"); items && items->is_object()) {
      for (size_t i = 0; i < v.size(); ++i) walkUnknown(v[i], *items, index(path, i), onUnknown);
    }
    return;
  }
  if (!v.is_object()) return;
  const bool preserve = flag(s, "x-kubernetes-preserve-unknown-fields");
  const Json* props = member(s, "properties");
  const Json* ap = member(s, "additionalProperties");
  const bool objectTyped = props || ap || (s.contains("type") && s["type"] == "object");
  if (!objectTyped) return;
  std::vector<std::string> unknown;
  for (auto& [key, value] : v.items()) {
    if (props && props->contains(key)) {
      walkUnknown(value, (*props)[key], child(path, key), onUnknown);
    } else if (ap && ap->is_object()) {
      walkUnknown(value, *ap, child(path, key), onUnknown);
    } else if (!preserve && !(ap && ap->is_boolean() && ap->get<bool>()) &&
               !isRootMetaField(path, key, s)) {
      unknown.push_back(key);
    }
  }
  for (const auto& key : unknown) onUnknown(path, v, key);
}

}  // namespace

std::vector<Cause> validate(const Json& obj, const Json& schema) {
  Validator v;
  v.node(obj, schema, "");
  return std::move(v.causes);
}

void applyDefaults(Json& obj, const Json& schema) { defaults(obj, schema); }

std::vector<std::string> unknownFields(const Json& obj, const Json& schema) {
  std::vector<std::string> out;
  Json copy = obj;  // the walker is shared with prune, which needs a mutable value
  walkUnknown(copy, schema, "", [&](const std::string& path, Json&, const std::string& key) {
    out.push_back(child(path, key));
  });
  std::sort(out.begin(), out.end());
  return out;
}

// Null values of fields that are not nullable are dropped (before defaulting), as the real
// server does; a default then fills them.
void dropNulls(Json& v, const Json& s) {
  if (!s.is_object()) return;
  if (v.is_object()) {
    const Json* props = member(s, "properties");
    const Json* mapValues = mapValueSchema(s);
    std::vector<std::string> drop;
    for (auto& [key, value] : v.items()) {
      const Json* sub = props && props->contains(key) ? &(*props)[key] : mapValues;
      if (!sub) continue;
      if (value.is_null() && sub->contains("type") && !flag(*sub, "nullable")) {
        drop.push_back(key);
      } else {
        dropNulls(value, *sub);
      }
    }
    for (const auto& key : drop) v.erase(key);
  } else if (v.is_array()) {
    if (const Json* items = member(s, "items"); items && items->is_object()) {
      for (auto& e : v) dropNulls(e, *items);
    }
  }
}

void prune(Json& obj, const Json& schema) {
  walkUnknown(obj, schema, "",
              [](const std::string&, Json& parent, const std::string& key) { parent.erase(key); });
  dropNulls(obj, schema);
}

ApiError invalidError(const std::string& kind, const std::string& group, const std::string& name,
                      std::vector<Cause> causes) {
  const std::string qualified = group.empty() ? kind : kind + "." + group;
  std::string list;
  for (const auto& c : causes) {
    if (!list.empty()) list += ", ";
    list += c.field.empty() ? c.message : c.field + ": " + c.message;
  }
  if (causes.size() != 1) list = "[" + list + "]";
  ApiError e;
  e.code = 422;
  e.reason = "Invalid";
  e.message = qualified + " " + goQuote(name) + " is invalid: " + list;
  e.detailsName = name;
  e.detailsGroup = group;
  e.detailsKind = kind;
  e.causes = std::move(causes);
  return e;
}

ApiError strictDecodingError(const std::vector<std::string>& unknownPaths) {
  std::string msg = "strict decoding error: ";
  for (size_t i = 0; i < unknownPaths.size(); ++i) {
    if (i) msg += ", ";
    msg += "unknown field " + goQuote(unknownPaths[i]);
  }
  return badRequest(msg);
}

}  // namespace kubesim::schema
