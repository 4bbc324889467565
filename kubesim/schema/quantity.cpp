#include "kubesim/schema/quantity.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace kubesim::schema {
namespace {

using tro::base::fail;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// parseQuantityString: the sign, the numerator without leading zeros ("0" when none), the
// denominator and the raw suffix; nullopt is ErrFormatWrong.
struct Parts {
  bool positive = true;
  std::string num;
  std::string denom;
  std::string suffix;
};

std::optional<Parts> split(std::string_view str) {
  Parts p;
  size_t pos = 0;
  const size_t end = str.size();
  if (pos < end && (str[0] == '-' || str[0] == '+')) {
    p.positive = str[0] != '-';
    ++pos;
  }
  while (pos < end && str[pos] == '0') ++pos;
  if (pos >= end) {
    p.num = "0";
    return p;
  }
  size_t i = pos;
  while (i < end && isDigit(str[i])) ++i;
  p.num = std::string(str.substr(pos, i - pos));
  if (i >= end) return p;
  if (p.num.empty()) p.num = "0";
  pos = i;
  if (str[pos] == '.') {
    ++pos;
    i = pos;
    while (i < end && isDigit(str[i])) ++i;
    p.denom = std::string(str.substr(pos, i - pos));
    if (i >= end) return p;
    pos = i;
  }
  const size_t suffixStart = pos;
  i = pos;
  while (i < end && str[i] != '\0' && std::strchr("eEinumkKMGTP", str[i]) != nullptr) ++i;
  if (i < end && (str[i] == '-' || str[i] == '+')) ++i;
  while (i < end && isDigit(str[i])) ++i;
  // A character outside the grammar after the suffix: ErrFormatWrong.
  if (i < end) return std::nullopt;
  p.suffix = std::string(str.substr(suffixStart));
  return p;
}

struct Suffix {
  int base = 10;
  std::int32_t exponent = 0;
  QuantityFormat format = QuantityFormat::DecimalSI;
};

// strconv.ParseInt(s, 10, 64): optional sign, at least one digit, no overflow.
std::optional<std::int64_t> parseInt64(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const std::uint64_t limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
  for (char c : s) {
    if (!isDigit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (limit - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (negative) return v == 9223372036854775808ULL ? INT64_MIN : -static_cast<std::int64_t>(v);
  return static_cast<std::int64_t>(v);
}

constexpr std::array<std::pair<const char*, int>, 10> kDecimal = {{{"n", -9},
                                                                   {"u", -6},
                                                                   {"m", -3},
                                                                   {"", 0},
                                                                   {"k", 3},
                                                                   {"M", 6},
                                                                   {"G", 9},
                                                                   {"T", 12},
                                                                   {"P", 15},
                                                                   {"E", 18}}};
constexpr std::array<std::pair<const char*, int>, 7> kBinary = {
    {{"", 0}, {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}}};

std::optional<Suffix> interpret(std::string_view s) {
  for (const auto& [name, exp] : kDecimal) {
    if (s == name) return Suffix{10, exp, QuantityFormat::DecimalSI};
  }
  for (const auto& [name, exp] : kBinary) {
    if (exp != 0 && s == name) return Suffix{2, exp, QuantityFormat::BinarySI};
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    auto parsed = parseInt64(s.substr(1));
    if (!parsed) return std::nullopt;
    return Suffix{10, static_cast<std::int32_t>(*parsed), QuantityFormat::DecimalExponent};
  }
  return std::nullopt;
}

void doubleDigits(std::string& digits) {
  int carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    const int v = (*it - '0') * 2 + carry;
    *it = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  if (carry != 0) digits.insert(digits.begin(), static_cast<char>('0' + carry));
}

void incrementDigits(std::string& digits) {
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it != '9') {
      ++*it;
      return;
    }
    *it = '0';
  }
  digits.insert(digits.begin(), '1');
}

// Strips leading zeros, and trailing zeros into the scale.
void normalize(Quantity& q) {
  const auto first = q.digits.find_first_not_of('0');
  if (first == std::string::npos) {
    q.digits.clear();
    q.scale = 0;
    q.negative = false;
    return;
  }
  q.digits.erase(0, first);
  const auto last = q.digits.find_last_not_of('0');
  q.scale += static_cast<std::int64_t>(q.digits.size() - last - 1);
  q.digits.erase(last + 1);
}

// Rounds a non-zero magnitude up (away from zero) to nano precision.
void roundUpToNano(Quantity& q) {
  if (q.digits.empty() || q.scale >= -9) return;
  const std::int64_t drop = -9 - q.scale;
  q.scale = -9;
  if (drop >= static_cast<std::int64_t>(q.digits.size())) {
    q.digits = "1";  // non-zero but below 1n
    return;
  }
  const auto keep = q.digits.size() - static_cast<size_t>(drop);
  const bool inexact = q.digits.find_first_not_of('0', keep) != std::string::npos;
  q.digits.erase(keep);
  if (inexact) incrementDigits(q.digits);
}

int compareMagnitude(const Quantity& a, const Quantity& b) {
  if (a.digits.empty() || b.digits.empty()) {
    return a.digits.empty() == b.digits.empty() ? 0 : (a.digits.empty() ? -1 : 1);
  }
  const std::int64_t orderA = static_cast<std::int64_t>(a.digits.size()) + a.scale;
  const std::int64_t orderB = static_cast<std::int64_t>(b.digits.size()) + b.scale;
  if (orderA != orderB) return orderA < orderB ? -1 : 1;
  const size_t n = std::max(a.digits.size(), b.digits.size());
  for (size_t i = 0; i < n; ++i) {
    const char x = i < a.digits.size() ? a.digits[i] : '0';
    const char y = i < b.digits.size() ? b.digits[i] : '0';
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

Quantity magnitudeOf(std::string digits) {
  Quantity q;
  q.digits = std::move(digits);
  normalize(q);
  return q;
}

const Quantity& maxBinary() {
  static const Quantity q = magnitudeOf("9223372036854775807");
  return q;
}

const Quantity& one() {
  static const Quantity q = magnitudeOf("1");
  return q;
}

const Quantity& binaryThreshold() {
  static const Quantity q = magnitudeOf("1024");
  return q;
}

// Whether the real parser keeps the input string as the printed form (its int64 fast path).
bool keepsInput(const Parts& p, const Suffix& s) {
  std::int64_t precision = 0;
  std::int64_t scale = 0;
  int shiftBits = 0;
  if (s.format == QuantityFormat::BinarySI) {
    if (!p.denom.empty()) return false;
    shiftBits = s.exponent;
    precision = 15 - static_cast<std::int64_t>(p.num.size()) - s.exponent * 3 / 10 - 1;
  } else {
    scale = s.exponent;
    precision = 18 - static_cast<std::int64_t>(p.num.size() + p.denom.size());
  }
  if (precision < 0) return false;
  scale -= static_cast<std::int64_t>(p.denom.size());
  if (scale < -9) return false;
  const std::string shifted = p.num + p.denom;
  auto value = parseInt64(shifted);
  if (!value) return false;
  if (shiftBits > 0 && *value > (INT64_MAX >> shiftBits)) return false;  // int64Multiply overflow
  if (s.format == QuantityFormat::BinarySI) return s.exponent % 10 == 0 && (*value & 0x07) != 0;
  return scale % 3 == 0 && !(shifted.size() >= 3 && shifted.ends_with("000")) && shifted[0] != '0';
}

std::string decimalSuffix(std::int64_t exponent, QuantityFormat format) {
  if (format == QuantityFormat::DecimalExponent) {
    return exponent == 0 ? "" : "e" + std::to_string(exponent);
  }
  for (const auto& [name, exp] : kDecimal) {
    if (exp == exponent) return name;
  }
  return "";  // Go's suffixer has no name for it either and prints the bare number
}

}  // namespace

tro::base::Result<Quantity, std::string> parseQuantity(std::string_view text) {
  if (text.empty()) return fail(std::string(kQuantityFormatError));
  if (text == "0") {
    Quantity zero;
    zero.cached = "0";
    return zero;
  }
  auto parts = split(text);
  if (!parts) return fail(std::string(kQuantityFormatError));
  auto suffix = interpret(parts->suffix);
  if (!suffix) return fail(std::string(kQuantitySuffixError));

  Quantity q;
  q.negative = !parts->positive;
  q.format = suffix->format;
  q.digits = parts->num + parts->denom;
  q.scale = -static_cast<std::int64_t>(parts->denom.size());
  if (suffix->base == 10) {
    q.scale += suffix->exponent;
  } else {
    for (int i = 0; i < suffix->exponent; ++i) doubleDigits(q.digits);
  }
  normalize(q);
  roundUpToNano(q);
  normalize(q);
  if (q.format == QuantityFormat::BinarySI && compareMagnitude(q, maxBinary()) > 0) {
    const bool negative = q.negative;
    q = maxBinary();
    q.negative = negative;
    q.format = QuantityFormat::BinarySI;
  }
  if (q.format == QuantityFormat::BinarySI && !q.digits.empty() && compareMagnitude(q, one()) < 0) {
    q.format = QuantityFormat::DecimalSI;
  }
  if (keepsInput(*parts, *suffix)) q.cached = std::string(text);
  return q;
}

bool isNegative(const Quantity& q) { return q.negative && !q.digits.empty(); }

int compareQuantity(const Quantity& a, const Quantity& b) {
  const int signA = a.digits.empty() ? 0 : (a.negative ? -1 : 1);
  const int signB = b.digits.empty() ? 0 : (b.negative ? -1 : 1);
  if (signA != signB) return signA < signB ? -1 : 1;
  if (signA == 0) return 0;
  const int m = compareMagnitude(a, b);
  return signA > 0 ? m : -m;
}

std::string canonicalQuantity(const Quantity& q) {
  if (!q.cached.empty()) return q.cached;
  if (q.digits.empty()) return "0";
  const std::string sign = q.negative ? "-" : "";
  QuantityFormat format = q.format;
  if (format == QuantityFormat::BinarySI &&
      (compareMagnitude(q, binaryThreshold()) < 0 || q.scale < 0)) {
    format = QuantityFormat::DecimalSI;  // small or fractional binary values print in decimal
  }
  if (format != QuantityFormat::BinarySI) {
    std::string mantissa = q.digits;
    std::int64_t exponent = q.scale;
    while (exponent % 3 != 0) {
      mantissa += '0';
      --exponent;
    }
    return sign + mantissa + decimalSuffix(exponent, format);
  }
  // An integer of at most 2^63-1 (the parser caps binary values).
  std::uint64_t value = std::stoull(q.digits);
  for (std::int64_t i = 0; i < q.scale; ++i) value *= 10;
  int times = 0;
  while (value >= 1024 && value % 1024 == 0) {
    value /= 1024;
    ++times;
  }
  std::string suffix;
  for (const auto& [name, exp] : kBinary) {
    if (exp == times * 10) suffix = name;
  }
  return sign + std::to_string(value) + suffix;
}

tro::base::Result<Quantity, std::string> decodeQuantity(const Json& value) {
  if (value.is_null()) return Quantity{};
  // A JSON number reaches ParseQuantity as its text; every JSON number matches the grammar.
  if (value.is_number()) return parseQuantity(value.dump());
  if (!value.is_string()) return fail(std::string(kQuantityFormatError));
  const std::string& s = value.get_ref<const std::string&>();
  const char* space = " \t\n\v\f\r";
  const auto first = s.find_first_not_of(space);
  if (first == std::string::npos) return parseQuantity("");
  return parseQuantity(std::string_view(s).substr(first, s.find_last_not_of(space) - first + 1));
}

}  // namespace kubesim::schema
