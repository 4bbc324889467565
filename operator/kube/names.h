#pragma once
// Validation of the identifiers that end up in request paths. A name is checked before it is
// put into a URL so that "../secrets" or "a/b" can never address a different resource; the
// rules are the API server's (DNS-1123 label for namespaces, DNS-1123 subdomain for names).

#include <string_view>

#include "operator/kube/error.h"

namespace tro::kube {

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool isDnsLabel(std::string_view s);
// Dot-separated parts shaped like DNS labels, at most 253 characters in all; as Kubernetes'
// IsDNS1123Subdomain, a part may be longer than 63.
bool isDnsSubdomain(std::string_view s);

// Error values (kind Config, reason "InvalidRequest") naming what was wrong; `what` is e.g.
// "namespace" or "name".
Result<void> validateLabel(std::string_view what, std::string_view value);
Result<void> validateSubdomain(std::string_view what, std::string_view value);

// The error used for requests that cannot be built; never retryable.
Error invalidRequest(std::string message);

}  // namespace tro::kube
