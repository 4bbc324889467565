#include "kubesim/schema/crd.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "kubesim/common/json_field.h"
#include "kubesim/schema/builtin.h"
#include "kubesim/schema/go_format.h"
#include "kubesim/schema/structural.h"

namespace kubesim::schema {

namespace {

using detail::goQuote;

const char* kDns1035Message =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

// True only for a boolean true: client input of the wrong type must not throw.
bool isTrue(const Json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

const Json& field(const Json& obj, const char* key) {
  static const Json kNull;  // immutable sentinel, not mutable global state
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::vector<std::string> strings(const Json& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& e : v) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

bool isDns1035(const std::string& s) {
  static const std::regex re("[a-z]([-a-z0-9]*[a-z0-9])?");
  return s.size() <= 63 && std::regex_match(s, re);
}

Cause required(std::string path, std::string detail = {}) {
  return Cause{"FieldValueRequired",
               detail.empty() ? "Required value" : "Required value: " + detail, std::move(path)};
}

Cause invalid(std::string path, const std::string& value, const std::string& detail) {
  return Cause{"FieldValueInvalid", "Invalid value: " + goQuote(value) + ": " + detail,
               std::move(path)};
}

void checkNames(const Json& names, std::vector<Cause>& causes) {
  const std::string plural = stringField(names, "plural");
  if (plural.empty()) {
    causes.push_back(required("spec.names.plural"));
  } else if (!isDns1035(plural)) {
    causes.push_back(invalid("spec.names.plural", plural, kDns1035Message));
  }
  const std::string singular = stringField(names, "singular");
  if (!singular.empty() && !isDns1035(singular)) {
    causes.push_back(invalid("spec.names.singular", singular, kDns1035Message));
  }
  const auto shortNames = strings(field(names, "shortNames"));
  for (size_t i = 0; i < shortNames.size(); ++i) {
    if (!isDns1035(shortNames[i])) {
      causes.push_back(invalid("spec.names.shortNames[" + std::to_string(i) + "]", shortNames[i],
                               kDns1035Message));
    }
  }
  const std::string kind = stringField(names, "kind");
  if (kind.empty()) causes.push_back(required("spec.names.kind"));
  if (!kind.empty() && kind == stringField(names, "listKind")) {
    causes.push_back(invalid("spec.names.listKind", kind, "kind and listKind cannot be the same"));
  }
}

// Structural-schema basics: every specified field has a type (unless int-or-string or
// preserve-unknown-fields), and the root is an object.
void checkStructural(const Json& s, const std::string& path, bool root,
                     std::vector<Cause>& causes) {
  if (!s.is_object()) return;
  const bool typed = s.contains("type") || (isTrue(s, "x-kubernetes-int-or-string")) ||
                     isTrue(s, "x-kubernetes-preserve-unknown-fields");
  if (root) {
    if (!s.contains("type")) {
      causes.push_back(required(path + ".type", "must not be empty at the root"));
    } else if (s["type"] != "object") {
      causes.push_back(invalid(
          path + ".type", s["type"].is_string() ? s["type"].get<std::string>() : s["type"].dump(),
          "must be object at the root"));
    }
  } else if (!typed) {
    causes.push_back(required(path + ".type", "must not be empty for specified object fields"));
  }
  if (auto props = s.find("properties"); props != s.end() && props->is_object()) {
    for (const auto& [name, sub] : props->items()) {
      checkStructural(sub, path + ".properties[" + name + "]", false, causes);
    }
  }
  if (auto items = s.find("items"); items != s.end() && items->is_object()) {
    checkStructural(*items, path + ".items", false, causes);
  }
  if (auto ap = s.find("additionalProperties"); ap != s.end() && ap->is_object()) {
    checkStructural(*ap, path + ".additionalProperties", false, causes);
  }
}

void checkVersions(const Json& versions, std::vector<Cause>& causes) {
  if (!versions.is_array() || versions.empty()) {
    causes.push_back(
        required("spec.versions", "must have exactly one version marked as storage version"));
    return;
  }
  int storage = 0;
  int served = 0;
  std::vector<std::string> seen;
  for (size_t i = 0; i < versions.size(); ++i) {
    const Json& v = versions[i];
    const std::string path = "spec.versions[" + std::to_string(i) + "]";
    const std::string name = stringField(v, "name");
    if (name.empty()) {
      causes.push_back(required(path + ".name"));
    } else if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      causes.push_back(
          Cause{"FieldValueDuplicate", "Duplicate value: " + goQuote(name), path + ".name"});
    } else if (!isDns1035(name)) {
      causes.push_back(invalid(path + ".name", name, kDns1035Message));
    }
    seen.push_back(name);
    if (isTrue(v, "storage")) ++storage;
    if (isTrue(v, "served")) ++served;
    const Json& schema = field(field(v, "schema"), "openAPIV3Schema");
    if (!schema.is_object()) {
      causes.push_back(required(path + ".schema.openAPIV3Schema", "schemas are required"));
    } else {
      checkStructural(schema, path + ".schema.openAPIV3Schema", true, causes);
    }
  }
  if (storage != 1) {
    causes.push_back(Cause{"FieldValueInvalid",
                           "Invalid value: " + std::to_string(storage) +
                               ": must have exactly one version marked as storage version",
                           "spec.versions"});
  }
  if (served == 0) {
    causes.push_back(Cause{"FieldValueInvalid",
                           "Invalid value: 0: must have at least one version marked as served",
                           "spec.versions"});
  }
}

// "v1beta2" -> {major 1, stage 1 (alpha 0, beta 1, GA 2), minor 2}; nullopt for other names.
struct KubeVersion {
  int major;
  int stage;
  int minor;
};
std::optional<KubeVersion> parseKubeVersion(const std::string& v) {
  static const std::regex re("v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?");
  std::smatch m;
  if (!std::regex_match(v, m, re)) return std::nullopt;
  KubeVersion k{std::stoi(m[1]), 2, 0};
  if (m[2].matched) {
    k.stage = m[2] == "alpha" ? 0 : 1;
    k.minor = std::stoi(m[3]);
  }
  return k;
}

Json wrapSchema(const Json& openAPIV3Schema) {
  Json s = openAPIV3Schema.is_object() ? openAPIV3Schema : Json::object();
  if (!s.contains("type")) s["type"] = "object";
  Json& props = s["properties"];
  if (!props.is_object()) props = Json::object();
  if (!props.contains("apiVersion")) props["apiVersion"] = {{"type", "string"}};
  if (!props.contains("kind")) props["kind"] = {{"type", "string"}};
  // A CRD may only constrain metadata.name/generateName; the rest is always ObjectMeta.
  Json meta = objectMeta();
  const Json& userMetaProps = field(field(props, "metadata"), "properties");
  if (userMetaProps.is_object()) {
    for (const auto& [k, v] : userMetaProps.items()) meta["properties"][k] = v;
  }
  props["metadata"] = std::move(meta);
  return s;
}

std::vector<PrinterColumn> printerColumns(const Json& version) {
  std::vector<PrinterColumn> out;
  const Json& cols = field(version, "additionalPrinterColumns");
  if (!cols.is_array()) return out;
  for (const auto& c : cols) {
    PrinterColumn p;
    p.name = stringField(c, "name");
    p.type = stringField(c, "type");
    p.format = stringField(c, "format");
    p.description = stringField(c, "description");
    p.jsonPath = stringField(c, "jsonPath");
    p.priority = c.is_object() && c.contains("priority") && c["priority"].is_number_integer()
                     ? c["priority"].get<int>()
                     : 0;
    out.push_back(std::move(p));
  }
  return out;
}

Json condition(const Json& previous, const char* type, bool ok, const std::string& reason,
               const std::string& message, const std::string& now) {
  const std::string status = ok ? "True" : "False";
  std::string since = now;
  if (previous.is_array()) {
    for (const auto& c : previous) {
      if (stringField(c, "type") == type && stringField(c, "status") == status &&
          c.contains("lastTransitionTime")) {
        since = stringField(c, "lastTransitionTime");
      }
    }
  }
  return {{"type", type},
          {"status", status},
          {"lastTransitionTime", since},
          {"reason", reason},
          {"message", message}};
}

}  // namespace

bool versionPrecedes(const std::string& a, const std::string& b) {
  const auto ka = parseKubeVersion(a);
  const auto kb = parseKubeVersion(b);
  if (ka && kb) {
    if (ka->stage != kb->stage) return ka->stage > kb->stage;
    if (ka->major != kb->major) return ka->major > kb->major;
    return ka->minor > kb->minor;
  }
  if (ka || kb) return ka.has_value();
  return a < b;
}

void applyCrdDefaults(Json& crd) {
  if (!crd.is_object()) return;
  Json& spec = crd["spec"];
  if (!spec.is_object()) return;
  if (spec.contains("names") && spec["names"].is_object()) {
    Json& names = spec["names"];
    const std::string kind = stringField(names, "kind");
    if (stringField(names, "singular").empty() && !kind.empty()) {
      std::string lower = kind;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      names["singular"] = lower;
    }
    if (stringField(names, "listKind").empty() && !kind.empty()) names["listKind"] = kind + "List";
  }
  if (!spec.contains("conversion") || !spec["conversion"].is_object()) {
    spec["conversion"] = {{"strategy", "None"}};
  } else if (!spec["conversion"].contains("strategy")) {
    spec["conversion"]["strategy"] = "None";
  }
}

Result<void> validateCrd(const Json& crd) {
  std::vector<Cause> causes;
  const Json& spec = field(crd, "spec");
  const std::string name = stringField(field(crd, "metadata"), "name");
  const std::string group = stringField(spec, "group");
  const std::string plural = stringField(field(spec, "names"), "plural");
  if (name != plural + "." + group) {
    causes.push_back(invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
  }
  if (group.empty()) {
    causes.push_back(required("spec.group"));
  } else if (group.find('.') == std::string::npos) {
    causes.push_back(invalid("spec.group", group, "should be a domain with at least one dot"));
  }
  const std::string scope = stringField(spec, "scope");
  if (scope.empty()) {
    causes.push_back(required("spec.scope"));
  } else if (scope != "Cluster" && scope != "Namespaced") {
    causes.push_back(Cause{
        "FieldValueNotSupported",
        "Unsupported value: " + goQuote(scope) + ": supported values: \"Cluster\", \"Namespaced\"",
        "spec.scope"});
  }
  checkNames(field(spec, "names"), causes);
  checkVersions(field(spec, "versions"), causes);
  if (causes.empty()) return {};
  return fail(
      invalidError("CustomResourceDefinition", "apiextensions.k8s.io", name, std::move(causes)));
}

std::vector<KindInfo> kindsFromCrd(const Json& crd) {
  std::vector<KindInfo> out;
  const Json& spec = field(crd, "spec");
  const Json& names = field(spec, "names");
  const Json& versions = field(spec, "versions");
  if (!versions.is_array()) return out;
  for (const auto& v : versions) {
    if (!isTrue(v, "served")) continue;
    KindInfo k;
    k.group = stringField(spec, "group");
    k.version = stringField(v, "name");
    k.kind = stringField(names, "kind");
    k.listKind =
        stringField(names, "listKind").empty() ? k.kind + "List" : stringField(names, "listKind");
    k.plural = stringField(names, "plural");
    k.singular = stringField(names, "singular");
    k.shortNames = strings(field(names, "shortNames"));
    k.categories = strings(field(names, "categories"));
    k.namespaced = stringField(spec, "scope") != "Cluster";
    k.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    const Json& sub = field(v, "subresources");
    k.hasStatus = field(sub, "status").is_object();
    k.hasScale = field(sub, "scale").is_object();
    k.isCustom = true;
    k.strategicMerge = false;
    k.schema = wrapSchema(field(field(v, "schema"), "openAPIV3Schema"));
    k.printerColumns = printerColumns(v);
    k.crdName = stringField(field(crd, "metadata"), "name");
    k.storage = isTrue(v, "storage");
    out.push_back(std::move(k));
  }
  std::stable_sort(out.begin(), out.end(), [](const KindInfo& a, const KindInfo& b) {
    return versionPrecedes(a.version, b.version);
  });
  return out;
}

std::optional<NameConflict> findNameConflict(const Json& crd, const KindRegistry& registry) {
  const Json& spec = field(crd, "spec");
  const Json& names = field(spec, "names");
  const std::string group = stringField(spec, "group");
  const std::string crdName = stringField(field(crd, "metadata"), "name");
  auto inUse = [](const std::string& n) { return goQuote(n) + " is already in use"; };
  for (const KindInfo* k : registry.all()) {
    if (k->group != group || (k->isCustom && k->crdName == crdName)) continue;
    if (!stringField(names, "plural").empty() && k->plural == stringField(names, "plural")) {
      return NameConflict{"PluralConflict", inUse(k->plural)};
    }
    if (!stringField(names, "singular").empty() && k->singular == stringField(names, "singular")) {
      return NameConflict{"SingularConflict", inUse(k->singular)};
    }
    for (const auto& s : strings(field(names, "shortNames"))) {
      if (std::find(k->shortNames.begin(), k->shortNames.end(), s) != k->shortNames.end()) {
        return NameConflict{"ShortNamesConflict", inUse(s)};
      }
    }
    if (k->kind == stringField(names, "kind")) return NameConflict{"KindConflict", inUse(k->kind)};
    if (k->listKind == stringField(names, "listKind")) {
      return NameConflict{"ListKindConflict", inUse(k->listKind)};
    }
  }
  return std::nullopt;
}

Json crdStatus(const Json& crd, const std::string& now,
               const std::optional<NameConflict>& conflict) {
  const Json& spec = field(crd, "spec");
  const Json& old = field(crd, "status");
  const Json& prevConditions = field(old, "conditions");
  Json status = Json::object();
  if (!conflict) {
    Json accepted = Json::object();
    const Json& names = field(spec, "names");
    for (const char* key : {"plural", "singular", "shortNames", "kind", "listKind", "categories"}) {
      if (names.is_object() && names.contains(key)) accepted[key] = names[key];
    }
    status["acceptedNames"] = std::move(accepted);
    status["conditions"] = Json::array(
        {condition(prevConditions, "NamesAccepted", true, "NoConflicts", "no conflicts found", now),
         condition(prevConditions, "Established", true, "InitialNamesAccepted",
                   "the initial names have been accepted", now)});
  } else {
    const Json& prevAccepted = field(old, "acceptedNames");
    status["acceptedNames"] = prevAccepted.is_object() && !prevAccepted.empty()
                                  ? prevAccepted
                                  : Json{{"plural", ""}, {"kind", ""}};
    status["conditions"] =
        Json::array({condition(prevConditions, "NamesAccepted", false, conflict->reason,
                               conflict->message, now),
                     condition(prevConditions, "Established", false, "NotAccepted",
                               "not all names are accepted", now)});
  }
  std::vector<std::string> stored = strings(field(old, "storedVersions"));
  const Json& versions = field(spec, "versions");
  if (versions.is_array()) {
    for (const auto& v : versions) {
      const std::string name = stringField(v, "name");
      if (isTrue(v, "storage") && std::find(stored.begin(), stored.end(), name) == stored.end()) {
        stored.push_back(name);
      }
    }
  }
  status["storedVersions"] = stored;
  return status;
}

}  // namespace kubesim::schema
