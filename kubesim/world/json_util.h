#pragma once
// Small JSON and time helpers shared by the world's controllers (tolerant readers: a missing or
// mistyped field reads as the fallback, because objects come from clients we do not control).

#include <cstdint>
#include <string>

#include "kubesim/common/api_error.h"
#include "operator/base/clock.h"
#include "operator/base/rfc3339.h"

namespace kubesim::world {

std::string strAt(const Json& j, const Json::json_pointer& p, const std::string& fallback = "");
// Integers; a fractional or out-of-range number is truncated and saturated, never undefined.
std::int64_t intAt(const Json& j, const Json::json_pointer& p, std::int64_t fallback = 0);
// The most replicas (pods) the simulation runs for one object: a real Deployment may ask for up
// to 2^31-1, which the in-process kubelet must not try to start.
inline constexpr int kMaxSimulatedReplicas = 1000;
// A replica count (spec.replicas or a status counter) clamped to [0, kMaxSimulatedReplicas]:
// objects the server does not validate (ReplicaSets, status writes) may hold negative or absurd
// values, and the controllers index pod lists with them.
int replicasAt(const Json& j, const Json::json_pointer& p, int fallback = 0);
// base::parseRfc3339 for times kubesim reads back from its own objects (conditions, pods): the
// epoch when the text is malformed or out of range, so a corrupt time counts as long past.
tro::base::TimePoint parseRfc3339(const std::string& s);
// True once the object has a deletionTimestamp (it goes when its finalizers do).
bool terminating(const Json& obj);
// The uid of the controller owner reference of `obj`, or "".
std::string controllerUid(const Json& obj);
// An ownerReference entry for `owner` marking it as the controller (blockOwnerDeletion: true).
Json controllerRef(const Json& owner);

}  // namespace kubesim::world
