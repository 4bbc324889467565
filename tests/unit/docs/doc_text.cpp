#include "tests/unit/docs/doc_text.h"

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace tro::docs {

std::filesystem::path sourcePath(const std::string& relative) {
  return std::filesystem::path(TRO_SOURCE_DIR) / relative;
}

base::Result<std::string, DocError> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::fail(DocError{"cannot read " + path.string()});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

base::Result<std::string, DocError> runCommand(const std::string& command) {
  struct Closer {
    void operator()(FILE* f) const {
      if (f != nullptr) pclose(f);
    }
  };
  FILE* raw = popen(command.c_str(), "r");
  if (raw == nullptr) return base::fail(DocError{"cannot run: " + command});
  std::unique_ptr<FILE, Closer> pipe(raw);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  int status = pclose(pipe.release());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return base::fail(DocError{"command failed (status " + std::to_string(status) +
                               "): " + command + "\noutput:\n" + out});
  }
  return out;
}

namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> splitRow(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::string body = trim(line);
  // Leading and trailing pipes delimit the row, they do not start cells.
  if (!body.empty() && body.front() == '|') body.erase(0, 1);
  if (!body.empty() && body.back() == '|' && (body.size() < 2 || body[body.size() - 2] != '\\'))
    body.pop_back();
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (body[i] == '|') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += body[i];
    }
  }
  cells.push_back(trim(cell));
  return cells;
}

bool isSeparator(const std::vector<std::string>& cells) {
  for (const auto& c : cells) {
    if (c.find_first_not_of("-: ") != std::string::npos || c.empty()) return false;
  }
  return true;
}

}  // namespace

std::vector<TableRow> tableRows(const std::string& markdown) {
  std::vector<TableRow> rows;
  std::istringstream in(markdown);
  std::string line;
  std::string header;
  bool inTable = false;
  bool inFence = false;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.rfind("```", 0) == 0) inFence = !inFence;
    if (inFence || t.empty() || t.front() != '|') {
      inTable = false;
      continue;
    }
    auto cells = splitRow(t);
    if (!inTable) {
      inTable = true;
      header = cells.empty() ? "" : cells.front();
      continue;
    }
    if (isSeparator(cells)) continue;
    rows.push_back({std::move(cells), header, line});
  }
  return rows;
}

std::vector<std::string> codeSpans(const std::string& text) {
  std::vector<std::string> spans;
  size_t pos = 0;
  while ((pos = text.find('`', pos)) != std::string::npos) {
    size_t ticks = text.find_first_not_of('`', pos) - pos;
    if (ticks >= 3) {  // a fence marker, not a span
      pos += ticks;
      continue;
    }
    std::string marker(ticks, '`');
    size_t end = text.find(marker, pos + ticks);
    if (end == std::string::npos) break;
    spans.push_back(trim(text.substr(pos + ticks, end - pos - ticks)));
    pos = end + ticks;
  }
  return spans;
}

std::set<std::string> allCodeSpans(const std::string& markdown) {
  auto spans = codeSpans(markdown);
  return {spans.begin(), spans.end()};
}

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::set<std::string> missingFrom(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (!b.contains(x)) out.insert(x);
  }
  return out;
}

std::vector<std::filesystem::path> sourceFiles(const std::filesystem::path& dir,
                                               const std::vector<std::string>& extensions) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    bool testing = false;
    for (const auto& part : it->path()) testing = testing || part == "testing";
    if (testing) continue;
    for (const auto& ext : extensions) {
      if (it->path().extension() == ext) out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string stripComments(const std::string& source) {
  std::string out;
  out.reserve(source.size());
  enum class State { Code, String, Char, Line, Block } state = State::Code;
  for (size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    char next = i + 1 < source.size() ? source[i + 1] : '\0';
    switch (state) {
      case State::Code:
        if (c == '/' && next == '/') {
          state = State::Line;
          ++i;
        } else if (c == '/' && next == '*') {
          state = State::Block;
          ++i;
        } else {
          if (c == '"') state = State::String;
          if (c == '\'') state = State::Char;
          out += c;
        }
        break;
      case State::String:
      case State::Char:
        out += c;
        if (c == '\\' && next != '\0') {
          out += next;
          ++i;
        } else if ((state == State::String && c == '"') || (state == State::Char && c == '\'')) {
          state = State::Code;
        }
        break;
      case State::Line:
        if (c == '\n') {
          state = State::Code;
          out += c;
        }
        break;
      case State::Block:
        if (c == '*' && next == '/') {
          state = State::Code;
          ++i;
        } else if (c == '\n') {
          out += c;  // keep line numbers
        }
        break;
    }
  }
  return out;
}

}  // namespace tro::docs
