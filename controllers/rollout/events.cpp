#include "controllers/rollout/events.h"

#include <cctype>
#include <cstdio>

#include "operator/base/fnv_hash.h"
#include "operator/base/rfc3339.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers {

namespace {

// "<involved>.<16 hex>" within the 253 characters of a name: a long involved name is cut (and
// left ending on an alphanumeric, so the result stays a DNS-1123 subdomain).
std::string eventName(const std::string& involved, uint64_t id) {
  constexpr size_t kMaxName = 253;
  const std::string suffix = "." + base::hex16(id);
  std::string prefix = involved.substr(0, kMaxName - suffix.size());
  while (!prefix.empty() && !std::isalnum(static_cast<unsigned char>(prefix.back()))) {
    prefix.pop_back();
  }
  return prefix + suffix;
}

}  // namespace

kube::Json makeEvent(const kube::Json& involved, const PlannedEvent& event, base::TimePoint now,
                     uint64_t sequence) {
  const std::string ns = kube::stringAt(involved, "metadata", "namespace");
  const std::string name = kube::stringAt(involved, "metadata", "name");
  const std::string time = base::formatRfc3339(now);
  const uint64_t id = base::fnv1a64(ns + "/" + name + "|" + event.reason + "|" + event.message +
                                    "|" + time + "|" + std::to_string(sequence));
  kube::Json reference = {{"apiVersion", involved.value("apiVersion", "")},
                          {"kind", involved.value("kind", "")},
                          {"name", name}};
  if (!ns.empty()) reference["namespace"] = ns;
  if (auto uid = kube::stringAt(involved, "metadata", "uid"); !uid.empty()) reference["uid"] = uid;
  if (auto rv = kube::stringAt(involved, "metadata", "resourceVersion"); !rv.empty()) {
    reference["resourceVersion"] = rv;
  }
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          // A cluster-scoped object's Events live in "default", as client-go records them.
          {"metadata", {{"name", eventName(name, id)}, {"namespace", ns.empty() ? "default" : ns}}},
          {"involvedObject", reference},
          {"reason", event.reason},
          {"message", base::cleanExcerpt(event.message, kEventMessageBytes)},
          {"type", event.type == PlannedEvent::Type::Warning ? "Warning" : "Normal"},
          {"source", {{"component", kEventComponent}}},
          {"reportingComponent", kEventComponent},
          {"firstTimestamp", time},
          {"lastTimestamp", time},
          {"count", 1}};
}

}  // namespace tro::controllers
