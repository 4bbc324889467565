#pragma once
// field.Error constructors of k8s.io/apimachinery/pkg/util/validation/field, rendered as a
// Status cause: reason, ErrorBody() message and field path. `value` is the bad value already
// rendered the way ErrorBody renders it (goValue: strings quoted, numbers plain).
// Internal to kubesim_schema.

#include <string>
#include <utility>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/go_format.h"

namespace kubesim::schema::detail {

inline Cause fieldInvalid(std::string path, const std::string& value, const std::string& detail) {
  return Cause{"FieldValueInvalid",
               "Invalid value: " + value + (detail.empty() ? "" : ": " + detail), std::move(path)};
}

inline Cause fieldRequired(std::string path, const std::string& detail = "") {
  return Cause{"FieldValueRequired", "Required value" + (detail.empty() ? "" : ": " + detail),
               std::move(path)};
}

inline Cause fieldDuplicate(std::string path, const std::string& value) {
  return Cause{"FieldValueDuplicate", "Duplicate value: " + value, std::move(path)};
}

inline Cause fieldNotFound(std::string path, const std::string& value) {
  return Cause{"FieldValueNotFound", "Not found: " + value, std::move(path)};
}

inline Cause fieldForbidden(std::string path, const std::string& detail) {
  return Cause{"FieldValueForbidden", "Forbidden: " + detail, std::move(path)};
}

inline Cause fieldNotSupported(std::string path, const std::string& value,
                               const std::vector<std::string>& supported) {
  std::string list;
  for (const auto& s : supported) list += (list.empty() ? "" : ", ") + goQuote(s);
  return Cause{"FieldValueNotSupported",
               "Unsupported value: " + value + ": supported values: " + list, std::move(path)};
}

}  // namespace kubesim::schema::detail
