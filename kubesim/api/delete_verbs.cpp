// DELETE and deletecollection: preconditions, finalizers (deletionTimestamp until the last one is
// removed), propagation (Background, Foreground, Orphan) through ownerReferences garbage
// collection, namespace and CRD cascades.

#include <set>

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/schema/selectors.h"

namespace kubesim::api {
namespace {

constexpr const char* kForeground = "foregroundDeletion";

std::string str(const Json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool deleting(const Json& obj) {
  return obj["metadata"].contains("deletionTimestamp") &&
         !obj["metadata"]["deletionTimestamp"].is_null();
}

bool hasFinalizers(const Json& obj) {
  const Json& md = obj["metadata"];
  return md.contains("finalizers") && md["finalizers"].is_array() && !md["finalizers"].empty();
}

std::vector<std::string> ownerUids(const Json& obj) {
  std::vector<std::string> out;
  const Json& md = obj["metadata"];
  if (md.contains("ownerReferences") && md["ownerReferences"].is_array()) {
    for (const auto& ref : md["ownerReferences"]) out.push_back(str(ref, "uid"));
  }
  return out;
}

ObjectKey keyOf(const Json& obj) {
  return ObjectKey{str(obj["metadata"], "namespace"), str(obj["metadata"], "name")};
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
    if (auto p = str(body, "propagationPolicy"); !p.empty()) o.propagationPolicy = p;
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      o.uid = str(body["preconditions"], "uid");
      o.resourceVersion = str(body["preconditions"], "resourceVersion");
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
  if (!opts->uid.empty() && opts->uid != str(md, "uid")) {
    return fail(conflict(kind.qualifiedResource(), kind.group, t.route.name,
                         "Precondition failed: UID in precondition: " + opts->uid +
                             ", UID in object meta: " + str(md, "uid")));
  }
  if (!opts->resourceVersion.empty() && opts->resourceVersion != str(md, "resourceVersion")) {
    return fail(
        conflict(kind.qualifiedResource(), kind.group, t.route.name,
                 "Precondition failed: ResourceVersion in precondition: " + opts->resourceVersion +
                     ", ResourceVersion in object meta: " + str(md, "resourceVersion")));
  }
  if (t.request->param("dryRun") == "All") return jsonResponse(200, render(t, obj));
  if (kind.group == "apiextensions.k8s.io" && kind.plural == "customresourcedefinitions") {
    deleteCrdContents(obj);
  }
  if (kind.group.empty() && kind.plural == "namespaces") {
    for (const auto& [gr, o] : store_.all()) {
      if (str(o["metadata"], "namespace") == t.route.name) store_.erase(gr, keyOf(o));
    }
  }
  Json last = deleteObject(t.groupResource, obj, opts->propagationPolicy);
  if (store_.get(t.groupResource, t.key()) != nullptr) return jsonResponse(200, render(t, last));
  Json details = {{"name", t.route.name}, {"kind", kind.plural}, {"uid", str(md, "uid")}};
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
    if (!labels.matches(obj["metadata"].value("labels", Json())) || !fields.matches(obj)) continue;
    if (store_.get(t.groupResource, keyOf(obj)) == nullptr) continue;  // collected meanwhile
    deleteObject(t.groupResource, *store_.get(t.groupResource, keyOf(obj)),
                 opts->propagationPolicy);
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
  std::string uid = str(md, "uid");
  std::vector<std::pair<std::string, Json>> dependents;
  for (auto& [gr, o] : store_.all()) {
    for (const auto& owner : ownerUids(o)) {
      if (owner == uid) {
        dependents.emplace_back(gr, o);
        break;
      }
    }
  }
  if (policy == "Orphan") {
    for (auto& [gr, o] : dependents) {
      Json& refs = o["metadata"]["ownerReferences"];
      Json kept = Json::array();
      for (const auto& ref : refs) {
        if (str(ref, "uid") != uid) kept.push_back(ref);
      }
      if (kept.empty()) {
        o["metadata"].erase("ownerReferences");
      } else {
        refs = kept;
      }
      store_.put(gr, keyOf(o), o);
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
    Json last = store_.erase(groupResource, keyOf(next));
    collectGarbage();
    return last;
  }
  if (!deleting(next)) {
    md["deletionTimestamp"] = now();
    md["deletionGracePeriodSeconds"] = 0;
    if (md.contains("generation")) md["generation"] = md["generation"].get<std::int64_t>() + 1;
  }
  Json stored = next == obj ? obj : store_.put(groupResource, keyOf(next), next);
  if (foreground) {
    for (const auto& [gr, o] : dependents) {
      if (const Json* live = store_.get(gr, keyOf(o)); live != nullptr && !deleting(*live)) {
        deleteObject(gr, *live, "Background");
      }
    }
    collectGarbage();
    if (const Json* live = store_.get(groupResource, keyOf(next))) stored = *live;
  }
  return stored;
}

void ApiServer::Impl::finalizeIfDone(const std::string& groupResource, const Json& obj) {
  if (!deleting(obj) || hasFinalizers(obj)) return;
  store_.erase(groupResource, keyOf(obj));
  collectGarbage();
}

void ApiServer::Impl::collectGarbage() {
  if (collecting_) return;
  collecting_ = true;
  for (bool progress = true; progress;) {
    progress = false;
    auto all = store_.all();
    std::set<std::string> live;
    std::set<std::string> owners;
    for (const auto& [gr, o] : all) {
      live.insert(str(o["metadata"], "uid"));
      for (const auto& u : ownerUids(o)) owners.insert(u);
    }
    for (const auto& [gr, o] : all) {
      auto refs = ownerUids(o);
      bool orphaned = !refs.empty() && !deleting(o);
      for (const auto& u : refs) orphaned = orphaned && live.count(u) == 0;
      bool foregroundDone = false;
      if (deleting(o) && owners.count(str(o["metadata"], "uid")) == 0) {
        for (const auto& f : o["metadata"].value("finalizers", Json::array())) {
          foregroundDone = foregroundDone || f == kForeground;
        }
      }
      if (orphaned) {
        deleteObject(gr, o, "Background");
      } else if (foregroundDone) {
        Json next = o;
        Json kept = Json::array();
        for (const auto& f : o["metadata"]["finalizers"]) {
          if (f != kForeground) kept.push_back(f);
        }
        next["metadata"]["finalizers"] = kept;
        if (kept.empty()) next["metadata"].erase("finalizers");
        Json stored = store_.put(gr, keyOf(next), next);
        if (!hasFinalizers(stored)) store_.erase(gr, keyOf(stored));
      } else {
        continue;
      }
      progress = true;
      break;
    }
  }
  collecting_ = false;
}

void ApiServer::Impl::deleteCrdContents(const Json& crd) {
  const Json& spec = crd.value("spec", Json::object());
  std::string group = str(spec, "group");
  std::string plural = spec.contains("names") ? str(spec["names"], "plural") : std::string();
  std::string gr = storageKey(group, plural);
  for (const auto& obj : store_.list(gr, std::nullopt)) store_.erase(gr, keyOf(obj));
  registry_.removeCrd(str(crd["metadata"], "name"));
}

}  // namespace kubesim::api
