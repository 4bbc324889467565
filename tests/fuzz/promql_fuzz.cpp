// PromQL templating and escaping (promql.h): what keeps a resource's names from changing a
// query's meaning. Input lines: the template, the namespace, the deployment, then names that go
// alternately to {{targets}} and {{baseline}} (cohort = targets).
// Invariants: escapeLabelValue's output is a safe "..." body (no unescaped quote, no raw control
// byte) that reads back as the value; regexAlternation's regex, read back from its literal and
// compiled with SafeRegex, matches each name and not a name outside the set.

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/promql.h"
#include "controllers/analysis/safe_regex.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace tro::controllers::analysis;
using tro::fuzz::require;

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of a PromQL "..." body with the escapes escapeLabelValue writes; nullopt when it
// holds an unescaped quote, a raw control byte or another escape.
std::optional<std::string> unquote(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c < 0x20 || c == 0x7f) return std::nullopt;
    if (c != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return std::nullopt;
    switch (s[i]) {
      case '\\':
      case '"':
        out += s[i];
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x': {
        if (i + 2 >= s.size() || hexDigit(s[i + 1]) < 0 || hexDigit(s[i + 2]) < 0) {
          return std::nullopt;
        }
        out += static_cast<char>(hexDigit(s[i + 1]) * 16 + hexDigit(s[i + 2]));
        i += 2;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

void checkEscape(std::string_view value) {
  const auto back = unquote(escapeLabelValue(value));
  require(back.has_value() && *back == value);
}

void checkAlternation(const std::vector<std::string>& names) {
  const auto regex = unquote(regexAlternation(names));
  require(regex.has_value());
  const auto compiled = SafeRegex::compile(*regex);
  if (!compiled.ok()) return;  // over SafeRegex's size limits, or names that are not UTF-8
  for (const auto& name : names) require(compiled->fullMatch(name));
  const std::string outsider = names.empty() ? std::string() : names.front() + "~";
  if (std::find(names.begin(), names.end(), outsider) == names.end()) {
    require(!compiled->fullMatch(outsider));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  std::vector<std::string> lines;
  std::string_view rest = tro::fuzz::asText(data, size);
  while (true) {
    const size_t nl = rest.find('\n');
    lines.emplace_back(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  lines.resize(std::max<size_t>(lines.size(), 3));
  TemplateVars vars;
  vars.namespaceName = lines[1];
  vars.deployment = lines[2];
  for (size_t i = 3; i < lines.size(); ++i) {
    (i % 2 ? vars.targets : vars.baseline).push_back(lines[i]);
  }
  vars.cohort = vars.targets;
  vars.interval = std::chrono::milliseconds(size * 1537);
  (void)expandTemplate(lines[0], vars);
  (void)templateVariables(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) checkEscape(lines[i]);
  checkAlternation(vars.targets);
  checkAlternation(vars.baseline);
  return 0;
}
