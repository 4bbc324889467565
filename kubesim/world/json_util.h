#pragma once
// Small JSON and time helpers shared by the world's controllers (tolerant readers: a missing or
// mistyped field reads as the fallback, because objects come from clients we do not control).

#include <cstdint>
#include <string>

#include "kubesim/common/api_error.h"
#include "operator/base/clock.h"

namespace kubesim::world {

std::string strAt(const Json& j, const Json::json_pointer& p, const std::string& fallback = "");
std::int64_t intAt(const Json& j, const Json::json_pointer& p, std::int64_t fallback = 0);
// RFC 3339 with seconds precision in UTC, as Kubernetes renders metav1.Time.
std::string rfc3339(tro::base::TimePoint t);
// Parses rfc3339() output (and fractional seconds); nullopt-like epoch on failure.
tro::base::TimePoint parseRfc3339(const std::string& s);
// The uid of the controller owner reference of `obj`, or "".
std::string controllerUid(const Json& obj);
// An ownerReference entry for `owner` marking it as the controller (blockOwnerDeletion: true).
Json controllerRef(const Json& owner);

}  // namespace kubesim::world
