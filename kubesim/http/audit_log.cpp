#include "kubesim/http/audit_log.h"

#include <cstdio>

#include "operator/base/rfc3339.h"
#include "operator/base/url.h"

namespace kubesim::http {
namespace {

// The path and the query (re-encoded: kubesim keeps them decoded).
std::string requestUri(const api::Request& request) {
  std::string uri = tro::base::percentEncode(request.path, "/");
  char sep = '?';
  for (const auto& [name, value] : request.query) {
    uri += sep + tro::base::percentEncode(name) + "=" + tro::base::percentEncode(value);
    sep = '&';
  }
  return uri;
}

std::string auditIdOf(std::uint64_t id) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(id & 0xffffffffffffULL));
  return text;
}

}  // namespace

Json auditEvent(const AuditEntry& entry, std::uint64_t auditId) {
  const RequestFacts& f = entry.facts;
  Json event = {{"kind", "Event"},
                {"apiVersion", "audit.k8s.io/v1"},
                {"level", "Metadata"},
                {"auditID", auditIdOf(auditId)},
                {"stage", entry.watchStarted ? "ResponseStarted" : "ResponseComplete"},
                {"requestURI", requestUri(entry.request)},
                {"verb", f.verb},
                {"user", {{"username", entry.request.user}, {"groups", entry.request.groups}}},
                {"sourceIPs", Json::array({"127.0.0.1"})},
                {"userAgent", f.userAgent}};
  if (f.isResource()) {
    Json ref = {{"resource", f.resource}};
    if (!f.ns.empty()) ref["namespace"] = f.ns;
    // A create names its object in the body, and kube-apiserver's audit takes it from there.
    std::string name = f.name;
    if (name.empty() && f.verb == "create") {
      const Json body = Json::parse(entry.request.body, nullptr, /*allow_exceptions=*/false);
      const auto meta = body.is_object() ? body.find("metadata") : body.end();
      if (meta != body.end() && meta->is_object()) {
        const auto n = meta->find("name");
        if (n != meta->end() && n->is_string()) name = n->get<std::string>();
      }
    }
    if (!name.empty()) ref["name"] = name;
    if (!f.group.empty()) ref["apiGroup"] = f.group;
    if (!f.subresource.empty()) ref["subresource"] = f.subresource;
    event["objectRef"] = std::move(ref);
  }
  event["responseStatus"] = {{"metadata", Json::object()}, {"code", entry.code}};
  event["requestReceivedTimestamp"] = tro::base::formatRfc3339Micro(entry.received);
  event["stageTimestamp"] = tro::base::formatRfc3339Micro(entry.completed);
  return event;
}

tro::base::Result<std::unique_ptr<AuditLog>, std::string> AuditLog::open(const std::string& path) {
  std::ofstream out(path, std::ios::app);
  if (!out) return tro::base::fail("cannot open the audit log " + path + " for appending");
  return std::make_unique<AuditLog>(std::move(out));
}

void AuditLog::record(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  // Headers and decoded paths are bytes, not always UTF-8: replace what is not (dump() would
  // throw in the middle of answering the request).
  out_ << auditEvent(entry, nextId_++).dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
  out_.flush();  // a reader (or a crash) sees every line that was answered
}

}  // namespace kubesim::http
