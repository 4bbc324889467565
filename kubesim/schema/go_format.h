#pragma once
// Formatting helpers that reproduce Go's fmt output where Kubernetes messages embed values:
// %q for strings, %v for float64 (shortest %g: 1e+06, 0.5), and the
// field.Error value rendering used in "Invalid value: X" messages. Internal to kubesim_schema.

#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim::schema::detail {

std::string goQuote(const std::string& s);
std::string goFloat(double v);
// How field.Error renders a bad value: strings quoted, numbers and bools plain, null "null".
std::string goValue(const Json& v);
// JSON-schema type name of a value as go-openapi reports it: string, integer, number, boolean,
// object, array, null.
std::string jsonTypeName(const Json& v);

}  // namespace kubesim::schema::detail
