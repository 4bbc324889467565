#include "controllers/analysis/promql.h"

#include <algorithm>
#include <cstdio>

namespace tro::controllers::analysis {

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string escapeRegex(std::string_view value) {
  static constexpr std::string_view kMeta = "\\.+*?()|[]{}^$";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (kMeta.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string regexAlternation(std::vector<std::string> names) {
  // RE2's empty character class: matches no string at all, unlike "" or "(?:)".
  if (names.empty()) return escapeLabelValue("(?:[^\\x00-\\x{10FFFF}])");
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string regex = "(?:";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) regex += '|';
    regex += escapeRegex(names[i]);
  }
  regex += ')';
  return escapeLabelValue(regex);
}

std::string promDuration(std::chrono::nanoseconds d) {
  using namespace std::chrono;
  if (d <= nanoseconds::zero()) return "0s";
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms == 0) return "1ms";  // PromQL has no sub-millisecond unit; round up, never to zero
  struct Unit {
    int64_t size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  std::string out;
  for (const Unit& u : kUnits) {
    if (ms >= u.size) {
      out += std::to_string(ms / u.size) + u.name;
      ms %= u.size;
    }
  }
  return out;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::string> lookup(std::string_view name, const TemplateVars& vars,
                                  std::string& why) {
  if (name == "namespace") return escapeLabelValue(vars.namespaceName);
  if (name == "interval") return promDuration(vars.interval);
  if (name == "targets") return regexAlternation(vars.targets);
  if (name == "baseline") return regexAlternation(vars.baseline);
  if (name == "deployment") {
    if (vars.deployment) return escapeLabelValue(*vars.deployment);
    why = "is only available in per-target queries";
    return std::nullopt;
  }
  if (name == "cohort") {
    if (vars.cohort) return regexAlternation(*vars.cohort);
    why = "is only available in baseline comparisons";
    return std::nullopt;
  }
  why = "is unknown (known: namespace, deployment, targets, baseline, cohort, interval)";
  return std::nullopt;
}

}  // namespace

base::Result<std::string, TemplateError> expandTemplate(std::string_view text,
                                                        const TemplateVars& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return base::fail(TemplateError{"unterminated \"{{\" at offset " + std::to_string(open)});
    }
    out.append(text.substr(pos, open - pos));
    std::string_view name = trim(text.substr(open + 2, close - open - 2));
    std::string why;
    auto value = lookup(name, vars, why);
    if (!value) {
      return base::fail(TemplateError{"variable {{" + std::string(name) + "}} at offset " +
                                      std::to_string(open) + " " + why});
    }
    out += *value;
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

std::vector<std::string> templateVariables(std::string_view text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string name(trim(text.substr(open + 2, close - open - 2)));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    pos = close + 2;
  }
  return names;
}

}  // namespace tro::controllers::analysis
