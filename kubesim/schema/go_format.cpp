#include "kubesim/schema/go_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kubesim::schema::detail {

std::string goQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string goFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return "0";
  // Shortest round-tripping digits, then Go's %g layout (exponent when exp < -4 || exp >= 6).
  char buf[64];
  int prec = 1;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string e(buf);
  const auto epos = e.find('e');
  const int exp = std::atoi(e.c_str() + epos + 1);
  std::string mant = e.substr(0, epos);
  if (exp < -4 || exp >= 6) {
    if (mant.find('.') != std::string::npos) {
      while (mant.back() == '0') mant.pop_back();
      if (mant.back() == '.') mant.pop_back();
    }
    std::snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return mant + buf;
  }
  const int decimals = std::max(0, prec - 1 - exp);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string goValue(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return goQuote(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return goFloat(v.get<double>());
  return v.dump();
}

std::string jsonTypeName(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::trunc(d) == d ? "integer" : "number";
  }
  if (v.is_array()) return "array";
  return "object";
}

std::string goPlusV(const Json& v) {
  if (v.is_null()) return "<nil>";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array() || v.is_object()) {
    std::string out = v.is_array() ? "[" : "map[";
    bool first = true;
    for (const auto& [k, e] : v.items()) {
      out += first ? "" : " ";
      first = false;
      out += (v.is_array() ? std::string() : k + ":") + goPlusV(e);
    }
    return out + "]";
  }
  return goValue(v);
}

std::string goStringMap(const Json& v) {
  if (!v.is_object()) return "map[string]string(nil)";
  std::string out;
  for (const auto& [k, e] : v.items()) {
    if (!out.empty()) out += ", ";
    out += goQuote(k) + ":" + goQuote(e.is_string() ? e.get<std::string>() : e.dump());
  }
  return "map[string]string{" + out + "}";
}

}  // namespace kubesim::schema::detail
