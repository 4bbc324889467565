// The cell toolbox of the built-in kinds' Table columns (table_cells.h): ObjectMeta's name and
// creationTimestamp descriptions, field access that never throws on client data, string, number,
// age, label selector and quantity cells as the real printers render them, and the Name and Age
// columns every printer starts and ends with.

#include "kubesim/schema/table_cells.h"

#include <cmath>
#include <string>
#include <utility>

#include "kubesim/schema/quantity.h"
#include "kubesim/schema/selectors.h"
#include "kubesim/schema/table.h"
#include "operator/base/rfc3339.h"

namespace kubesim::schema::detail {

const char* const kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "http://kubernetes.io/docs/user-guide/identifiers#names";
const char* const kCreationTimestampDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const Json& at(const Json& obj, std::initializer_list<const char*> path) {
  static const Json kNull;  // immutable sentinel
  const Json* cur = &obj;
  for (const char* p : path) {
    if (!cur->is_object()) return kNull;
    auto it = cur->find(p);
    if (it == cur->end()) return kNull;
    cur = &*it;
  }
  return *cur;
}

std::string text(const Json& v, const std::string& fallback) {
  return v.is_string() ? v.get<std::string>() : fallback;
}

// Client data may hold any number: out-of-range floats must not reach an undefined cast.
long long number(const Json& v) {
  if (v.is_number_integer()) return v.get<long long>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) < 9e18 ? static_cast<long long>(d) : 0;
  }
  return 0;
}

std::string age(const Json& timestamp, Clock::time_point now) {
  if (!timestamp.is_string()) return "<unknown>";
  auto t = tro::base::parseRfc3339(timestamp.get<std::string>());
  if (!t) return "<invalid>";
  return humanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

Column column(const char* name, const char* type, const char* description,
              std::function<Json(const Json&)> cell, int priority) {
  return Column{PrinterColumn{name, type, "", description, "", priority}, std::move(cell)};
}

Column nameColumn() {
  return Column{PrinterColumn{"Name", "string", "name", kNameDescription, "", 0},
                [](const Json& o) {
                  return Json(text(at(o, {"metadata", "name"})));
                }};
}

Column ageColumn(Clock::time_point now) {
  return column("Age", "string", kCreationTimestampDescription, [now](const Json& o) {
    return Json(age(at(o, {"metadata", "creationTimestamp"}), now));
  });
}

std::string selectorString(const Json& selector) {
  auto sel = LabelSelector::fromJson(selector);
  if (!sel) return "<error>";
  const std::string s = sel->toString();
  return s.empty() ? "<none>" : s;
}

// Quantity.String() of a stored quantity: its canonical form ("0" when absent, as Go's zero).
std::string quantityCell(const Json& v) {
  if (v.is_null()) return "0";
  auto q = decodeQuantity(v);
  if (!q) return v.is_string() ? v.get<std::string>() : v.dump();
  return canonicalQuantity(*q);
}

}  // namespace kubesim::schema::detail
