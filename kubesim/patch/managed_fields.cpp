#include "kubesim/patch/managed_fields.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "kubesim/common/json_field.h"
#include "kubesim/patch/json_text.h"

namespace kubesim::patch {
namespace {

// ---------------------------------------------------------------------------------------------
// Path elements and the fields nobody owns.

std::string fieldElement(const std::string& name) { return "f:" + name; }
std::string valueElement(const Json& v) { return "v:" + compactJson(v); }
std::string keyElement(const Json& item, const std::vector<std::string>& keys) {
  Json k = Json::object();
  for (const auto& key : keys) {
    if (item.is_object() && item.contains(key)) k[key] = item[key];
  }
  return "k:" + compactJson(k);
}

// stripmeta.go: apiVersion, kind and the system-owned metadata are never owned by a manager.
Json stripIgnored(const Json& obj) {
  Json out = obj.is_object() ? obj : Json::object();
  out.erase("apiVersion");
  out.erase("kind");
  if (auto it = out.find("metadata"); it != out.end() && it->is_object()) {
    for (const char* f : {"name", "namespace", "uid", "resourceVersion", "generation",
                          "creationTimestamp", "selfLink", "managedFields", "clusterName"}) {
      it->erase(f);
    }
    if (it->empty()) out.erase("metadata");
  }
  return out;
}

bool isKeyed(const ListMeta& lm) { return lm.type == ListType::Map && !lm.keys.empty(); }

// Children of a node as (element, meta path, value); empty for leaves. Objects, keyed lists and
// set lists have children; atomic lists, scalars and empty containers are leaves.
struct Child {
  std::string element;
  std::string metaPath;
  const Json* value;
};

std::vector<Child> childrenOf(const Json& node, const std::string& metaPath,
                              const PatchMeta& meta) {
  std::vector<Child> out;
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      out.push_back({fieldElement(key), PatchMeta::child(metaPath, key), &value});
    }
  } else if (node.is_array()) {
    const ListMeta lm = meta.list(metaPath);
    for (const auto& item : node) {
      if (isKeyed(lm)) out.push_back({keyElement(item, lm.keys), metaPath, &item});
      if (lm.type == ListType::Set) out.push_back({valueElement(item), metaPath, &item});
    }
  }
  return out;
}

bool isLeaf(const Json& node, const std::string& metaPath, const PatchMeta& meta) {
  if (node.is_object()) return node.empty();
  if (node.is_array()) return node.empty() || meta.list(metaPath).type == ListType::Atomic;
  return true;
}

// Set-list items are leaves whose value is their identity.
bool isSetItem(const std::string& element) { return element.rfind("v:", 0) == 0; }

void collectOwned(const Json& node, const std::string& metaPath, FieldPath& path,
                  const PatchMeta& meta, FieldSet& out) {
  for (const auto& c : childrenOf(node, metaPath, meta)) {
    path.push_back(c.element);
    const bool leaf = isSetItem(c.element) || isLeaf(*c.value, c.metaPath, meta);
    // Applied configurations own list items themselves, not maps or structs (FieldsV1 of §21).
    if (leaf || c.element[0] == 'k') out.insert(path);
    if (!leaf) collectOwned(*c.value, c.metaPath, path, meta, out);
    path.pop_back();
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison of two objects (structured-merge-diff's Compare), as sets of paths.

struct Comparison {
  FieldSet modified;
  FieldSet added;
  FieldSet removed;
};

class Comparer {
 public:
  explicit Comparer(const PatchMeta& meta) : meta_(meta) {}

  Comparison run(const Json& lhs, const Json& rhs) {
    FieldPath path;
    compareChildren(&lhs, &rhs, "", path);
    return std::move(cmp_);
  }

 private:
  void compareChildren(const Json* l, const Json* r, const std::string& metaPath, FieldPath& path) {
    std::map<std::string, std::pair<Child*, Child*>> byElement;
    std::vector<Child> lc = l ? childrenOf(*l, metaPath, meta_) : std::vector<Child>{};
    std::vector<Child> rc = r ? childrenOf(*r, metaPath, meta_) : std::vector<Child>{};
    for (auto& c : lc) byElement[c.element].first = &c;
    for (auto& c : rc) byElement[c.element].second = &c;
    for (const auto& [element, pair] : byElement) {
      const Child& any = pair.first ? *pair.first : *pair.second;
      path.push_back(element);
      compareNode(pair.first ? pair.first->value : nullptr,
                  pair.second ? pair.second->value : nullptr, any.metaPath, path);
      path.pop_back();
    }
  }

  void compareNode(const Json* l, const Json* r, const std::string& metaPath, FieldPath& path) {
    // A null is what a Go zero value serialises to: the same as absent.
    if (l && l->is_null()) l = nullptr;
    if (r && r->is_null()) r = nullptr;
    if (!l && !r) return;
    if (l && r && *l == *r) return;  // nothing below differs: most of an object, most writes
    // Built-in kinds serialise some nodes even when empty: creating them owns nothing.
    const bool implicit = path.back()[0] == 'f' && meta_.implicit(metaPath);
    if (implicit && ((!l && r->empty()) || (!r && l->empty()))) return;
    const bool setItem = isSetItem(path.back());
    const bool lLeaf = l && (setItem || isLeaf(*l, metaPath, meta_));
    const bool rLeaf = r && (setItem || isLeaf(*r, metaPath, meta_));
    if (l && r && (lLeaf || rLeaf)) {
      if (*l != *r) cmp_.modified.insert(path);
      if (!lLeaf) compareChildren(l, nullptr, metaPath, path);
      if (!rLeaf) compareChildren(nullptr, r, metaPath, path);
      return;
    }
    if (!l) {
      if (rLeaf || !implicit) cmp_.added.insert(path);
    } else if (!r) {
      if (lLeaf || !implicit) cmp_.removed.insert(path);
    }
    if (!lLeaf && !rLeaf) compareChildren(l, r, metaPath, path);
  }

  const PatchMeta& meta_;
  Comparison cmp_;
};

// ---------------------------------------------------------------------------------------------
// Object surgery: merging an applied configuration, removing owned nodes.

Json mergeApplied(const Json& live, const Json& applied, const std::string& metaPath,
                  const PatchMeta& meta) {
  if (applied.is_object() && live.is_object()) {
    Json out = live;
    for (const auto& [key, value] : applied.items()) {
      auto it = out.find(key);
      const std::string child = PatchMeta::child(metaPath, key);
      out[key] = it == out.end() ? value : mergeApplied(*it, value, child, meta);
    }
    return out;
  }
  if (applied.is_array() && live.is_array()) {
    const ListMeta lm = meta.list(metaPath);
    if (lm.type == ListType::Set) {
      Json out = live;
      for (const auto& v : applied) {
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
      }
      return out;
    }
    if (isKeyed(lm)) {
      Json out = live;
      for (const auto& item : applied) {
        const std::string id = keyElement(item, lm.keys);
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const Json& e) { return keyElement(e, lm.keys) == id; });
        if (it == out.end()) {
          out.push_back(item);
        } else {
          *it = mergeApplied(*it, item, metaPath, meta);
        }
      }
      return out;
    }
  }
  return applied;
}

// Removes the node at `path`; false when it is not there.
bool removePath(Json& node, const FieldPath& path, size_t i, const std::string& metaPath,
                const PatchMeta& meta) {
  const std::string& el = path[i];
  const bool last = i + 1 == path.size();
  if (el[0] == 'f') {
    const std::string name = el.substr(2);
    if (!node.is_object() || !node.contains(name)) return false;
    if (last) return node.erase(name) > 0;
    if (!removePath(node[name], path, i + 1, PatchMeta::child(metaPath, name), meta)) return false;
    // Optional Go fields are omitempty: a map or list emptied by pruning disappears.
    if (node[name].empty()) node.erase(name);
    return true;
  }
  if (!node.is_array()) return false;
  const ListMeta lm = meta.list(metaPath);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const bool match = (el[0] == 'k' && isKeyed(lm) && keyElement(*it, lm.keys) == el) ||
                       (el[0] == 'v' && valueElement(*it) == el);
    if (!match) continue;
    if (last) {
      node.erase(it);
      return true;
    }
    return removePath(*it, path, i + 1, metaPath, meta);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// managedFields entries.

struct Manager {
  std::string manager;
  std::string operation;
  std::string apiVersion;
  std::string time;
  std::string subresource;
  FieldSet set;

  bool sameIdentity(const Manager& o) const {
    return manager == o.manager && operation == o.operation && subresource == o.subresource;
  }
  // How conflicts name a manager (fieldmanager/internal/conflict.go; reference ssa-gitops §7).
  std::string display() const {
    std::string out = "\"" + manager + "\"";
    if (operation == "Update") out += " using " + apiVersion;
    return out;
  }
};

// A malformed managedFields is reset rather than rejected, as the real server does.
std::vector<Manager> decodeManagers(const Json* obj) {
  std::vector<Manager> out;
  if (obj == nullptr || !obj->is_object()) return out;
  const Json* mf = nullptr;
  if (auto md = obj->find("metadata"); md != obj->end() && md->is_object()) {
    if (auto it = md->find("managedFields"); it != md->end()) mf = &*it;
  }
  if (mf == nullptr || !mf->is_array()) return out;
  for (const auto& e : *mf) {
    if (!e.is_object()) return {};
    Manager m{stringField(e, "manager"),     stringField(e, "operation"),
              stringField(e, "apiVersion"),  stringField(e, "time"),
              stringField(e, "subresource"), {}};
    Json fields = e.value("fieldsV1", Json::object());
    if (fields.is_string()) fields = Json::parse(fields.get<std::string>(), nullptr, false);
    auto set = FieldSet::fromFieldsV1(fields);
    if (!set) return {};
    m.set = std::move(*set);
    out.push_back(std::move(m));
  }
  return out;
}

// Apply sorts before Update, then by time, manager, apiVersion, subresource
// (fieldmanager's sortEncodedManagedFields).
Json encodeManagers(std::vector<Manager> managers) {
  std::erase_if(managers, [](const Manager& m) { return m.set.empty(); });
  std::stable_sort(managers.begin(), managers.end(), [](const Manager& a, const Manager& b) {
    return std::tie(a.operation, a.time, a.manager, a.apiVersion, a.subresource) <
           std::tie(b.operation, b.time, b.manager, b.apiVersion, b.subresource);
  });
  Json out = Json::array();
  for (const auto& m : managers) {
    Json e = {{"manager", m.manager}, {"operation", m.operation}, {"apiVersion", m.apiVersion},
              {"time", m.time},       {"fieldsType", "FieldsV1"}, {"fieldsV1", m.set.toFieldsV1()}};
    if (!m.subresource.empty()) e["subresource"] = m.subresource;
    out.push_back(std::move(e));
  }
  return out;
}

Json withManagedFields(Json obj, const std::vector<Manager>& managers) {
  Json encoded = encodeManagers(managers);
  if (!obj["metadata"].is_object()) obj["metadata"] = Json::object();
  if (encoded.empty()) {
    obj["metadata"].erase("managedFields");
  } else {
    obj["metadata"]["managedFields"] = std::move(encoded);
  }
  return obj;
}

Manager& entryFor(std::vector<Manager>& managers, const Manager& identity) {
  for (auto& m : managers) {
    if (m.sameIdentity(identity)) return m;
  }
  managers.push_back(identity);
  return managers.back();
}

ApiError conflictError(const std::vector<std::pair<std::string, FieldPath>>& conflicts) {
  ApiError err{409, "Conflict", "", {}, {}, {}, {}, {}};
  for (const auto& [who, path] : conflicts) {
    err.causes.push_back({"FieldManagerConflict", "conflict with " + who, fieldPathString(path)});
  }
  if (conflicts.size() == 1) {
    err.message = "Apply failed with 1 conflict: conflict with " + conflicts[0].first + ": " +
                  fieldPathString(conflicts[0].second);
    return err;
  }
  std::map<std::string, std::vector<std::string>> byManager;
  for (const auto& [who, path] : conflicts) byManager[who].push_back(fieldPathString(path));
  std::string body;
  for (const auto& [who, paths] : byManager) {
    body += (body.empty() ? "" : "\n") + std::string("conflicts with ") + who + ":";
    for (const auto& p : paths) body += "\n- " + p;
  }
  err.message = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: " + body;
  return err;
}

// Fields of `lastSet` the applier stopped applying and nobody else owns (in whole or in part)
// leave the object (structured-merge-diff's prune + addBackOwnedItems).
Json prune(Json merged, const FieldSet& stopped, const std::vector<Manager>& others,
           const PatchMeta& meta) {
  for (const auto& path : stopped.paths()) {
    const bool ownedElsewhere = std::any_of(
        others.begin(), others.end(), [&](const Manager& m) { return m.set.hasPrefix(path); });
    if (!ownedElsewhere) removePath(merged, path, 0, "", meta);
  }
  return merged;
}

Result<ApplyResult> applyChecked(const Json* live, const Json& applied, bool force,
                                 const PatchMeta& meta, const WriteContext& ctx) {
  std::vector<Manager> managers = decodeManagers(live);
  const Manager identity{ctx.manager, "Apply", ctx.apiVersion, ctx.time, ctx.subresource, {}};
  FieldSet lastSet;
  std::vector<Manager> others;
  for (const auto& m : managers) {
    if (m.sameIdentity(identity)) {
      lastSet = m.set;
    } else {
      others.push_back(m);
    }
  }
  const FieldSet newSet = fieldsOf(applied, meta);
  Json liveObj = live ? *live : Json::object();
  if (liveObj.is_object() && liveObj.contains("metadata") && liveObj["metadata"].is_object()) {
    liveObj["metadata"].erase("managedFields");
  }
  Json appliedObj = applied;
  if (appliedObj.contains("metadata") && appliedObj["metadata"].is_object()) {
    appliedObj["metadata"].erase("managedFields");
  }
  Json merged =
      prune(mergeApplied(liveObj, appliedObj, "", meta), lastSet.minus(newSet), others, meta);

  const Comparison cmp = Comparer(meta).run(stripIgnored(liveObj), stripIgnored(merged));
  const FieldSet changed = cmp.modified.unionWith(cmp.added);
  std::vector<std::pair<std::string, FieldPath>> conflicts;
  for (auto& m : others) {
    const FieldSet clash = m.set.intersect(changed);
    for (const auto& p : clash.paths()) conflicts.emplace_back(m.display(), p);
    if (force) m.set = m.set.minus(clash);
    m.set = m.set.minus(cmp.removed);
  }
  if (!conflicts.empty() && !force) {
    std::sort(conflicts.begin(), conflicts.end());
    return fail(conflictError(conflicts));
  }
  Manager self = identity;
  self.set = newSet;
  // A no-op apply keeps the applier's time, so that the stored object does not change.
  if (live != nullptr && merged == liveObj) {
    for (const auto& m : managers) {
      if (m.sameIdentity(identity)) self.time = m.time;
    }
  }
  others.push_back(std::move(self));
  return ApplyResult{withManagedFields(std::move(merged), others), live == nullptr};
}

}  // namespace

FieldSet fieldsOf(const Json& appliedObject, const PatchMeta& meta) {
  FieldSet out;
  FieldPath path;
  collectOwned(stripIgnored(appliedObject), "", path, meta, out);
  return out;
}

Result<ApplyResult> serverSideApply(const Json* live, const Json& applied, bool force,
                                    const PatchMeta& meta, const WriteContext& ctx) {
  if (!applied.is_object()) return fail(badRequest("the applied configuration must be an object"));
  if (live != nullptr && !live->is_object())
    return fail(internalError("live object is not an object"));
  try {
    return applyChecked(live, applied, force, meta, ctx);
  } catch (const Json::exception& e) {
    return fail(internalError(std::string("server-side apply: ") + e.what()));
  }
}

namespace {

// The managedFields array of `object`, or null.
Json* managedFieldsOf(Json& object) {
  if (!object.is_object()) return nullptr;
  auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return nullptr;
  auto mf = md->find("managedFields");
  return mf != md->end() && mf->is_array() ? &*mf : nullptr;
}

}  // namespace

void packManagedFields(Json& object) {
  Json* mf = managedFieldsOf(object);
  if (mf == nullptr) return;
  for (auto& entry : *mf) {
    if (!entry.is_object()) continue;
    auto fields = entry.find("fieldsV1");
    if (fields != entry.end() && fields->is_object()) *fields = compactJson(*fields);
  }
}

void unpackManagedFields(Json& object) {
  Json* mf = managedFieldsOf(object);
  if (mf == nullptr) return;
  for (auto& entry : *mf) {
    if (!entry.is_object()) continue;
    auto fields = entry.find("fieldsV1");
    if (fields == entry.end() || !fields->is_string()) continue;
    Json tree = Json::parse(fields->get<std::string>(), nullptr, false);
    if (!tree.is_discarded()) *fields = std::move(tree);
  }
}

Json updateManagedFields(const Json* oldObj, const Json& newObj, const PatchMeta& meta,
                         const WriteContext& ctx, const std::string& operation) {
  if (!newObj.is_object()) return newObj;
  std::vector<Manager> managers = decodeManagers(oldObj);
  if (ctx.manager.empty()) return withManagedFields(newObj, managers);
  const Comparison cmp =
      Comparer(meta).run(stripIgnored(oldObj ? *oldObj : Json::object()), stripIgnored(newObj));
  const FieldSet changed = cmp.modified.unionWith(cmp.added);
  const Manager identity{ctx.manager, operation, ctx.apiVersion, ctx.time, ctx.subresource, {}};
  for (auto& m : managers) {
    m.set = m.set.minus(cmp.removed);
    if (!m.sameIdentity(identity)) m.set = m.set.minus(changed);
  }
  // Only a write that took fields stamps the writer's entry (fieldmanager's
  // managedFieldsUpdater); removals alone leave it as it was.
  if (!changed.empty()) {
    Manager& self = entryFor(managers, identity);
    self.set = self.set.unionWith(changed);
    self.apiVersion = ctx.apiVersion;
    self.time = ctx.time;
  }
  return withManagedFields(newObj, managers);
}

}  // namespace kubesim::patch
