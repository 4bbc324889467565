#include "kubesim/world/json_util.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace kubesim::world {

std::string strAt(const Json& j, const Json::json_pointer& p, const std::string& fallback) {
  if (!j.is_object() || !j.contains(p)) return fallback;
  const Json& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : fallback;
}

std::int64_t intAt(const Json& j, const Json::json_pointer& p, std::int64_t fallback) {
  if (!j.is_object() || !j.contains(p)) return fallback;
  const Json& v = j.at(p);
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (!v.is_number_float()) return fallback;
  const double d = v.get<double>();
  if (std::isnan(d)) return fallback;
  if (d >= 9.2e18) return INT64_MAX;  // converting an out-of-range double is undefined
  if (d <= -9.2e18) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

int replicasAt(const Json& j, const Json::json_pointer& p, int fallback) {
  const std::int64_t v = intAt(j, p, fallback);
  return static_cast<int>(std::clamp<std::int64_t>(v, 0, kMaxSimulatedReplicas));
}

tro::base::TimePoint parseRfc3339(const std::string& s) {
  return tro::base::parseRfc3339(s).value_or(tro::base::TimePoint{});
}

std::string controllerUid(const Json& obj) {
  static const Json::json_pointer kRefs("/metadata/ownerReferences");
  if (!obj.is_object() || !obj.contains(kRefs) || !obj.at(kRefs).is_array()) return "";
  for (const Json& ref : obj.at(kRefs)) {
    if (ref.is_object() && ref.value("controller", false)) return ref.value("uid", "");
  }
  return "";
}

Json controllerRef(const Json& owner) {
  return Json{{"apiVersion", owner.value("apiVersion", "")},
              {"kind", owner.value("kind", "")},
              {"name", strAt(owner, Json::json_pointer("/metadata/name"))},
              {"uid", strAt(owner, Json::json_pointer("/metadata/uid"))},
              {"controller", true},
              {"blockOwnerDeletion", true}};
}

bool terminating(const Json& obj) {
  return obj.contains(Json::json_pointer("/metadata/deletionTimestamp"));
}

}  // namespace kubesim::world
