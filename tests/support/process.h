#pragma once
// Child processes for integration tests: spawn with posix_spawn, stdout/stderr captured to files,
// wait with a deadline, terminate on destruction (SIGTERM, then SIGKILL after a grace period).
// Test-only (library tro_test_process). Not thread-safe: one owner per ChildProcess.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tro::testing {

struct RunResult {
  int exitCode = -1;  // -1: did not exit before the deadline (it was killed)
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path) with extra environment variables; output goes to files in `dir`.
  // The child is killed when the spawning thread's process dies (setpriv --pdeathsig), so a
  // crashed or killed test leaves nothing running.
  // Returns nullopt (with a reason in `error`) when the spawn fails.
  static std::optional<ChildProcess> spawn(const std::vector<std::string>& argv,
                                           const std::map<std::string, std::string>& env,
                                           const std::filesystem::path& dir, std::string& error);
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();  // terminate() if still running

  pid_t pid() const { return pid_; }
  // Exit code (128+signal when killed by a signal), or nullopt if still running at the deadline.
  std::optional<int> waitFor(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit code.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(5));
  void signal(int sig) const;
  std::string out() const;
  std::string err() const;

 private:
  ChildProcess(pid_t pid, std::filesystem::path outPath, std::filesystem::path errPath)
      : pid_(pid), outPath_(std::move(outPath)), errPath_(std::move(errPath)) {}
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
  std::filesystem::path outPath_;
  std::filesystem::path errPath_;
};

// Runs a command to completion (killing it at the deadline) and returns its output.
RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::filesystem::path& dir,
              std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A fresh directory under the system temp directory, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& path);
// Polls for `path` to exist with non-empty content until the deadline.
bool waitForFile(const std::filesystem::path& path, std::chrono::milliseconds timeout);

}  // namespace tro::testing

// The helper started life in tests/integration/kubesim under this name; kept so code written
// against it still compiles.
namespace kubesim::testing {
using namespace tro::testing;
}  // namespace kubesim::testing
