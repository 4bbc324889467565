#pragma once
// Helpers of the docs drift tests: reading files, picking names out of Markdown tables and source
// code, running a binary for its --help, and reporting differences by name. Throw nothing: a file
// that cannot be read or a command that cannot run is an error value the test reports.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::docs {

struct DocError {
  std::string message;
};

// Paths of the source tree (compile definition TRO_SOURCE_DIR).
std::filesystem::path sourcePath(const std::string& relative);

base::Result<std::string, DocError> readFile(const std::filesystem::path& path);

// Standard output of `command` (run through /bin/sh); an error when it cannot start or exits
// with a non-zero status.
base::Result<std::string, DocError> runCommand(const std::string& command);

// One row of a Markdown table: its cells, trimmed, with "\|" unescaped.
struct TableRow {
  std::vector<std::string> cells;
  std::string header;  // the first cell of the table's header row, e.g. "Field"
  std::string line;    // the raw line, for messages
};

// Every body row of every table (header and |---| separator rows skipped).
std::vector<TableRow> tableRows(const std::string& markdown);

// The `code spans` in a piece of Markdown, in order.
std::vector<std::string> codeSpans(const std::string& text);

// All `code spans` anywhere in the text, as a set.
std::set<std::string> allCodeSpans(const std::string& markdown);

// "a, b, c" for messages.
std::string joined(const std::set<std::string>& names);

// Elements of `a` that are not in `b`.
std::set<std::string> missingFrom(const std::set<std::string>& a, const std::set<std::string>& b);

// Files under `dir` (recursively) whose name ends with one of `extensions`, skipping any path
// with a component named "testing" (fakes, not product code).
std::vector<std::filesystem::path> sourceFiles(const std::filesystem::path& dir,
                                               const std::vector<std::string>& extensions);

// The text with // and /* */ comments removed (string literals respected).
std::string stripComments(const std::string& source);

}  // namespace tro::docs
