#include "controllers/rollout/typed_rollout.h"

#include <algorithm>

#include "controllers/rollout/annotations.h"
#include "operator/base/rfc3339.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers {
namespace {

using kube::Json;

RolloutIdentity identityOf(const Json& rollout) {
  RolloutIdentity id;
  auto m = rollout.find("metadata");
  if (m == rollout.end() || !m->is_object()) return id;
  const Json& meta = *m;
  id.namespace_ = kube::stringAt(meta, "namespace");
  id.name = kube::stringAt(meta, "name");
  id.uid = kube::stringAt(meta, "uid");
  if (auto g = meta.find("generation"); g != meta.end() && g->is_number_integer()) {
    id.generation = g->get<int64_t>();
  }
  if (auto d = kube::stringAt(meta, "deletionTimestamp"); !d.empty())
    id.deletionTimestamp = base::parseRfc3339(d);
  if (auto f = meta.find("finalizers"); f != meta.end() && f->is_array()) {
    id.hasFinalizer = std::find(f->begin(), f->end(), annotations::kFinalizer) != f->end();
  }
  if (auto a = meta.find("annotations"); a != meta.end() && a->is_object()) {
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (it->is_string()) id.annotations[it.key()] = it->get<std::string>();
    }
  }
  return id;
}

// spec.<field> as a label selector; nullopt when missing, empty or invalid (parseSpec() says
// which): an invalid selector selects nothing rather than everything.
std::optional<kube::LabelSelector> selectorAt(const Json& spec, const char* field) {
  if (!spec.is_object()) return std::nullopt;
  auto sel = spec.find(field);
  if (sel == spec.end() || !sel->is_object() || sel->empty()) return std::nullopt;
  auto selector = kube::LabelSelector::fromJson(*sel);
  if (!selector.ok() || selector->empty()) return std::nullopt;
  return std::move(selector).value();
}

}  // namespace

TypedRolloutPtr typeRollout(runtime::ObjectPtr object) {
  auto t = std::make_shared<TypedRollout>();
  const Json& rollout = *object;
  t->identity = identityOf(rollout);
  t->key = t->identity.key();
  t->resourceVersion = kube::stringAt(rollout, "metadata", "resourceVersion");
  static const Json kNoSpec;  // immutable: not shared mutable state
  auto specIt = rollout.is_object() ? rollout.find("spec") : rollout.end();
  const Json& spec = rollout.is_object() && specIt != rollout.end() ? *specIt : kNoSpec;
  t->spec = parseSpec(spec, t->clusterScoped() ? RolloutScope::Cluster : RolloutScope::Namespaced);
  t->analysis = analysis::parseAnalysisExtensions(spec);
  t->specHash = rolloutSpecHash(spec);
  t->notifications = parseNotifications(spec);
  t->selector = selectorAt(spec, "selector");
  if (t->clusterScoped()) t->namespaceSelector = selectorAt(spec, "namespaceSelector");
  t->watchedKinds = watchedKinds(rollout);
  t->listedNamespaces = listedNamespaces(rollout);
  t->object = std::move(object);
  return t;
}

TypedRolloutPtr TypedRollouts::of(const runtime::ObjectPtr& object) {
  const std::string ns = kube::stringAt(*object, "metadata", "namespace");
  const std::string name = kube::stringAt(*object, "metadata", "name");
  const std::string key = ns.empty() ? name : ns + "/" + name;  // RolloutIdentity::key()
  const std::string rv = kube::stringAt(*object, "metadata", "resourceVersion");
  const std::string uid = kube::stringAt(*object, "metadata", "uid");
  {
    std::lock_guard l(mu_);
    auto it = byKey_.find(key);
    // The very object, or the same version of the same object (a rollout deleted and created
    // again under its name is another uid, whatever its resourceVersion).
    if (it != byKey_.end() && it->second->object == object) return it->second;
    if (it != byKey_.end() && !rv.empty() && it->second->resourceVersion == rv &&
        it->second->identity.uid == uid) {
      return it->second;
    }
  }
  TypedRolloutPtr typed = typeRollout(object);  // parsed outside the lock
  std::lock_guard l(mu_);
  byKey_[key] = typed;
  return typed;
}

std::vector<TypedRolloutPtr> TypedRollouts::of(const std::vector<runtime::ObjectPtr>& objects) {
  std::vector<TypedRolloutPtr> out;
  out.reserve(objects.size());
  for (const auto& o : objects) {
    if (o) out.push_back(of(o));
  }
  return out;
}

void TypedRollouts::forget(const std::string& key) {
  std::lock_guard l(mu_);
  byKey_.erase(key);
}

size_t TypedRollouts::size() const {
  std::lock_guard l(mu_);
  return byKey_.size();
}

}  // namespace tro::controllers
