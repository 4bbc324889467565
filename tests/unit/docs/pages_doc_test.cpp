// The docs as a set of pages: relative links resolve, the Argo CD health check shown inline in
// the GitOps guide is the shipped docs/argocd/health.lua, and the README keeps its two commands
// and points to the docs index.

#include <gtest/gtest.h>

#include <regex>

#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

// Lines trimmed of leading/trailing whitespace, blank lines dropped, joined with "\n": the same
// text indented under a YAML block scalar compares equal.
std::string normalized(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    size_t e = line.find_last_not_of(" \t\r");
    out += line.substr(b, e - b + 1) + "\n";
  }
  return out;
}

// The Markdown without fenced blocks and code spans: a regex in a code span is not a link.
std::string withoutCode(const std::string& markdown) {
  static const std::regex fenced(R"re(```[\s\S]*?```)re");
  static const std::regex span(R"re(`[^`\n]*`)re");
  return std::regex_replace(std::regex_replace(markdown, fenced, ""), span, "");
}

std::vector<std::filesystem::path> markdownPages() {
  auto pages = sourceFiles(sourcePath("docs"), {".md"});
  pages.push_back(sourcePath("README.md"));
  return pages;
}

TEST(PagesDoc, RelativeLinksResolve) {
  static const std::regex link(R"(\]\(([^)#\s]+)(#[^)\s]*)?\))");
  std::set<std::string> broken;
  for (const auto& page : markdownPages()) {
    auto text = readFile(page);
    ASSERT_TRUE(text.ok()) << text.error().message;
    const std::string prose = withoutCode(*text);
    for (std::sregex_iterator it(prose.begin(), prose.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0) continue;
      if (!std::filesystem::exists(page.parent_path() / target)) {
        broken.insert(std::filesystem::relative(page, sourcePath("")).string() + " -> " + target);
      }
    }
  }
  EXPECT_TRUE(broken.empty()) << "links to files that do not exist: " << joined(broken);
}

TEST(PagesDoc, GitOpsGuideShowsTheShippedHealthCheck) {
  auto lua = readFile(sourcePath("docs/argocd/health.lua"));
  ASSERT_TRUE(lua.ok()) << lua.error().message;
  auto guide = readFile(sourcePath("docs/guides/gitops.md"));
  ASSERT_TRUE(guide.ok()) << guide.error().message;
  EXPECT_NE(guide->find("resource.customizations.health.rollout.telemetry.io_TelemetryRollout"),
            std::string::npos);
  EXPECT_NE(normalized(*guide).find(normalized(*lua)), std::string::npos)
      << "docs/guides/gitops.md must show docs/argocd/health.lua verbatim (indentation aside); "
         "copy the file into the argocd-cm example again";
}

TEST(PagesDoc, ReadmeKeepsItsTwoCommandsAndLinksTheDocs) {
  auto readme = readFile(sourcePath("README.md"));
  ASSERT_TRUE(readme.ok()) << readme.error().message;
  for (const char* needle : {"scripts/demo", "scripts/test", "(docs/README.md)"}) {
    EXPECT_NE(readme->find(needle), std::string::npos) << "README.md lost " << needle;
  }
  for (const char* script : {"scripts/demo", "scripts/test"}) {
    EXPECT_TRUE(std::filesystem::exists(sourcePath(script))) << script << " is missing";
  }
}

}  // namespace
}  // namespace tro::docs
