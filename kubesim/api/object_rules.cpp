#include "kubesim/api/object_rules.h"

#include <regex>

#include "kubesim/patch/managed_fields.h"

namespace kubesim::api {

std::optional<Cause> nameCause(const schema::KindInfo& kind, const std::string& name) {
  // RBAC objects are named by path segment (ValidateRBACName = path.IsValidPathSegmentName),
  // which is how the bootstrap roles can be called "system:discovery".
  if (kind.group == "rbac.authorization.k8s.io" && !kind.isCustom) {
    std::string problem;
    if (name == "." || name == "..") problem = "may not be '" + name + "'";
    for (const char* bad : {"/", "%"}) {
      if (problem.empty() && name.find(bad) != std::string::npos) {
        problem = std::string("may not contain '") + bad + "'";
      }
    }
    if (problem.empty()) return std::nullopt;
    return Cause{"FieldValueInvalid", "Invalid value: \"" + name + "\": " + problem,
                 "metadata.name"};
  }
  static const std::regex kSubdomain(
      R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)");
  if (name.size() <= 253 && std::regex_match(name, kSubdomain)) return std::nullopt;
  std::string msg =
      "Invalid value: \"" + name +
      "\": a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
      "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
      "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  if (name.size() > 253)
    msg = "Invalid value: \"" + name + "\": must be no more than 253 characters";
  return Cause{"FieldValueInvalid", msg, "metadata.name"};
}

bool tracksGeneration(const schema::KindInfo& kind) {
  if (kind.isCustom) return true;
  static const char* kPlurals[] = {"deployments",
                                   "replicasets",
                                   "statefulsets",
                                   "daemonsets",
                                   "customresourcedefinitions",
                                   "jobs",
                                   "cronjobs",
                                   "poddisruptionbudgets",
                                   "ingresses",
                                   "ingressclasses",
                                   "networkpolicies",
                                   "mutatingwebhookconfigurations",
                                   "validatingwebhookconfigurations"};
  for (const char* p : kPlurals) {
    if (kind.plural == p) return true;
  }
  return false;
}

bool createKeepsStatus(const schema::KindInfo& kind) {
  return !kind.isCustom && kind.group.empty() && kind.plural == "nodes";
}

bool bumpsGeneration(const schema::KindInfo& kind, const Json& old, const Json& next) {
  if (!tracksGeneration(kind)) return false;
  Json a = old;
  Json b = next;
  for (Json* o : {&a, &b}) {
    o->erase("metadata");
    o->erase("status");
    o->erase("apiVersion");
    o->erase("kind");
  }
  if (a != b) return true;
  if (kind.plural == "deployments") {
    auto annotations = [](const Json& o) {
      return o.contains("metadata") ? o["metadata"].value("annotations", Json::object())
                                    : Json::object();
    };
    return annotations(old) != annotations(next);
  }
  return false;
}

bool sameContent(const Json& old, const Json& next) {
  Json a = old;
  Json b = next;
  for (Json* o : {&a, &b}) {
    patch::packManagedFields(*o);  // either form compares as the stored one
    if (o->contains("metadata") && (*o)["metadata"].is_object()) {
      (*o)["metadata"].erase("resourceVersion");
      if (auto mf = (*o)["metadata"].find("managedFields"); mf != (*o)["metadata"].end()) {
        if (mf->is_array()) {
          for (auto& entry : *mf) {
            if (entry.is_object()) entry.erase("time");
          }
        }
      }
    }
  }
  return a == b;
}

}  // namespace kubesim::api
