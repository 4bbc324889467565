#include "bench/common/proc_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tro::bench {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string procPath(pid_t pid, const char* file) {
  return "/proc/" + std::to_string(pid) + "/" + file;
}

// "Threads:\t 12" -> 12; nullopt when the line is absent.
std::optional<double> numberLine(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream fields(line.substr(key.size() + 1));
    double value = 0;
    if (!(fields >> value)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

// "VmRSS:\t  123456 kB" -> MiB; nullopt when the line is absent.
std::optional<double> kilobytesLine(const std::string& text, const std::string& key) {
  const auto kB = numberLine(text, key);
  if (!kB) return std::nullopt;
  return *kB / 1024.0;
}

}  // namespace

std::optional<MemoryUsage> parseProcStatus(const std::string& text) {
  const auto rss = kilobytesLine(text, "VmRSS");
  const auto peak = kilobytesLine(text, "VmHWM");
  if (!rss || !peak) return std::nullopt;
  return MemoryUsage{*rss, *peak};
}

std::optional<ProcessFigures> parseProcessFigures(const std::string& text) {
  const auto memory = parseProcStatus(text);
  const auto anon = kilobytesLine(text, "RssAnon");
  const auto threads = numberLine(text, "Threads");
  if (!memory || !anon || !threads) return std::nullopt;
  return ProcessFigures{*memory, *anon, static_cast<int>(*threads)};
}

std::optional<unsigned long long> parseProcStatTicks(const std::string& text) {
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::vector<std::string> after;  // field 3 (state) onwards
  std::string field;
  while (after.size() < 13 && fields >> field) after.push_back(field);
  if (after.size() < 13) return std::nullopt;
  try {
    return std::stoull(after[11]) + std::stoull(after[12]);  // fields 14 (utime), 15 (stime)
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<MemoryUsage> readMemory(pid_t pid) {
  return parseProcStatus(readAll(procPath(pid, "status")));
}

std::optional<ProcessFigures> readProcessFigures(pid_t pid) {
  return parseProcessFigures(readAll(procPath(pid, "status")));
}

std::optional<double> readCpuSeconds(pid_t pid) {
  const auto ticks = parseProcStatTicks(readAll(procPath(pid, "stat")));
  const long perSecond = sysconf(_SC_CLK_TCK);
  if (!ticks || perSecond <= 0) return std::nullopt;
  return static_cast<double>(*ticks) / static_cast<double>(perSecond);
}

std::string readProcessName(pid_t pid) {
  std::string name = readAll(procPath(pid, "comm"));
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
  return name;
}

}  // namespace tro::bench
