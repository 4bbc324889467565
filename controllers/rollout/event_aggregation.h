#pragma once
// EventAggregator: client-go's event correlation for exact repeats (its EventLogger). An Event
// whose involved object (kind, namespace, name, uid), type, reason, message and component equal
// one this process recorded before is not created again: the earlier Event's `count` goes up
// and its `lastTimestamp` moves, through a merge PATCH, as `kubectl describe` shows
// "(x3 over 5m)". Pure: it decides, the Executor sends. Bounded: the newest kCapacity distinct
// Events are remembered (client-go keeps 4096 as well); an Event the server no longer has (a
// PATCH answered 404, e.g. expired after its TTL) is forgotten and created anew. A key is kept
// as a 128-bit digest of its parts (two independent 64-bit hashes), not as text: at fleet scale
// 4,096 keys of a few hundred bytes each, held twice, were megabytes of the operator's peak.
// Not thread-safe: the Executor guards it.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <variant>

#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

class EventAggregator {
 public:
  static constexpr std::size_t kCapacity = 4096;

  struct Create {
    kube::Json event;  // as given
  };
  struct Patch {
    std::string ns, name;
    kube::Json body;  // merge patch: {"count": n, "lastTimestamp": now}
  };
  using Decision = std::variant<Create, Patch>;

  explicit EventAggregator(std::size_t capacity = kCapacity) : capacity_(capacity) {}

  // `event` is a complete core/v1 Event (makeEvent). Until created() or patched() confirms it,
  // a Patch decision assumes nothing: a failed PATCH leaves the count where it was.
  Decision decide(const kube::Json& event, base::TimePoint now) const;
  // The server accepted the create of `event` (which carries its name) / the PATCH to `count`.
  void created(const kube::Json& event);
  void patched(const kube::Json& event, std::int64_t count);
  // The server has no such Event any more: the next repeat is created.
  void forget(const kube::Json& event);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Key {
    std::uint64_t fnv = 0, std = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const { return key.fnv; }
  };
  struct Entry {
    std::string ns, name;
    std::int64_t count = 1;
    std::list<Key>::iterator age;  // into order_
  };
  static Key keyOf(const kube::Json& event);
  void touch(Entry& entry);

  std::size_t capacity_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
  std::list<Key> order_;  // keys, least recently recorded first
};

}  // namespace tro::controllers
