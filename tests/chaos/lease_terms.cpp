#include "tests/chaos/lease_terms.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "operator/base/rfc3339.h"

namespace tro::testing::chaos {
namespace {

using Json = nlohmann::json;

struct Entry {
  std::string verb, resource, ns, name, agent, received;
  int code = 0;
  base::TimePoint receivedAt, completedAt;
};

std::optional<Entry> entryOf(const std::string& line) {
  const Json e = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!e.is_object() || e.value("kind", "") != "Event") return std::nullopt;
  Entry out;
  out.verb = e.value("verb", "");
  out.agent = e.value("userAgent", "");
  out.code = e.value(Json::json_pointer("/responseStatus/code"), 0);
  const Json ref = e.value("objectRef", Json::object());
  out.resource = ref.value("resource", "");
  out.ns = ref.value("namespace", "");
  out.name = ref.value("name", "");
  out.received = e.value("requestReceivedTimestamp", "");
  auto received = base::parseRfc3339(out.received);
  auto completed = base::parseRfc3339(e.value("stageTimestamp", ""));
  if (!received || !completed) return std::nullopt;
  out.receivedAt = *received;
  out.completedAt = *completed;
  return out;
}

bool isWrite(const std::string& verb) {
  return verb == "create" || verb == "update" || verb == "patch" || verb == "delete" ||
         verb == "deletecollection";
}

}  // namespace

TermReport analyzeTerms(const std::string& auditLog, const std::string& lease,
                        const std::string& agentPrefix) {
  TermReport report;
  std::vector<Entry> writes;
  // A last line without its newline is still being written: not judged.
  const std::size_t complete = auditLog.rfind('\n');
  std::istringstream in(complete == std::string::npos ? "" : auditLog.substr(0, complete + 1));
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto e = entryOf(line);
    if (!e) {
      ++report.malformed;
      continue;
    }
    if (!e->agent.starts_with(agentPrefix) || !isWrite(e->verb)) continue;
    if (e->resource == "leases" && e->name == lease) {
      const bool held = e->code == 200 || e->code == 201;
      if (held && (report.terms.empty() || report.terms.back().holder != e->agent))
        report.terms.push_back({e->agent, e->completedAt, 0});
      continue;
    }
    writes.push_back(std::move(*e));
  }
  // Lines are in completion order, but each takes its time before the log's lock: order the
  // terms by their start.
  std::stable_sort(report.terms.begin(), report.terms.end(),
                   [](const Term& a, const Term& b) { return a.start < b.start; });
  report.writes = static_cast<int>(writes.size());
  for (const Entry& w : writes) {
    // The last term that started at or before the write arrived.
    auto after =
        std::upper_bound(report.terms.begin(), report.terms.end(), w.receivedAt,
                         [](base::TimePoint t, const Term& term) { return t < term.start; });
    const std::string what = w.verb + " " + w.resource + " " + w.ns + "/" + w.name + " at " +
                             w.received + " (" + std::to_string(w.code) + ")";
    if (after == report.terms.begin()) {
      report.doubleWrites.push_back({w.agent, "(no term yet)", what});
      continue;
    }
    Term& term = *std::prev(after);
    if (term.holder == w.agent) {
      ++term.writes;
    } else {
      report.doubleWrites.push_back({w.agent, term.holder, what});
    }
  }
  return report;
}

}  // namespace tro::testing::chaos
