#pragma once
// resource.Quantity as a real kube-apiserver reads, compares and prints it
// (k8s.io/apimachinery/pkg/api/resource):
//   parseQuantity     ParseQuantity's grammar: sign, digits with one optional '.', then a suffix:
//                     binary Ki Mi Gi Ti Pi Ei, decimal n u m "" k M G T P E, or a decimal
//                     exponent e/E with optional sign and digits. Errors are the real texts.
//   compareQuantity   Cmp (exact decimal arithmetic, no floating point)
//   canonicalQuantity String(): "2000m" -> "2", "1.5" -> "1500m", "1024Mi" -> "1Gi"; an input
//                     already in canonical form is printed as written ("+1" stays "+1", as Go)
//   decodeQuantity    how a JSON value decodes into a Quantity field (Quantity.UnmarshalJSON):
//                     null is zero, a number is parsed from its text, a string is trimmed and
//                     parsed, anything else fails the grammar.
// Values are rounded up to nano precision and binary values capped at 2^63-1, as the real parser.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kubesim/common/api_error.h"

namespace kubesim::schema {

inline constexpr const char* kQuantityFormatError =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
inline constexpr const char* kQuantitySuffixError = "unable to parse quantity's suffix";

enum class QuantityFormat { DecimalExponent, BinarySI, DecimalSI };

struct Quantity {
  bool negative = false;
  std::string digits;      // magnitude digits, no leading or trailing zeros; "" is zero
  std::int64_t scale = 0;  // magnitude = digits * 10^scale
  QuantityFormat format = QuantityFormat::DecimalSI;
  std::string cached;  // the input when Go keeps it as the printed form, else ""
};

tro::base::Result<Quantity, std::string> parseQuantity(std::string_view text);

// -1, 0, 1 as a < b, a == b, a > b.
int compareQuantity(const Quantity& a, const Quantity& b);
bool isNegative(const Quantity& q);

std::string canonicalQuantity(const Quantity& q);

tro::base::Result<Quantity, std::string> decodeQuantity(const Json& value);

}  // namespace kubesim::schema
