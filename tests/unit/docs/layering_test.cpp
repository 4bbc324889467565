// The controller library's shape (docs/architecture.md, issue 17):
//  - no include cycle between the directories of controllers/: api/ (the spec's value types)
//    sits below analysis/ and notify/, which sit below rollout/; a header that reaches back up
//    fails here with the cycle named;
//  - no function over 60 lines and no file over 450 without a reason in its first line
//    ("// Over 450 lines: ..."). Functions are found by the shape clang-format gives them: a
//    definition at namespace level or as a member of a class at namespace level, its body
//    closed by a brace alone at the definition's indentation.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

// Directory (under controllers/) -> the directories its files include, with one file each.
using Graph = std::map<std::string, std::map<std::string, std::string>>;

Graph includeGraph() {
  Graph graph;
  const std::filesystem::path root = sourcePath("controllers");
  const std::regex include(R"re(#include\s+"controllers/([a-z_]+)/)re");
  for (const auto& file : sourceFiles(root, {".h", ".cpp"})) {
    const std::string from = std::filesystem::relative(file, root).begin()->string();
    auto text = readFile(file);
    if (!text.ok()) {
      ADD_FAILURE() << text.error().message;
      continue;
    }
    const std::string code = stripComments(*text);
    for (std::sregex_iterator it(code.begin(), code.end(), include), end; it != end; ++it) {
      const std::string to = (*it)[1];
      if (to != from) graph[from].emplace(to, file.filename().string());
    }
  }
  return graph;
}

// The first cycle found, as "a -> b (file) -> a (file)"; "" when there is none.
std::string findCycle(const Graph& graph) {
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::vector<std::string> path;
  std::string cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& dir) {
    state[dir] = 1;
    path.push_back(dir);
    if (auto edges = graph.find(dir); edges != graph.end()) {
      for (const auto& [to, file] : edges->second) {
        if (state[to] == 1) {
          for (auto it = std::find(path.begin(), path.end(), to); it != path.end(); ++it) {
            cycle += *it + " -> ";
          }
          cycle += to + " (" + file + ")";
          return true;
        }
        if (state[to] == 0 && visit(to)) return true;
      }
    }
    path.pop_back();
    state[dir] = 2;
    return false;
  };
  for (const auto& [dir, edges] : graph) {
    if (state[dir] == 0 && visit(dir)) break;
  }
  return cycle;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

size_t indentOf(const std::string& line) { return line.find_first_not_of(' '); }

bool endsWith(const std::string& s, char c) {
  const auto last = s.find_last_not_of(' ');
  return last != std::string::npos && s[last] == c;
}

// A line that cannot begin a function definition.
bool cannotStartFunction(const std::string& line) {
  static const std::regex keyword(
      R"re(^\s*((namespace|struct|class|enum|union|using|return|if|for|while|switch|case|default|else|do|friend|static_assert|typedef|template)\b|public:|private:|protected:|//|#|\}|:))re");
  return std::regex_search(line, keyword);
}

struct Function {
  size_t line;  // 1-based
  size_t length;
  std::string signature;
};

// Function definitions at indentation `indent` between lines [from, to).
void findFunctions(const std::vector<std::string>& lines, size_t indent, size_t from, size_t to,
                   std::vector<Function>& out) {
  std::optional<size_t> start;
  for (size_t i = from; i < to; ++i) {
    const std::string& l = lines[i];
    if (!start) {
      if (indentOf(l) == indent && !cannotStartFunction(l)) start = i;
      if (!start) continue;
    }
    const bool oneLiner = endsWith(l, '}') && l.find('{') != std::string::npos;
    if (endsWith(l, ';') || oneLiner) {
      start.reset();
      continue;
    }
    if (!endsWith(l, '{')) continue;
    const std::string close =
        std::string(indent, ' ') + (l.find(" = ") != std::string::npos ? "};" : "}");
    size_t end = i + 1;
    while (end < to && lines[end] != close) ++end;
    if (close.back() == '}') out.push_back({*start + 1, end - *start + 1, lines[*start]});
    start.reset();
    i = end;
  }
}

std::vector<Function> functionsOf(const std::vector<std::string>& lines) {
  std::vector<Function> out;
  findFunctions(lines, 0, 0, lines.size(), out);
  static const std::regex classStart(R"re(^(class|struct) \w+.*\{$)re");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!std::regex_search(lines[i], classStart)) continue;
    size_t end = i + 1;
    while (end < lines.size() && lines[end] != "};") ++end;
    findFunctions(lines, 2, i + 1, end, out);
    i = end;
  }
  return out;
}

TEST(Layering, NoFunctionOver60LinesNorFileOver450WithoutAReason) {
  const std::filesystem::path root = sourcePath("controllers");
  std::vector<std::string> found;
  size_t functions = 0;
  for (const auto& file : sourceFiles(root, {".h", ".cpp"})) {
    auto text = readFile(file);
    ASSERT_TRUE(text.ok()) << text.error().message;
    const std::vector<std::string> lines = linesOf(*text);
    const std::string name = std::filesystem::relative(file, root).string();
    if (lines.size() > 451 && lines[0].rfind("// Over 450 lines: ", 0) != 0) {
      found.push_back(name + ": " + std::to_string(lines.size() - 1) + " lines");
    }
    for (const Function& f : functionsOf(lines)) {
      ++functions;
      if (f.length > 60) {
        found.push_back(name + ":" + std::to_string(f.line) + ": " + std::to_string(f.length) +
                        " lines: " + f.signature);
      }
    }
  }
  EXPECT_GT(functions, 300u) << "the function finder lost its way";
  EXPECT_TRUE(found.empty()) << ::testing::PrintToString(found);
}

TEST(Layering, TheFunctionFinderMeasuresDefinitionsOnly) {
  const std::vector<std::string> lines = {
      "int declared(int x);",               // 1: a declaration
      "const std::vector<int> kTable = {",  // 2: an initializer
      "    1, 2,",                          //
      "};",                                 //
      "std::string name(const Json& j,",    // 5: a definition over two lines
      "                 int width) {",      //
      "  if (x) {",                         //
      "  }",                                //
      "  return s;",                        //
      "}",                                  // 10
      "class Parser {",                     //
      " public:",                           //
      "  int next() {",                     // 13: a member
      "    return i_++;",                   //
      "  }",                                // 15
      "  int peek() const { return i_; }",  // a one-line member
      "};",                                 //
  };
  const std::vector<Function> found = functionsOf(lines);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].line, 5u);
  EXPECT_EQ(found[0].length, 6u);
  EXPECT_EQ(found[1].line, 13u);
  EXPECT_EQ(found[1].length, 3u);
}

TEST(Layering, NoIncludeCycleBetweenControllerDirectories) {
  const Graph graph = includeGraph();
  ASSERT_FALSE(graph.empty()) << "no includes found under controllers/";
  EXPECT_EQ(findCycle(graph), "");
  // The order the architecture describes, pinned: the spec types include no other directory.
  EXPECT_EQ(graph.count("api"), 0u);
}

TEST(Layering, TheCycleFinderFindsACycle) {
  const Graph cyclic = {{"analysis", {{"rollout", "criteria.h"}}},
                        {"rollout", {{"analysis", "plan.h"}}}};
  EXPECT_EQ(findCycle(cyclic), "analysis -> rollout -> analysis (plan.h)");
  const Graph acyclic = {{"rollout", {{"analysis", "plan.h"}, {"api", "spec.h"}}},
                         {"analysis", {{"api", "criteria.h"}}}};
  EXPECT_EQ(findCycle(acyclic), "");
}

}  // namespace
}  // namespace tro::docs
