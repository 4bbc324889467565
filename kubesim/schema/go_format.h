#pragma once
// Formatting helpers that reproduce Go's fmt output where Kubernetes messages embed values:
// %q for strings, %v for float64 (shortest %g: 1e+06, 0.5), %+v of decoded JSON, %#v of a string
// map, and the field.Error value rendering used in "Invalid value: X" messages. For kubesim's
// schema and api layers (not a public interface of kubesim).

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
// fmt's %+v of a JSON document decoded into interface{} values (integers kept as int64):
// map[a:1 b:[x y]] with sorted keys, strings unquoted, null as <nil>.
std::string goPlusV(const Json& v);
// fmt's %#v of a map[string]string: map[string]string{"a":"b", "c":"d"}; not an object: nil map.
std::string goStringMap(const Json& v);

}  // namespace kubesim::schema::detail
