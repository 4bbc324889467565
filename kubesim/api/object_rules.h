#pragma once
// Pure rules about object metadata that the write pipeline applies: name validity, which kinds
// track metadata.generation and when it bumps, and write no-op detection.

#include <optional>
#include <string>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::api {

// The real server's message for an invalid name of `kind` (a DNS-1123 subdomain; a path segment
// for RBAC objects); nullopt when valid.
std::optional<Cause> nameCause(const schema::KindInfo& kind, const std::string& name);

bool tracksGeneration(const schema::KindInfo& kind);
// Whether a create keeps the status it was sent although the kind has a status subresource: a
// Node's (the kubelet registers its Node with status; the node registry does not reset it).
bool createKeepsStatus(const schema::KindInfo& kind);
// Whether writing `next` over `old` bumps metadata.generation: any change outside metadata and
// status; for Deployments also annotation changes (reference §31).
bool bumpsGeneration(const schema::KindInfo& kind, const Json& old, const Json& next);
// Whether `next` equals `old` apart from server-maintained metadata (resourceVersion,
// managedFields times): such a write stores nothing and emits no event.
bool sameContent(const Json& old, const Json& next);

}  // namespace kubesim::api
