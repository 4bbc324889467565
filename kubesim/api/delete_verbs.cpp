// DELETE and deletecollection: preconditions, finalizers (deletionTimestamp until the last one is
// removed), propagation (Background, Foreground, Orphan) through ownerReferences garbage
// collection, namespace and CRD cascades.

#include <algorithm>
#include <map>
#include <set>

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/common/json_field.h"
#include "kubesim/schema/selectors.h"

namespace kubesim::api {
namespace {

constexpr const char* kForeground = "foregroundDeletion";

bool deleting(const Json& obj) {
  return obj["metadata"].contains("deletionTimestamp") &&
         !obj["metadata"]["deletionTimestamp"].is_null();
}

bool hasFinalizers(const Json& obj) {
  const Json& md = obj["metadata"];
  return md.contains("finalizers") && md["finalizers"].is_array() && !md["finalizers"].empty();
}

ObjectKey keyOf(const Json& obj) {
  return ObjectKey{stringField(obj["metadata"], "namespace"), stringField(obj["metadata"], "name")};
}

struct DeleteOptions {
  std::string propagationPolicy = "Background";
  std::string uid;
  std::string resourceVersion;
};

Result<DeleteOptions> parseDeleteOptions(const Request& r) {
  DeleteOptions o;
  bool blank = r.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (!blank) {
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return fail(badRequest("the body of the request was in an unknown format"));
    }
    if (auto p = stringField(body, "propagationPolicy"); !p.empty()) o.propagationPolicy = p;
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      o.uid = stringField(body["preconditions"], "uid");
      o.resourceVersion = stringField(body["preconditions"], "resourceVersion");
    }
  }
  if (auto p = r.param("propagationPolicy"); p && !p->empty()) o.propagationPolicy = *p;
  if (o.propagationPolicy != "Background" && o.propagationPolicy != "Foreground" &&
      o.propagationPolicy != "Orphan") {
    return fail(invalid("DeleteOptions.meta.k8s.io", "meta.k8s.io", "DeleteOptions", "",
                        {{"FieldValueNotSupported",
                          "Unsupported value: \"" + o.propagationPolicy +
                              "\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
                          "propagationPolicy"}}));
  }
  return o;
}

}  // namespace

Result<Response> ApiServer::Impl::remove(const Target& t) {
  const schema::KindInfo& kind = *t.kind;
  const Json* current = store_.get(t.groupResource, t.key());
  if (current == nullptr) return fail(notFound(kind.qualifiedResource(), kind.group, t.route.name));
  Json obj = *current;
  auto opts = parseDeleteOptions(*t.request);
  if (!opts) return fail(opts.error());
  const Json& md = obj["metadata"];
  if (!opts->uid.empty() && opts->uid != stringField(md, "uid")) {
    return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                         "Precondition failed: UID in precondition: " + opts->uid +
                             ", UID in object meta: " + stringField(md, "uid")));
  }
  if (!opts->resourceVersion.empty() &&
      opts->resourceVersion != stringField(md, "resourceVersion")) {
    return fail(
        conflict(kind.qualifiedResource(), kind.group, t.route.name,
                 "Precondition failed: ResourceVersion in precondition: " + opts->resourceVersion +
                     ", ResourceVersion in object meta: " + stringField(md, "resourceVersion")));
  }
  const bool isNamespace = kind.group.empty() && kind.plural == "namespaces";
  if (isNamespace && (t.route.name == "default" || t.route.name == "kube-system" ||
                      t.route.name == "kube-public")) {
    // The NamespaceLifecycle admission plugin's immortal namespaces.
    return fail(ApiError{
        403,
        "Forbidden",
        "namespaces \"" + t.route.name + "\" is forbidden: this namespace may not be deleted",
        t.route.name,
        "",
        "namespaces",
        {},
        {}});
  }
  if (t.request->param("dryRun") == "All") return jsonResponse(200, render(t, obj));
  if (kind.group == "apiextensions.k8s.io" && kind.plural == "customresourcedefinitions") {
    deleteCrdContents(obj);
  }
  if (isNamespace && deleting(obj)) {
    return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                         "The system is ensuring all content is removed from this namespace.  "
                         "Upon completion, this namespace will automatically be purged by the "
                         "system."));
  }
  if (isNamespace) return jsonResponse(200, render(t, beginNamespaceDeletion(obj)));
  Json last = deleteObject(t.groupResource, obj, opts->propagationPolicy);
  if (store_.get(t.groupResource, t.key()) != nullptr) return jsonResponse(200, render(t, last));
  Json details = {{"name", t.route.name}, {"kind", kind.plural}, {"uid", stringField(md, "uid")}};
  if (!kind.group.empty()) details["group"] = kind.group;
  return jsonResponse(200, Json{{"kind", "Status"},
                                {"apiVersion", "v1"},
                                {"metadata", Json::object()},
                                {"status", "Success"},
                                {"details", details}});
}

Result<Response> ApiServer::Impl::removeCollection(const Target& t) {
  schema::LabelSelector labels;
  if (auto l = t.request->param("labelSelector")) {
    auto parsed = schema::LabelSelector::parse(*l);
    if (!parsed) return fail(parsed.error());
    labels = std::move(parsed).value();
  }
  schema::FieldSelector fields;
  if (auto f = t.request->param("fieldSelector")) {
    auto parsed = schema::FieldSelector::parse(*f, *t.kind);
    if (!parsed) return fail(parsed.error());
    fields = std::move(parsed).value();
  }
  auto opts = parseDeleteOptions(*t.request);
  if (!opts) return fail(opts.error());
  for (const auto& obj : store_.list(t.groupResource, t.route.ns)) {
    if (!labels.matches((*obj)["metadata"].value("labels", Json())) || !fields.matches(*obj)) {
      continue;
    }
    const Json* live = store_.get(t.groupResource, keyOf(*obj));
    if (live == nullptr) continue;  // collected meanwhile
    deleteObject(t.groupResource, Json(*live), opts->propagationPolicy);
  }
  return jsonResponse(200, Json{{"kind", "Status"},
                                {"apiVersion", "v1"},
                                {"metadata", Json::object()},
                                {"status", "Success"}});
}

Json ApiServer::Impl::deleteObject(const std::string& groupResource, const Json& obj,
                                   const std::string& policy) {
  Json next = obj;
  Json& md = next["metadata"];
  std::string uid = stringField(md, "uid");
  const std::vector<ObjectRef> dependents = store_.dependentsOf(uid);
  if (policy == "Orphan") {
    for (const auto& ref : dependents) {
      const Json* live = store_.get(ref.groupResource, ref.key);
      if (live == nullptr) continue;
      Json o = *live;
      Json& refs = o["metadata"]["ownerReferences"];
      Json kept = Json::array();
      for (const auto& owner : refs) {
        if (stringField(owner, "uid") != uid) kept.push_back(owner);
      }
      if (kept.empty()) {
        o["metadata"].erase("ownerReferences");
      } else {
        refs = kept;
      }
      store_.put(ref.groupResource, ref.key, std::move(o));
    }
  }
  bool foreground = policy == "Foreground" && !dependents.empty();
  if (foreground) {
    Json f = md.value("finalizers", Json::array());
    bool present = false;
    for (const auto& v : f) present = present || v == kForeground;
    if (!present) f.push_back(kForeground);
    md["finalizers"] = f;
  }
  if (!hasFinalizers(next)) {
    ObjectPtr last = store_.erase(groupResource, keyOf(next));
    if (last != nullptr) collectGarbage(*last);
    return last != nullptr ? *last : next;
  }
  if (!deleting(next)) {
    md["deletionTimestamp"] = now();
    md["deletionGracePeriodSeconds"] = 0;
    if (md.contains("generation")) md["generation"] = md["generation"].get<std::int64_t>() + 1;
  }
  Json stored = next == obj ? obj : *store_.put(groupResource, keyOf(next), next);
  if (foreground) {
    for (const auto& ref : dependents) {
      if (const Json* live = store_.get(ref.groupResource, ref.key);
          live != nullptr && !deleting(*live)) {
        deleteObject(ref.groupResource, Json(*live), "Background");
      }
    }
    if (const Json* live = store_.get(groupResource, keyOf(next))) stored = *live;
  }
  return stored;
}

void ApiServer::Impl::finalizeIfDone(const std::string& groupResource, const Json& obj) {
  if (!deleting(obj) || hasFinalizers(obj)) return;
  if (groupResource == storageKey("", "namespaces")) {
    // A Terminating namespace goes when its content does (and spec.finalizers with it), not
    // because a write to it left metadata.finalizers empty.
    return finishNamespaceIfEmpty(keyOf(obj).name);
  }
  if (ObjectPtr last = store_.erase(groupResource, keyOf(obj))) collectGarbage(*last);
}

// The garbage collector's reaction to one object leaving the store: its dependents whose owners
// are all gone are deleted (Background), and an owner waiting in foreground deletion for its last
// dependent loses the foregroundDeletion finalizer. Driven by the store's owner index, so a
// deletion costs what it touches, not the size of the store. Deletions it causes are queued and
// handled by the same loop (no recursion through the whole graph).
void ApiServer::Impl::collectGarbage(const Json& erased) {
  gcQueue_.push_back(GcItem{uidOf(erased), ownerUidsOf(erased), keyOf(erased).ns});
  if (collecting_) return;
  collecting_ = true;
  std::set<std::string> namespaces;  // of the objects that left: a terminating one may be done
  while (!gcQueue_.empty()) {
    GcItem item = std::move(gcQueue_.front());
    gcQueue_.pop_front();
    if (!item.ns.empty()) namespaces.insert(item.ns);
    for (const auto& ref : store_.dependentsOf(item.uid)) {
      const Json* o = store_.get(ref.groupResource, ref.key);
      if (o == nullptr || deleting(*o)) continue;
      bool ownerLive = false;
      for (const auto& owner : ownerUidsOf(*o)) ownerLive = ownerLive || store_.findUid(owner);
      if (!ownerLive) deleteObject(ref.groupResource, Json(*o), "Background");
    }
    for (const auto& ownerUid : item.owners) {
      auto ref = store_.findUid(ownerUid);
      if (!ref || store_.hasDependents(ownerUid)) continue;
      const Json* o = store_.get(ref->groupResource, ref->key);
      if (o == nullptr || !deleting(*o)) continue;
      const Json& finalizers = (*o)["metadata"].value("finalizers", Json::array());
      if (std::find(finalizers.begin(), finalizers.end(), Json(kForeground)) == finalizers.end()) {
        continue;
      }
      Json next = *o;
      Json kept = Json::array();
      for (const auto& f : finalizers) {
        if (f != kForeground) kept.push_back(f);
      }
      next["metadata"]["finalizers"] = kept;
      if (kept.empty()) next["metadata"].erase("finalizers");
      ObjectPtr stored = store_.put(ref->groupResource, ref->key, std::move(next));
      if (!hasFinalizers(*stored)) {
        if (ObjectPtr last = store_.erase(ref->groupResource, ref->key)) {
          gcQueue_.push_back(GcItem{uidOf(*last), ownerUidsOf(*last), keyOf(*last).ns});
        }
      }
    }
  }
  collecting_ = false;
  for (const auto& ns : namespaces) finishNamespaceIfEmpty(ns);
}

void ApiServer::Impl::deleteCrdContents(const Json& crd) {
  const Json& spec = crd.value("spec", Json::object());
  std::string group = stringField(spec, "group");
  std::string plural =
      spec.contains("names") ? stringField(spec["names"], "plural") : std::string();
  std::string gr = storageKey(group, plural);
  std::set<std::string> namespaces;
  for (const auto& obj : store_.list(gr, std::nullopt)) {
    namespaces.insert(keyOf(*obj).ns);
    store_.erase(gr, keyOf(*obj));
  }
  registry_.removeCrd(stringField(crd["metadata"], "name"));
  for (const auto& ns : namespaces) finishNamespaceIfEmpty(ns);
}

Json ApiServer::Impl::beginNamespaceDeletion(const Json& ns) {
  const std::string gr = storageKey("", "namespaces");
  const ObjectKey key = keyOf(ns);
  Json marked = ns;
  if (!deleting(marked)) {
    marked["metadata"]["deletionTimestamp"] = now();
    if (!marked.contains("status") || !marked["status"].is_object())
      marked["status"] = Json::object();
    marked["status"]["phase"] = "Terminating";
    marked = *store_.put(gr, key, std::move(marked));
  }
  // The namespace controller's sweep: each object deleted as a client's DELETE would be. What
  // remains is counted once, after it (not after every object that leaves).
  sweeping_ = key.name;
  for (const auto& ref : store_.inNamespace(key.name)) {
    const Json* live = store_.get(ref.groupResource, ref.key);
    if (live != nullptr && !deleting(*live)) {
      deleteObject(ref.groupResource, Json(*live), "Background");
    }
  }
  sweeping_.clear();
  finishNamespaceIfEmpty(key.name);
  return marked;
}

namespace {

// "<plural>.<group>" of a storage key "<group>/<plural>".
std::string qualified(const std::string& groupResource) {
  const auto slash = groupResource.find('/');
  const std::string group = groupResource.substr(0, slash);
  const std::string plural = groupResource.substr(slash + 1);
  return group.empty() ? plural : plural + "." + group;
}

// The namespace controller's conditions on what is left, lastTransitionTime kept while the
// condition's status stays.
Json remainingConditions(const std::map<std::string, int>& resources,
                         const std::map<std::string, int>& finalizers, const Json& previous,
                         const std::string& now) {
  auto condition = [&](const char* type, const char* reason, const std::string& message) {
    Json c = {{"type", type},
              {"status", "True"},
              {"reason", reason},
              {"message", message},
              {"lastTransitionTime", now}};
    if (previous.is_array()) {
      for (const Json& p : previous) {
        if (p.is_object() && stringField(p, "type") == type && stringField(p, "status") == "True" &&
            !stringField(p, "lastTransitionTime").empty()) {
          c["lastTransitionTime"] = stringField(p, "lastTransitionTime");
        }
      }
    }
    return c;
  };
  auto join = [](const std::map<std::string, int>& counts, const char* middle) {
    std::string out;
    for (const auto& [name, n] : counts) {
      out += (out.empty() ? "" : ", ") + name + middle + std::to_string(n) + " resource instances";
    }
    return out;
  };
  Json out = Json::array();
  out.push_back(condition("NamespaceContentRemaining", "SomeResourcesRemain",
                          "Some resources are remaining: " + join(resources, " has ")));
  if (!finalizers.empty()) {
    out.push_back(condition(
        "NamespaceFinalizersRemaining", "SomeFinalizersRemain",
        "Some content in the namespace has finalizers remaining: " + join(finalizers, " in ")));
  }
  return out;
}

}  // namespace

void ApiServer::Impl::finishNamespaceIfEmpty(const std::string& name) {
  const std::string gr = storageKey("", "namespaces");
  const ObjectKey key{"", name};
  const Json* current = store_.get(gr, key);
  if (current == nullptr || !deleting(*current) || name == sweeping_) return;
  Json next = *current;
  const auto contents = store_.inNamespace(name);
  if (contents.empty()) {
    // The namespace controller's finalize: its own finalizer goes, then the namespace.
    if (next.contains("spec") && next["spec"].is_object()) {
      Json kept = Json::array();
      const Json finalizers = next["spec"].value("finalizers", Json::array());
      if (finalizers.is_array()) {
        for (const auto& f : finalizers) {
          if (f != "kubernetes") kept.push_back(f);
        }
      }
      next["spec"]["finalizers"] = kept;
    }
    const bool specDone =
        !next.contains("spec") || !next["spec"].is_object() || next["spec"]["finalizers"].empty();
    if (specDone && !hasFinalizers(next)) {
      store_.erase(gr, key);
      return;
    }
  } else {
    std::map<std::string, int> resources, finalizers;
    for (const auto& ref : contents) {
      ++resources[qualified(ref.groupResource)];
      const Json* o = store_.get(ref.groupResource, ref.key);
      if (o == nullptr) continue;
      const Json& md = (*o)["metadata"];
      if (md.contains("finalizers") && md["finalizers"].is_array()) {
        for (const auto& f : md["finalizers"]) {
          if (f.is_string()) ++finalizers[f.get<std::string>()];
        }
      }
    }
    if (!next.contains("status") || !next["status"].is_object()) next["status"] = Json::object();
    next["status"]["conditions"] = remainingConditions(
        resources, finalizers, next["status"].value("conditions", Json()), now());
  }
  if (next != *current) store_.put(gr, key, std::move(next));
}

}  // namespace kubesim::api
