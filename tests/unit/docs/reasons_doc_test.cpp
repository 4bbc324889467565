// Every condition type, condition reason, Event reason, phase, target state and annotation the
// controller uses appears in docs/reference/conditions-and-events.md, and every reason the
// page's tables list is one the code uses.
//
// Condition types and annotations are constants (conditions.h, annotations.h), read here
// directly. Reasons are string literals spread over the planner's .cpp files, so they are read
// from the sources: every CamelCase literal on a line that emits an Event, sets a condition
// reason (subReason_/phaseReason_), restarts or starts a rollback, or otherwise mentions a reason.

#include <gtest/gtest.h>

#include <regex>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/conditions.h"
#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

constexpr const char* kPage = "docs/reference/conditions-and-events.md";

struct Scanned {
  std::map<std::string, std::string> names;                 // literal -> "file:line" of first use
  std::map<std::string, std::set<std::string>> eventTypes;  // reason -> Normal/Warning
};

Scanned scanSources() {
  Scanned out;
  static const std::regex relevant(
      R"re(event\(|PlannedEvent::Type|reason|Reason_|restart\(|startRollback\(|\{(Phase|TargetState)::)re",
      std::regex::icase);
  static const std::regex literal(R"re("([A-Z][A-Za-z]+)")re");
  static const std::regex typed(
      R"re(PlannedEvent::Type::(Normal|Warning),\s*"([A-Z][A-Za-z]+)")re");
  for (const auto& file : sourceFiles(sourcePath("controllers"), {".cpp"})) {
    auto text = readFile(file);
    if (!text.ok()) {
      ADD_FAILURE() << text.error().message;
      continue;
    }
    std::string code = stripComments(*text);
    for (std::sregex_iterator it(code.begin(), code.end(), typed), end; it != end; ++it)
      out.eventTypes[(*it)[2]].insert((*it)[1]);
    std::istringstream in(code);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (!std::regex_search(line, relevant)) continue;
      for (std::sregex_iterator it(line.begin(), line.end(), literal), end; it != end; ++it) {
        out.names.emplace((*it)[1], file.filename().string() + ":" + std::to_string(n));
      }
    }
  }
  return out;
}

TEST(ReasonsDoc, EveryReasonInTheCodeIsDocumented) {
  Scanned scanned = scanSources();
  ASSERT_GT(scanned.names.size(), 20u) << "the source scan found too few reasons";
  auto page = readFile(sourcePath(kPage));
  ASSERT_TRUE(page.ok()) << page.error().message;
  auto spans = allCodeSpans(*page);

  std::set<std::string> missing;
  for (const auto& [name, where] : scanned.names) {
    if (!spans.contains(name)) missing.insert(name + " (" + where + ")");
  }
  EXPECT_TRUE(missing.empty()) << "reasons, phases or states used by the controller but not "
                                  "written as `code` anywhere in "
                               << kPage << ": " << joined(missing);

  std::set<std::string> constants{
      controllers::kConditionReady,          controllers::kConditionProgressing,
      controllers::kConditionStalled,        controllers::annotations::kPromote,
      controllers::annotations::kAbort,      controllers::annotations::kRetry,
      controllers::annotations::kOwner,      controllers::annotations::kState,
      controllers::annotations::kConfigHash, controllers::annotations::kRestore,
      controllers::annotations::kFinalizer,  controllers::annotations::kFieldManager};
  auto undocumented = missingFrom(constants, spans);
  EXPECT_TRUE(undocumented.empty())
      << "condition types or annotations missing from " << kPage << ": " << joined(undocumented);
}

TEST(ReasonsDoc, ReasonTablesListOnlyReasonsTheCodeUses) {
  Scanned scanned = scanSources();
  auto page = readFile(sourcePath(kPage));
  ASSERT_TRUE(page.ok()) << page.error().message;
  std::set<std::string> listed;
  int eventRows = 0;
  for (const auto& row : tableRows(*page)) {
    bool events = row.header == "Event reason";
    if (!events && row.header != "Condition reason" && row.header != "Rollback reason") continue;
    eventRows += events ? 1 : 0;
    for (const auto& reason : codeSpans(row.cells.front())) {
      listed.insert(reason);
      auto types = scanned.eventTypes.find(reason);
      if (!events || row.cells.size() < 2 || types == scanned.eventTypes.end()) continue;
      for (const auto& type : types->second) {
        EXPECT_NE(row.cells[1].find(type), std::string::npos)
            << kPage << ": Event " << reason << " is emitted as " << type << "; row: " << row.line;
      }
    }
  }
  EXPECT_GT(eventRows, 15) << kPage << ": no table headed \"Event reason\" found";
  std::set<std::string> known;
  for (const auto& [name, where] : scanned.names) known.insert(name);
  auto unknown = missingFrom(listed, known);
  EXPECT_TRUE(unknown.empty()) << "reasons listed in the tables of " << kPage
                               << " that the controller never uses: " << joined(unknown);
}

}  // namespace
}  // namespace tro::docs
