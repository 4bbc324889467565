#pragma once
// PromQL building blocks that keep resource fields from changing a query's meaning.
//
// Every value that comes from a resource (namespace, Deployment names) is escaped before it is
// placed in a query. Templates are user-written PromQL with {{variable}} placeholders:
//   {{namespace}}   the rollout's namespace, escaped for a "..." string literal (use with =, !=)
//   {{deployment}}  the one target the query is run for (only in per-target queries)
//   {{targets}}     the enabled Deployments as an anchored-safe regex group (?:a|b), for =~"..."
//   {{baseline}}    the not-yet-enabled Deployments, same form
//   {{cohort}}      only in baseline comparisons: {{targets}} on one run, {{baseline}} on the other
//   {{interval}}    the analysis interval as a PromQL duration ("1m", "1m30s"), unquoted
// Whitespace inside the braces is allowed ({{ targets }}). An unknown or unavailable variable,
// or an unterminated "{{", is an error naming it: a typo must not silently query something else.
// An empty set of names expands to a regex that matches nothing (never to "", which would match
// series without the label).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "operator/base/result.h"

namespace tro::controllers::analysis {

// Escapes for the inside of a double-quoted PromQL string: \ " newline, CR, tab, and other
// control characters as \xHH. UTF-8 passes through unchanged.
std::string escapeLabelValue(std::string_view value);

// Escapes RE2 metacharacters (\.+*?()|[]{}^$) so the value matches only itself. The result is a
// regex, not yet a string literal: pass it through escapeLabelValue() before quoting.
std::string escapeRegex(std::string_view value);

// "(?:a|b)" with each name regex-escaped and the whole string-escaped, ready for =~"...".
// Names are sorted and de-duplicated so the query text is stable.
std::string regexAlternation(std::vector<std::string> names);

// A PromQL duration literal: 90s -> "1m30s", 1500ms -> "1s500ms", 0 -> "0s".
std::string promDuration(std::chrono::nanoseconds d);

struct TemplateVars {
  std::string namespaceName;
  std::optional<std::string> deployment;  // unset: {{deployment}} is an error
  std::vector<std::string> targets;
  std::vector<std::string> baseline;
  std::optional<std::vector<std::string>> cohort;  // unset: {{cohort}} is an error
  std::chrono::nanoseconds interval{std::chrono::minutes(1)};
};

struct TemplateError {
  std::string message;  // "unknown variable {{target}} at offset 42"
};

base::Result<std::string, TemplateError> expandTemplate(std::string_view text,
                                                        const TemplateVars& vars);

// The variable names a template uses, in order of first use (for deciding per-target runs).
// Malformed templates yield what could be read; expandTemplate() reports the error.
std::vector<std::string> templateVariables(std::string_view text);

}  // namespace tro::controllers::analysis
