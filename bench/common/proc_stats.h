#pragma once
// Memory, threads and CPU time of a process as Linux reports them, for the fleet benchmarks'
// figures of kubesim and of the operator: VmRSS and VmHWM (peak RSS), RssAnon and Threads from
// /proc/<pid>/status, utime + stime from /proc/<pid>/stat. The parsers are pure; the readers read
// the files (nullopt when they cannot).

#include <sys/types.h>

#include <optional>
#include <string>

namespace tro::bench {

struct MemoryUsage {
  double rssMiB = 0;      // VmRSS
  double peakRssMiB = 0;  // VmHWM: the highest VmRSS so far
};

struct ProcessFigures {
  MemoryUsage memory;
  double rssAnonMiB = 0;  // RssAnon: the heap, stacks and other anonymous pages resident
  int threads = 0;        // Threads
};

// The text of /proc/<pid>/status; nullopt unless both VmRSS and VmHWM are there.
std::optional<MemoryUsage> parseProcStatus(const std::string& text);
// The same text; nullopt unless VmRSS, VmHWM, RssAnon (Linux 4.5 and later) and Threads are there.
std::optional<ProcessFigures> parseProcessFigures(const std::string& text);
// The text of /proc/<pid>/stat: utime + stime in clock ticks (fields 14 and 15).
std::optional<unsigned long long> parseProcStatTicks(const std::string& text);

std::optional<MemoryUsage> readMemory(pid_t pid);
std::optional<ProcessFigures> readProcessFigures(pid_t pid);
// utime + stime in seconds.
std::optional<double> readCpuSeconds(pid_t pid);
// /proc/<pid>/comm without its newline ("" when unreadable), to show which process is measured.
std::string readProcessName(pid_t pid);

}  // namespace tro::bench
