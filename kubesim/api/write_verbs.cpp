// create, update (PUT), patch, and the commit pipeline every write goes through: system metadata,
// status subresource rules, finalizer guard, field validation, defaulting, schema validation,
// validation of built-in fields, generation, managedFields, no-op detection, storage, CRD
// registration. What the real decoder refuses in a built-in object (container resource
// quantities) is checked on the decoded body (create, PUT) or the patched object (PATCH) first.

#include <algorithm>
#include <set>

#include "kubesim/api/errors.h"
#include "kubesim/api/object_rules.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/api/service_addresses.h"
#include "kubesim/common/json_field.h"
#include "kubesim/patch/json_patch.h"
#include "kubesim/patch/json_text.h"
#include "kubesim/patch/managed_fields.h"
#include "kubesim/patch/merge_patch.h"
#include "kubesim/patch/strategic_merge.h"
#include "kubesim/schema/builtin.h"
#include "kubesim/schema/builtin_validation.h"
#include "kubesim/schema/crd.h"
#include "kubesim/schema/structural.h"

namespace kubesim::api {
namespace {

constexpr const char* kCrdGroup = "apiextensions.k8s.io";

bool isCrdKind(const schema::KindInfo& k) {
  return k.group == kCrdGroup && k.plural == "customresourcedefinitions";
}

bool statusKeepsAnnotations(const schema::KindInfo& k) {
  return k.group == "apps" && (k.plural == "deployments" || k.plural == "replicasets");
}

Json& metadataOf(Json& obj) {
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  return obj["metadata"];
}

std::set<std::string> stringSet(const Json& md, const char* key) {
  std::set<std::string> out;
  if (md.contains(key) && md[key].is_array()) {
    for (const auto& v : md[key]) {
      if (v.is_string()) out.insert(v.get<std::string>());
    }
  }
  return out;
}

Response writeResponse(int status, const Json& object, const std::vector<std::string>& warnings) {
  Response r = jsonResponse(status, object);
  for (const auto& w : warnings) r.headers.emplace_back("Warning", "299 - " + Json(w).dump());
  return r;
}

ApiError patchTypeError(const schema::KindInfo& kind) {
  std::string types = kind.strategicMerge && !kind.isCustom
                          ? "application/json-patch+json, application/merge-patch+json, "
                            "application/strategic-merge-patch+json, application/apply-patch+yaml"
                          : "application/json-patch+json, application/merge-patch+json, "
                            "application/apply-patch+yaml";
  return unsupportedMediaType(
      "the body of the request was in an unknown format - accepted media types include: " + types);
}

// The decoder's refusal of a decoded body (create, PUT): 400 `<Kind> in version "v1" cannot be
// handled as a <Kind>: ...`.
std::optional<ApiError> decodeCheck(const schema::KindInfo& kind, const Json& body) {
  auto e = schema::builtinDecodeError(body, kind);
  if (!e) return std::nullopt;
  return schema::decodeBadRequest(kind, *e);
}

// 422 for a new finalizer on an object being deleted (reference §35: the cause is reported twice
// by the real server, once per validation pass).
std::optional<ApiError> finalizerGuard(const schema::KindInfo& kind, const Json& old,
                                       const Json& next) {
  const Json& oldMd = old["metadata"];
  if (!oldMd.contains("deletionTimestamp") || oldMd["deletionTimestamp"].is_null()) {
    return std::nullopt;
  }
  auto before = stringSet(oldMd, "finalizers");
  std::string added;
  for (const auto& f : stringSet(next["metadata"], "finalizers")) {
    if (before.count(f) == 0) added += std::string(added.empty() ? "" : ", ") + Json(f).dump();
  }
  if (added.empty()) return std::nullopt;
  std::string msg =
      "Forbidden: no new finalizers can be added if the object is being deleted, found new "
      "finalizers []string{" +
      added + "}";
  Cause c{"FieldValueForbidden", msg, "metadata.finalizers"};
  return schema::invalidError(kind.kind, kind.group, stringField(oldMd, "name"), {c, c});
}

}  // namespace

std::string storageKey(const std::string& group, const std::string& plural) {
  return group + "/" + plural;
}

std::string itemPath(const schema::KindInfo& kind, const std::string& ns, const std::string& name) {
  std::string p = kind.group.empty() ? "/api/v1" : "/apis/" + kind.apiVersion();
  if (!ns.empty()) p += "/namespaces/" + ns;
  return p + "/" + kind.plural + "/" + name;
}

std::string ApiServer::Impl::now() const { return formatTimestamp(options_.clock()); }

std::string ApiServer::Impl::fieldManager(const Target& t) const {
  if (auto fm = t.request->param("fieldManager"); fm && !fm->empty()) return *fm;
  std::string ua = t.request->header("user-agent");
  if (!ua.empty()) return ua.substr(0, ua.find('/'));
  return "unknown";
}

patch::PatchMeta ApiServer::Impl::patchMeta(const schema::KindInfo& kind) const {
  if (kind.isCustom) return patch::crdPatchMeta(kind.schema);
  return patch::builtinPatchMeta(kind.apiVersion(), kind.kind);
}

Result<void> ApiServer::Impl::checkNamespace(const Target& t) {
  if (!t.kind->namespaced) return {};
  if (!t.route.ns) return fail(resourceNotFound());
  const Json* ns = store_.get(storageKey("", "namespaces"), ObjectKey{"", *t.route.ns});
  if (ns == nullptr) return fail(notFound("namespaces", "", *t.route.ns));
  if ((*ns)["metadata"].contains("deletionTimestamp")) {
    return fail(ApiError{403,
                         "Forbidden",
                         t.kind->qualifiedResource() + " is forbidden: unable to create new " +
                             "content in namespace " + *t.route.ns +
                             " because it is being terminated",
                         {},
                         t.kind->group,
                         t.kind->plural,
                         {},
                         {}});
  }
  return {};
}

Result<WriteOutcome> ApiServer::Impl::commit(const Target& t, const Json* old, Json next,
                                             bool statusWrite, bool managedDone) {
  const schema::KindInfo& kind = *t.kind;
  if (!next.is_object()) {
    return fail(
        badRequest("the object provided is unrecognized (must be of type " + kind.kind + ")"));
  }
  std::string bodyKind = stringField(next, "kind");
  if (!bodyKind.empty() && bodyKind != kind.kind) {
    return fail(badRequest("the object provided is unrecognized (must be of type " + kind.kind +
                           "): " + bodyKind));
  }
  next["apiVersion"] = kind.apiVersion();
  next["kind"] = kind.kind;
  Json& md = metadataOf(next);
  std::string name = stringField(md, "name");
  std::string ns = t.route.ns.value_or("");
  if (old != nullptr) {
    if (!name.empty() && name != t.route.name) {
      return fail(badRequest("the name of the object (" + name +
                             ") does not match the name on the URL (" + t.route.name + ")"));
    }
    if (statusWrite) {
      Json merged = *old;
      if (next.contains("status")) {
        merged["status"] = next["status"];
      } else {
        merged.erase("status");
      }
      // The real deployments/status and replicasets/status strategies reset only spec and
      // labels, so the Deployment controller's revision annotation travels through /status.
      if (statusKeepsAnnotations(kind)) {
        Json& mergedMd = metadataOf(merged);
        if (md.contains("annotations")) {
          mergedMd["annotations"] = md["annotations"];
        } else {
          mergedMd.erase("annotations");
        }
      }
      next = std::move(merged);
    } else {
      const Json& oldMd = (*old)["metadata"];
      for (const char* k : {"name", "namespace", "uid", "creationTimestamp", "generation",
                            "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}) {
        if (oldMd.contains(k)) {
          md[k] = oldMd[k];
        } else {
          md.erase(k);
        }
      }
      if (kind.hasStatus) {
        if (old->contains("status")) {
          next["status"] = (*old)["status"];
        } else {
          next.erase("status");
        }
      }
    }
    if (auto e = finalizerGuard(kind, *old, next)) return fail(*e);
    name = t.route.name;
  } else {
    if (!t.route.name.empty() && name.empty()) name = t.route.name;
    if (!t.route.name.empty() && name != t.route.name) {
      return fail(badRequest("the name of the object (" + name +
                             ") does not match the name on the URL (" + t.route.name + ")"));
    }
    if (name.empty() && !stringField(md, "generateName").empty()) {
      name = stringField(md, "generateName") + uids_.next().substr(0, 5);
    }
    if (name.empty()) {
      return fail(schema::invalidError(
          kind.kind, kind.group, "",
          {{"FieldValueRequired", "Required value: name or generateName is required",
            "metadata.name"}}));
    }
    if (auto c = nameCause(kind, name))
      return fail(schema::invalidError(kind.kind, kind.group, name, {*c}));
    if (kind.namespaced) {
      std::string bodyNs = stringField(md, "namespace");
      if (!bodyNs.empty() && bodyNs != ns) {
        return fail(badRequest(
            "the namespace of the provided object does not match the namespace sent on the "
            "request"));
      }
      md["namespace"] = ns;
    } else {
      md.erase("namespace");
      ns.clear();
    }
    if (store_.get(t.groupResource, ObjectKey{ns, name}) != nullptr) {
      return fail(alreadyExists(kind.qualifiedResource(), kind.group, name));
    }
    md["name"] = name;
    md["uid"] = uids_.next();
    md["creationTimestamp"] = now();
    for (const char* k : {"resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds",
                          "generation", "selfLink"}) {
      md.erase(k);
    }
    if (kind.hasStatus && !createKeepsStatus(kind)) next.erase("status");
    if (kind.group.empty() && kind.plural == "persistentvolumes") {
      // The PersistentVolume registry starts the phase clock on create (Pending from defaults).
      next["status"] = {{"lastPhaseTransitionTime", now()}};
    }
    if (isCrdKind(kind)) {
      Json stored = Json::array();
      if (next.contains("spec") && next["spec"].contains("versions") &&
          next["spec"]["versions"].is_array()) {
        for (const auto& v : next["spec"]["versions"]) {
          if (v.value("storage", false)) stored.push_back(stringField(v, "name"));
        }
      }
      next["status"] = {{"conditions", nullptr},
                        {"acceptedNames", {{"plural", ""}, {"kind", ""}}},
                        {"storedVersions", stored}};
    }
  }

  std::vector<std::string> warnings;
  if (!kind.schema.is_null()) {
    auto unknown = schema::unknownFields(next, kind.schema);
    std::string fv = t.request->param("fieldValidation").value_or("");
    if (!unknown.empty() && fv == "Strict") return fail(schema::strictDecodingError(unknown));
    if (fv != "Ignore") {
      for (const auto& u : unknown) warnings.push_back("unknown field \"" + u + "\"");
    }
    schema::prune(next, kind.schema);
  }
  if (kind.isCustom) {
    schema::applyDefaults(next, kind.schema);
  } else if (isCrdKind(kind)) {
    schema::applyCrdDefaults(next);
  } else {
    schema::applyBuiltinDefaults(next, kind);
  }
  if (!kind.schema.is_null()) {
    auto causes = schema::validate(next, kind.schema);
    if (!causes.empty()) {
      return fail(schema::invalidError(kind.kind, kind.group, name, std::move(causes)));
    }
  }
  if (!statusWrite) {  // status strategies validate status only
    auto causes = schema::validateBuiltinFields(next, kind);
    if (old != nullptr) {
      auto update = schema::validateBuiltinUpdate(*old, next, kind);
      causes.insert(causes.end(), update.begin(), update.end());
    }
    if (!causes.empty()) {
      return fail(schema::invalidError(kind.kind, kind.group, name, std::move(causes)));
    }
  }
  if (isCrdKind(kind)) {
    if (auto v = schema::validateCrd(next); !v) return fail(v.error());
  }
  if (tracksGeneration(kind)) {
    std::int64_t gen = 1;
    if (old != nullptr) {
      gen = (*old)["metadata"].value("generation", std::int64_t{1});
      if (!statusWrite && bumpsGeneration(kind, *old, next)) ++gen;
    }
    next["metadata"]["generation"] = gen;
  }
  next["metadata"].erase("selfLink");  // gone since 1.24; kubesim reports 1.32
  if (!managedDone) {
    // The subresource written through ("status", "scale") is recorded with the manager.
    patch::WriteContext ctx{fieldManager(t), kind.apiVersion(), now(), t.route.subresource};
    next = patch::updateManagedFields(old, next, patchMeta(kind), ctx);
  }
  patch::packManagedFields(next);  // the storage form (stored objects hold it packed)
  if (!statusWrite && kind.group.empty() && kind.kind == "Service") {
    // As the real registry does, after the field manager: assigned addresses have no owner.
    std::vector<const Json*> others;
    const std::vector<ObjectPtr> services = store_.list(t.groupResource, std::nullopt);
    for (const ObjectPtr& svc : services) {
      const Json& svcMd = (*svc)["metadata"];
      if (stringField(svcMd, "namespace") != ns || stringField(svcMd, "name") != name) {
        others.push_back(svc.get());
      }
    }
    auto causes = assignServiceAddresses(old, next, others);
    if (!causes.empty()) {
      return fail(schema::invalidError(kind.kind, kind.group, name, std::move(causes)));
    }
  }
  if (old != nullptr && sameContent(*old, next)) return WriteOutcome{*old, false, warnings};
  if (t.request->param("dryRun") == "All") {  // fully processed, never stored
    return WriteOutcome{std::move(next), old == nullptr, std::move(warnings)};
  }
  Json stored = *store_.put(t.groupResource, ObjectKey{ns, name}, std::move(next));
  if (isCrdKind(kind)) afterCrdWrite(stored);
  finalizeIfDone(t.groupResource, stored);
  return WriteOutcome{stored, old == nullptr, std::move(warnings)};
}

void ApiServer::Impl::afterCrdWrite(const Json& crd) {
  auto conflict = schema::findNameConflict(crd, registry_);
  if (!conflict) registry_.addCustom(schema::kindsFromCrd(crd));
  Json next = crd;
  next["status"] = schema::crdStatus(crd, now(), conflict);
  if (next == crd) return;
  // The API server's own status write shows in managedFields, as on a real server.
  Json before = crd;
  patch::unpackManagedFields(before);
  patch::unpackManagedFields(next);
  if (const schema::KindInfo* kind =
          registry_.byResource(kCrdGroup, "v1", "customresourcedefinitions")) {
    const patch::WriteContext ctx{"kube-apiserver", kind->apiVersion(), now(), "status"};
    next = patch::updateManagedFields(&before, next, patchMeta(*kind), ctx);
  }
  patch::packManagedFields(next);
  store_.put(storageKey(kCrdGroup, "customresourcedefinitions"),
             ObjectKey{"", stringField(crd["metadata"], "name")}, std::move(next));
}

Result<Response> ApiServer::Impl::create(const Target& t) {
  auto body = decodeObjectBody(*t.request, *t.kind);
  if (!body) return fail(body.error());
  if (auto e = decodeCheck(*t.kind, *body)) return fail(*e);
  if (auto ns = checkNamespace(t); !ns) return fail(ns.error());
  auto out = commit(t, nullptr, std::move(body).value(), false, false);
  if (!out) return fail(out.error());
  return writeResponse(201, render(t, out->object), out->warnings);
}

Result<Response> ApiServer::Impl::update(const Target& t) {
  auto body = decodeObjectBody(*t.request, *t.kind);
  if (!body) return fail(body.error());
  if (auto e = decodeCheck(*t.kind, *body)) return fail(*e);
  const schema::KindInfo& kind = *t.kind;
  const Json* current = store_.get(t.groupResource, t.key());
  if (current == nullptr) return fail(notFound(kind.qualifiedResource(), kind.group, t.route.name));
  Json old = *current;
  patch::unpackManagedFields(old);  // writes start from what a client would read
  std::string rv = body->is_object() && body->contains("metadata")
                       ? stringField((*body)["metadata"], "resourceVersion")
                       : std::string();
  if (rv.empty() && kind.isCustom) {
    return fail(
        invalid(kind.qualifiedResource(), kind.group, kind.plural, t.route.name,
                {{"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update",
                  "metadata.resourceVersion"}}));
  }
  if (!rv.empty() && rv != stringField(old["metadata"], "resourceVersion")) {
    return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                         "the object has been modified; please apply your changes to the latest "
                         "version and try again"));
  }
  auto out = commit(t, &old, std::move(body).value(), t.route.subresource == "status", false);
  if (!out) return fail(out.error());
  return writeResponse(200, render(t, out->object), out->warnings);
}

Result<Response> ApiServer::Impl::patch(const Target& t) {
  const schema::KindInfo& kind = *t.kind;
  const Request& r = *t.request;
  std::string mt = mediaType(r.header("content-type"));
  bool statusWrite = t.route.subresource == "status";
  const Json* current = store_.get(t.groupResource, t.key());
  std::optional<Json> old;
  if (current != nullptr) {
    old = *current;
    patch::unpackManagedFields(*old);  // patches apply to what a client would read
  }

  if (mt == "application/apply-patch+yaml") {
    std::string manager = r.param("fieldManager").value_or("");
    if (manager.empty()) {
      ApiError e = invalid(
          "PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "",
          {{"FieldValueRequired", "Required value: is required for apply patch", "fieldManager"}});
      return fail(std::move(e));
    }
    auto body = decodeBody(r, kind, true);
    if (!body) return fail(body.error());
    if (!body->is_object()) return fail(badRequest("apply patch must be an object"));
    if (!old) {
      if (statusWrite) return fail(notFound(kind.qualifiedResource(), kind.group, t.route.name));
      if (auto ns = checkNamespace(t); !ns) return fail(ns.error());
    }
    Json applied = std::move(body).value();
    if (kind.hasStatus && !statusWrite) applied.erase("status");
    patch::WriteContext ctx{manager, kind.apiVersion(), now(), statusWrite ? "status" : ""};
    auto force = r.param("force");
    auto result = patch::serverSideApply(old ? &*old : nullptr, applied,
                                         force == "true" || force == "1", patchMeta(kind), ctx);
    if (!result) return fail(result.error());
    // The real server's answer here is not recorded; kubesim answers like the other patches,
    // quoting the applied object.
    if (auto e = schema::builtinDecodeError(result->object, kind)) {
      return fail(schema::patchDecodeInvalid(patch::compactJson(result->object), *e));
    }
    auto out = commit(t, old ? &*old : nullptr, std::move(result->object), statusWrite, true);
    if (!out) return fail(out.error());
    return writeResponse(out->created ? 201 : 200, render(t, out->object), out->warnings);
  }

  if (!old) return fail(notFound(kind.qualifiedResource(), kind.group, t.route.name));
  Result<Json> patched = fail(patchTypeError(kind));
  const bool strategic = mt == "application/strategic-merge-patch+json" && !kind.isCustom;
  Json doc;
  if (mt == "application/json-patch+json" || mt == "application/merge-patch+json" || strategic) {
    auto p = decodePatchBody(r.body);
    if (!p) return fail(p.error());
    doc = std::move(p).value();
  }
  if (mt == "application/json-patch+json") {
    patched = patch::applyJsonPatch(*old, doc);
  } else if (mt == "application/merge-patch+json") {
    patched = patch::applyMergePatch(*old, doc);
  } else if (strategic) {
    patched = patch::applyStrategicMergePatch(*old, doc, patchMeta(kind));
  }
  if (!patched) return fail(patched.error());
  // Strategic merge patches quote Go's %+v of the patch map; the others the patched object.
  if (auto e = schema::builtinDecodeError(*patched, kind)) {
    const std::string value = strategic ? schema::patchMapText(doc) : patch::compactJson(*patched);
    return fail(schema::patchDecodeInvalid(value, *e));
  }
  if (patched->is_object() && patched->contains("metadata")) {
    std::string rv = stringField((*patched)["metadata"], "resourceVersion");
    if (!rv.empty() && rv != stringField((*old)["metadata"], "resourceVersion")) {
      return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                           "the object has been modified; please apply your changes to the "
                           "latest version and try again"));
    }
  }
  auto out = commit(t, &*old, std::move(patched).value(), statusWrite, false);
  if (!out) return fail(out.error());
  return writeResponse(200, render(t, out->object), out->warnings);
}

}  // namespace kubesim::api
