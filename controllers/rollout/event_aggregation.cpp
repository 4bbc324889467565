#include "controllers/rollout/event_aggregation.h"

#include <functional>

#include "operator/base/fnv_hash.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace {

std::string text(const kube::Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

EventAggregator::Key EventAggregator::keyOf(const kube::Json& event) {
  const kube::Json involved = event.value("involvedObject", kube::Json::object());
  const kube::Json source = event.value("source", kube::Json::object());
  // Parts joined by a byte no name or reason holds; the message goes last.
  std::string key;
  for (const std::string& part :
       {text(involved, "kind"), text(involved, "namespace"), text(involved, "name"),
        text(involved, "uid"), text(source, "component"), text(event, "type"),
        text(event, "reason"), text(event, "message")}) {
    key += part;
    key += '\x1f';
  }
  return Key{base::fnv1a64(key), std::hash<std::string>{}(key)};
}

EventAggregator::Decision EventAggregator::decide(const kube::Json& event,
                                                  base::TimePoint now) const {
  auto it = entries_.find(keyOf(event));
  if (it == entries_.end()) return Create{event};
  return Patch{
      it->second.ns, it->second.name,
      kube::Json{{"count", it->second.count + 1}, {"lastTimestamp", base::formatRfc3339(now)}}};
}

void EventAggregator::touch(Entry& entry) { order_.splice(order_.end(), order_, entry.age); }

void EventAggregator::created(const kube::Json& event) {
  const Key key = keyOf(event);
  const kube::Json md = event.value("metadata", kube::Json::object());
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& e = it->second;
  e.ns = text(md, "namespace");
  e.name = text(md, "name");
  e.count = event.value("count", std::int64_t{1});
  if (inserted) {
    e.age = order_.insert(order_.end(), key);
  } else {
    touch(e);
  }
  while (entries_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

void EventAggregator::patched(const kube::Json& event, std::int64_t count) {
  auto it = entries_.find(keyOf(event));
  if (it == entries_.end()) return;
  it->second.count = count;
  touch(it->second);
}

void EventAggregator::forget(const kube::Json& event) {
  auto it = entries_.find(keyOf(event));
  if (it == entries_.end()) return;
  order_.erase(it->second.age);
  entries_.erase(it);
}

}  // namespace tro::controllers
