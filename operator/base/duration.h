#pragma once
// Go-style durations ("300ms", "30s", "1h30m", "72h"), as Kubernetes users write them in flags
// and in resources. Parsing is strict: a number followed by a unit, repeated; units ns, us, ms,
// s, m, h; no sign, no spaces, no bare numbers except "0". Errors name the offending input.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "operator/base/result.h"

namespace tro::base {

struct DurationError {
  std::string message;
};

inline Result<std::chrono::nanoseconds, DurationError> parseDuration(std::string_view text) {
  using std::chrono::nanoseconds;
  auto bad = [&](const std::string& why) {
    return fail(DurationError{"invalid duration \"" + std::string(text) + "\": " + why});
  };
  if (text.empty()) return bad("empty");
  if (text == "0") return nanoseconds(0);
  constexpr int64_t kMax = INT64_MAX;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t whole = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (whole > (kMax - 9) / 10) return bad("out of range");
      whole = whole * 10 + (text[i++] - '0');
    }
    int64_t fracNum = 0, fracDen = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (fracDen < 1'000'000'000) {
          fracNum = fracNum * 10 + (text[i] - '0');
          fracDen *= 10;
        }
        ++i;
      }
    }
    if (i == start || (i == start + 1 && text[start] == '.')) return bad("missing number");
    size_t unitStart = i;
    while (i < text.size() && !(text[i] >= '0' && text[i] <= '9') && text[i] != '.') ++i;
    std::string_view unit = text.substr(unitStart, i - unitStart);
    int64_t scale = 0;
    if (unit == "ns")
      scale = 1;
    else if (unit == "us" || unit == "µs")
      scale = 1'000;
    else if (unit == "ms")
      scale = 1'000'000;
    else if (unit == "s")
      scale = 1'000'000'000;
    else if (unit == "m")
      scale = 60'000'000'000;
    else if (unit == "h")
      scale = 3'600'000'000'000;
    else if (unit.empty())
      return bad("missing unit");
    else
      return bad("unknown unit \"" + std::string(unit) + "\"");
    // fracNum * scale / fracDen without overflow (fracNum < fracDen <= 1e9, scale <= 3.6e12):
    // scale = q * fracDen + r, so the product splits into fracNum * q (< scale) and
    // fracNum * r / fracDen (fracNum * r < 1e18).
    const int64_t frac = fracNum * (scale / fracDen) + fracNum * (scale % fracDen) / fracDen;
    if (whole > kMax / scale || whole * scale > kMax - frac) return bad("out of range");
    const int64_t part = whole * scale + frac;
    if (total > kMax - part) return bad("out of range");
    total += part;
  }
  return nanoseconds(total);
}

// The shortest Go-style rendering: 90s -> "1m30s", 0 -> "0s", 1500ms -> "1.5s".
inline std::string formatDuration(std::chrono::nanoseconds d) {
  int64_t ns = d.count();
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  if (ns < 0) ns = -ns;
  if (ns < 1'000'000'000) {
    if (ns % 1'000'000 == 0) return sign + std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0) return sign + std::to_string(ns / 1'000) + "us";
    return sign + std::to_string(ns) + "ns";
  }
  int64_t h = ns / 3'600'000'000'000;
  ns %= 3'600'000'000'000;
  int64_t m = ns / 60'000'000'000;
  ns %= 60'000'000'000;
  std::string out = sign;
  if (h) out += std::to_string(h) + "h";
  if (h || m) out += std::to_string(m) + "m";
  int64_t s = ns / 1'000'000'000, frac = ns % 1'000'000'000;
  out += std::to_string(s);
  if (frac) {
    std::string f = std::to_string(frac);
    f = std::string(9 - f.size(), '0') + f;
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "s";
}

}  // namespace tro::base
