// Every flag a binary's --help prints is documented in its reference page, and every flag a
// reference table documents exists in --help. Defaults printed by --help must appear in the row.

#include <gtest/gtest.h>

#include <regex>

#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

struct HelpFlag {
  std::string line;          // the --help line naming the flag first
  std::string defaultValue;  // "(default X)" or "(default X; ...)", else ""
};

// Flags as the binary prints them: every --name token, with the line that introduces it.
std::map<std::string, HelpFlag> helpFlags(const std::string& help) {
  std::map<std::string, HelpFlag> out;
  static const std::regex flag(R"((^|[\s\[,])(--[a-z0-9][a-z0-9-]*))");
  static const std::regex def(R"(\(default ([^;)]+)[;)])");
  std::istringstream in(help);
  std::string line;
  while (std::getline(in, line)) {
    for (std::sregex_iterator it(line.begin(), line.end(), flag), end; it != end; ++it) {
      std::string name = (*it)[2];
      if (out.contains(name)) continue;
      HelpFlag f{line, ""};
      std::smatch m;
      // A default belongs to a flag only on a one-flag-per-line help (the operator's layout).
      if (it->position(2) <= 4 && std::regex_search(line, m, def)) f.defaultValue = m[1];
      out[name] = f;
    }
  }
  return out;
}

// Rows of the page whose first cell is a `--flag ...` code span: flag name -> the row's text.
std::map<std::string, std::string> documentedFlags(const std::string& page) {
  std::map<std::string, std::string> out;
  static const std::regex name(R"(^(--[a-z0-9][a-z0-9-]*))");
  for (const auto& row : tableRows(page)) {
    if (row.cells.empty()) continue;
    for (const auto& span : codeSpans(row.cells.front())) {
      std::smatch m;
      if (std::regex_search(span, m, name)) out[m[1]] = row.line;
    }
  }
  return out;
}

std::set<std::string> keys(const auto& map) {
  std::set<std::string> out;
  for (const auto& [k, v] : map) out.insert(k);
  return out;
}

void expectFlagsMatch(const std::string& binary, const std::string& pagePath) {
  auto help = runCommand("'" + binary + "' --help 2>&1");
  ASSERT_TRUE(help.ok()) << help.error().message;
  auto page = readFile(sourcePath(pagePath));
  ASSERT_TRUE(page.ok()) << page.error().message;

  auto printed = helpFlags(*help);
  auto documented = documentedFlags(*page);
  ASSERT_FALSE(printed.empty()) << "no --flags found in the --help of " << binary << ":\n" << *help;
  auto undocumented = missingFrom(keys(printed), keys(documented));
  EXPECT_TRUE(undocumented.empty())
      << "flags printed by `" << binary << " --help` but missing from the flag table of "
      << pagePath << ": " << joined(undocumented);
  auto unknown = missingFrom(keys(documented), keys(printed));
  EXPECT_TRUE(unknown.empty()) << "flags documented in " << pagePath << " but not printed by `"
                               << binary << " --help`: " << joined(unknown);
  for (const auto& [flag, h] : printed) {
    auto row = documented.find(flag);
    if (h.defaultValue.empty() || row == documented.end()) continue;
    EXPECT_NE(row->second.find(h.defaultValue), std::string::npos)
        << pagePath << ": the row of " << flag << " does not mention its default \""
        << h.defaultValue << "\" (--help: " << h.line << ")";
  }
}

TEST(FlagsDoc, OperatorHelpMatchesReference) {
  expectFlagsMatch(TRO_OPERATOR_BINARY, "docs/reference/operator-flags.md");
}

TEST(FlagsDoc, KubesimHelpMatchesReference) {
  expectFlagsMatch(TRO_KUBESIM_BINARY, "docs/reference/kubesim.md");
}

TEST(FlagsDoc, HelpParserReadsBothLayouts) {
  auto op = helpFlags(
      "  --leader-elect-lease-duration DURATION lease duration (default 15s)\n"
      "  --metrics-bind-address ADDR           address (default :8080; 0 disables)\n");
  ASSERT_EQ(op.size(), 2u);
  EXPECT_EQ(op["--leader-elect-lease-duration"].defaultValue, "15s");
  EXPECT_EQ(op["--metrics-bind-address"].defaultValue, ":8080");
  auto sim = helpFlags("usage: kubesim [--port N] [--bind ADDR]\n  [--fault-verbs V,...]\n");
  EXPECT_EQ(keys(sim), (std::set<std::string>{"--bind", "--fault-verbs", "--port"}));
  EXPECT_EQ(sim["--bind"].defaultValue, "");
}

// Knob annotations (kubesim/world) and operations endpoints (kubesim/http) are string literals in
// kubesim's sources; every one must be written as `code` in the kubesim page.
TEST(FlagsDoc, KubesimKnobsAndEndpointsAreDocumented) {
  auto page = readFile(sourcePath("docs/reference/kubesim.md"));
  ASSERT_TRUE(page.ok()) << page.error().message;
  std::set<std::string> documented;
  for (const auto& span : allCodeSpans(*page)) {
    documented.insert(span);
    // "GET /kubesim/faults" documents the path "/kubesim/faults".
    if (auto space = span.find(' '); space != std::string::npos) {
      documented.insert(span.substr(space + 1));
    }
  }
  static const std::regex literal(R"re("((kubesim\.io/[a-z0-9-]+)|(/kubesim/[a-z/]+))")re");
  std::set<std::string> used;
  for (const char* dir : {"kubesim/world", "kubesim/http"}) {
    for (const auto& file : sourceFiles(sourcePath(dir), {".cpp"})) {
      auto text = readFile(file);
      ASSERT_TRUE(text.ok()) << text.error().message;
      std::string code = stripComments(*text);
      for (std::sregex_iterator it(code.begin(), code.end(), literal), end; it != end; ++it) {
        used.insert((*it)[1]);
      }
    }
  }
  EXPECT_GE(used.size(), 10u) << "the scan found too few knobs and endpoints";
  auto missing = missingFrom(used, documented);
  EXPECT_TRUE(missing.empty())
      << "kubesim knobs or endpoints missing from docs/reference/kubesim.md: " << joined(missing);
}

}  // namespace
}  // namespace tro::docs
