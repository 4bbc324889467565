#include "kubesim/api/rbac_authorizer.h"

#include <algorithm>

#include "kubesim/common/json_field.h"
#include "kubesim/schema/go_format.h"

namespace kubesim::api {
namespace {

using schema::detail::goQuote;

constexpr const char* kServiceAccountUsernamePrefix = "system:serviceaccount:";

// responsewriters' sanitizer: keeps the message from looking like HTML.
std::string sanitize(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const Json& member(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

// Whether some string in the JSON list satisfies `pred`; anything but a list holds none.
template <typename Pred>
bool anyString(const Json& list, Pred pred) {
  if (!list.is_array()) return false;
  for (const Json& v : list) {
    if (v.is_string() && pred(v.get_ref<const std::string&>())) return true;
  }
  return false;
}

bool has(const std::vector<std::string>& set, const std::string& element) {
  return std::find(set.begin(), set.end(), element) != set.end();
}

// evaluation_helpers.go.

bool verbMatches(const Json& rule, const std::string& verb) {
  return anyString(member(rule, "verbs"),
                   [&](const std::string& v) { return v == "*" || v == verb; });
}

bool apiGroupMatches(const Json& rule, const std::string& group) {
  return anyString(member(rule, "apiGroups"),
                   [&](const std::string& g) { return g == "*" || g == group; });
}

bool resourceMatches(const Json& rule, const std::string& combined,
                     const std::string& subresource) {
  return anyString(member(rule, "resources"), [&](const std::string& r) {
    if (r == "*" || r == combined) return true;
    // "*/<subresource>": that subresource of every resource. There is no "<resource>/*".
    return !subresource.empty() && r.size() == subresource.size() + 2 && r.starts_with("*/") &&
           r.ends_with(subresource);
  });
}

bool resourceNameMatches(const Json& rule, const std::string& name) {
  const Json& names = member(rule, "resourceNames");
  if (!names.is_array() || names.empty()) return true;
  return anyString(names, [&](const std::string& n) { return n == name; });
}

bool nonResourceUrlMatches(const Json& rule, const std::string& path) {
  return anyString(member(rule, "nonResourceURLs"), [&](const std::string& u) {
    if (u == "*" || u == path) return true;
    if (!u.ends_with('*')) return false;
    const std::size_t end = u.find_last_not_of('*');  // strings.TrimRight(u, "*")
    const std::string prefix = end == std::string::npos ? std::string() : u.substr(0, end + 1);
    return path.starts_with(prefix);
  });
}

// rule.go: appliesToUser. `bindingNamespace` is "" for a ClusterRoleBinding.
bool appliesToUser(const UserInfo& user, const Json& subject, const std::string& bindingNamespace) {
  const std::string kind = stringField(subject, "kind");
  const std::string name = stringField(subject, "name");
  if (kind == "User") return user.name == name;
  if (kind == "Group") return has(user.groups, name);
  if (kind == "ServiceAccount") {
    // A subject without a namespace means the binding's own namespace.
    std::string ns = stringField(subject, "namespace");
    if (ns.empty()) ns = bindingNamespace;
    if (ns.empty()) return false;
    return user.name == kServiceAccountUsernamePrefix + ns + ":" + name;
  }
  return false;
}

// The first subject of the binding that applies to the user, or null.
const Json* appliesTo(const UserInfo& user, const Json& binding,
                      const std::string& bindingNamespace) {
  const Json& subjects = member(binding, "subjects");
  if (!subjects.is_array()) return nullptr;
  for (const Json& s : subjects) {
    if (appliesToUser(user, s, bindingNamespace)) return &s;
  }
  return nullptr;
}

// rule.go: describeSubject.
std::string describeSubject(const Json& subject, const std::string& bindingNamespace) {
  const std::string kind = stringField(subject, "kind");
  const std::string name = stringField(subject, "name");
  if (kind == "ServiceAccount") {
    std::string ns = stringField(subject, "namespace");
    if (ns.empty()) ns = bindingNamespace;
    return kind + " " + goQuote(name + "/" + ns);
  }
  return kind + " " + goQuote(name);
}

// clusterRoleBindingDescriber / roleBindingDescriber String().
std::string describeBinding(const Json& binding, const Json& subject,
                            const std::string& bindingNamespace) {
  const Json& md = member(binding, "metadata");
  const Json& roleRef = member(binding, "roleRef");
  const std::string name = stringField(md, "name");
  std::string out;
  if (bindingNamespace.empty()) {
    out = "ClusterRoleBinding " + goQuote(name);
  } else {
    out = "RoleBinding " + goQuote(name + "/" + stringField(md, "namespace"));
  }
  return out + " of " + stringField(roleRef, "kind") + " " + goQuote(stringField(roleRef, "name")) +
         " to " + describeSubject(subject, bindingNamespace);
}

const Json* findObject(const std::vector<const Json*>& objects, const std::string& ns,
                       const std::string& name) {
  for (const Json* o : objects) {
    if (o == nullptr) continue;
    const Json& md = member(*o, "metadata");
    if (stringField(md, "name") == name && stringField(md, "namespace") == ns) return o;
  }
  return nullptr;
}

// rule.go: GetRoleReferenceRules. The role's rules (null when it has none), or the error the
// real resolver reports: a lister's NotFound or an unsupported kind.
struct RoleRules {
  const Json* rules = nullptr;
  std::string error;
};

RoleRules roleReferenceRules(const Json& roleRef, const std::string& bindingNamespace,
                             const RbacObjects& rbac) {
  const std::string kind = stringField(roleRef, "kind");
  const std::string name = stringField(roleRef, "name");
  const Json* role = nullptr;
  if (kind == "Role") {
    // A ClusterRoleBinding looks the Role up with namespace "", which finds none.
    if (!bindingNamespace.empty()) role = findObject(rbac.roles, bindingNamespace, name);
    if (role == nullptr) {
      return {nullptr, "role.rbac.authorization.k8s.io " + goQuote(name) + " not found"};
    }
  } else if (kind == "ClusterRole") {
    role = findObject(rbac.clusterRoles, "", name);
    if (role == nullptr) {
      return {nullptr, "clusterrole.rbac.authorization.k8s.io " + goQuote(name) + " not found"};
    }
  } else {
    return {nullptr, "unsupported role reference kind: " + goQuote(kind)};
  }
  const Json& rules = member(*role, "rules");
  return {rules.is_array() ? &rules : nullptr, ""};
}

// utilerrors.NewAggregate(errs).Error(): one error as is; several with duplicates dropped,
// "[e1, e2]" unless only one distinct message remains.
std::string aggregate(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return errors.front();
  std::vector<std::string> seen;
  for (const std::string& e : errors) {
    if (!has(seen, e)) seen.push_back(e);
  }
  std::string out;
  for (const std::string& e : seen) out += (out.empty() ? "" : ", ") + e;
  return seen.size() == 1 ? out : "[" + out + "]";
}

// Visits the rules `binding` grants the user (when it names the user) in the order of
// rule.go's VisitRulesFor; returns the allowed reason when one of them allows the request, and
// records a role resolution error in `errors`.
std::string visitBinding(const RequestAttributes& a, const Json& binding,
                         const std::string& bindingNamespace, const RbacObjects& rbac,
                         std::vector<std::string>& errors) {
  const Json* subject = appliesTo(a.user, binding, bindingNamespace);
  if (subject == nullptr) return {};
  RoleRules resolved = roleReferenceRules(member(binding, "roleRef"), bindingNamespace, rbac);
  if (!resolved.error.empty()) {
    errors.push_back(std::move(resolved.error));
    return {};
  }
  if (resolved.rules == nullptr) return {};
  for (const Json& rule : *resolved.rules) {
    if (ruleAllows(a, rule)) {
      return "RBAC: allowed by " + describeBinding(binding, *subject, bindingNamespace);
    }
  }
  return {};
}

}  // namespace

UserInfo serviceAccountUser(const std::string& ns, const std::string& name) {
  return UserInfo{
      kServiceAccountUsernamePrefix + ns + ":" + name,
      {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"}};
}

bool ruleAllows(const RequestAttributes& a, const Json& rule) {
  if (a.resourceRequest) {
    const std::string combined =
        a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.apiGroup) &&
           resourceMatches(rule, combined, a.subresource) && resourceNameMatches(rule, a.name);
  }
  return verbMatches(rule, a.verb) && nonResourceUrlMatches(rule, a.path);
}

Decision authorize(const RequestAttributes& a, const RbacObjects& rbac) {
  // The privileged-group authorizer, ahead of Node and RBAC: allowed, with no reason.
  if (has(a.user.groups, kSystemMastersGroup)) return Decision{true, ""};
  std::vector<std::string> errors;
  for (const Json* binding : rbac.clusterRoleBindings) {
    if (binding == nullptr) continue;
    std::string reason = visitBinding(a, *binding, "", rbac, errors);
    if (!reason.empty()) return Decision{true, std::move(reason)};
  }
  // RoleBindings only in the request's namespace: none for cluster-scoped, all-namespaces and
  // non-resource requests.
  if (!a.namespace_.empty()) {
    for (const Json* binding : rbac.roleBindings) {
      if (binding == nullptr) continue;
      if (stringField(member(*binding, "metadata"), "namespace") != a.namespace_) continue;
      std::string reason = visitBinding(a, *binding, a.namespace_, rbac, errors);
      if (!reason.empty()) return Decision{true, std::move(reason)};
    }
  }
  return Decision{false, errors.empty() ? std::string() : "RBAC: " + aggregate(errors)};
}

namespace {

Json stringsOf(const Json& rule, const char* key) {
  Json out = Json::array();
  const Json& list = member(rule, key);
  if (!list.is_array()) return out;
  for (const Json& v : list) {
    if (v.is_string()) out.push_back(v);
  }
  return out;
}

// rbac.go RulesFor's conversion of one PolicyRule.
void addRule(RuleSet& set, const Json& rule) {
  const Json verbs = stringsOf(rule, "verbs");
  if (Json resources = stringsOf(rule, "resources"); !resources.empty()) {
    Json r = {{"verbs", verbs},
              {"apiGroups", stringsOf(rule, "apiGroups")},
              {"resources", std::move(resources)}};
    if (Json names = stringsOf(rule, "resourceNames"); !names.empty()) {
      r["resourceNames"] = std::move(names);
    }
    set.resourceRules.push_back(std::move(r));
  }
  if (Json urls = stringsOf(rule, "nonResourceURLs"); !urls.empty()) {
    set.nonResourceRules.push_back({{"verbs", verbs}, {"nonResourceURLs", std::move(urls)}});
  }
}

}  // namespace

RuleSet rulesFor(const UserInfo& user, const std::string& ns, const RbacObjects& rbac) {
  RuleSet set;
  if (has(user.groups, kSystemMastersGroup)) {
    set.resourceRules.push_back({{"verbs", {"*"}}, {"apiGroups", {"*"}}, {"resources", {"*"}}});
    set.nonResourceRules.push_back({{"verbs", {"*"}}, {"nonResourceURLs", {"*"}}});
  }
  std::vector<std::string> errors;
  const auto visit = [&](const Json& binding, const std::string& bindingNamespace) {
    if (appliesTo(user, binding, bindingNamespace) == nullptr) return;
    RoleRules resolved = roleReferenceRules(member(binding, "roleRef"), bindingNamespace, rbac);
    if (!resolved.error.empty()) {
      errors.push_back(std::move(resolved.error));
      return;
    }
    if (resolved.rules == nullptr) return;
    for (const Json& rule : *resolved.rules) addRule(set, rule);
  };
  for (const Json* binding : rbac.clusterRoleBindings) {
    if (binding != nullptr) visit(*binding, "");
  }
  if (!ns.empty()) {
    for (const Json* binding : rbac.roleBindings) {
      if (binding == nullptr) continue;
      if (stringField(member(*binding, "metadata"), "namespace") != ns) continue;
      visit(*binding, ns);
    }
  }
  if (!errors.empty()) {
    set.incomplete = true;
    set.evaluationError = aggregate(errors);
  }
  return set;
}

std::string forbiddenMessage(const RequestAttributes& a, const std::string& reason) {
  const std::string user = goQuote(a.user.name);
  std::string msg;
  if (!a.resourceRequest) {
    msg = "User " + user + " cannot " + a.verb + " path " + goQuote(a.path);
  } else {
    const std::string resource =
        a.subresource.empty() ? a.resource : a.resource + "/" + a.subresource;
    msg = "User " + user + " cannot " + a.verb + " resource " + goQuote(resource) +
          " in API group " + goQuote(a.apiGroup);
    msg += a.namespace_.empty() ? " at the cluster scope"
                                : " in the namespace " + goQuote(a.namespace_);
  }
  msg = sanitize(msg);
  if (!reason.empty()) msg += ": " + reason;

  // apierrors.NewForbidden(GroupResource{group, resource}, name, msg). A non-resource request's
  // attributes have no group, resource or name.
  const std::string group = a.resourceRequest ? a.apiGroup : std::string();
  const std::string resource = a.resourceRequest ? a.resource : std::string();
  const std::string name = a.resourceRequest ? a.name : std::string();
  if (group.empty() && resource.empty()) return "forbidden: " + msg;
  const std::string qualified = group.empty() ? resource : resource + "." + group;
  if (name.empty()) return qualified + " is forbidden: " + msg;
  return qualified + " " + goQuote(name) + " is forbidden: " + msg;
}

ApiError forbidden(const RequestAttributes& a, const std::string& reason) {
  ApiError e;
  e.code = 403;
  e.reason = "Forbidden";
  e.message = forbiddenMessage(a, reason);
  if (a.resourceRequest) {
    e.detailsName = a.name;
    e.detailsGroup = a.apiGroup;
    e.detailsKind = a.resource;
  }
  e.emptyDetails = true;
  return e;
}

}  // namespace kubesim::api
