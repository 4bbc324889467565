#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

extern char** environ;

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
constexpr auto kPoll = 10ms;
constexpr const char* kSetpriv = "/usr/bin/setpriv";

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> all;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) all[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : all) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Creates an empty, uniquely named file in `dir` (empty path on failure).
std::filesystem::path uniqueFile(const std::filesystem::path& dir, const std::string& suffix) {
  std::string pattern = (dir / ("proc-XXXXXX." + suffix)).string();
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size() + 1));
  if (fd < 0) return {};
  ::close(fd);
  return pattern;
}

int decodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::optional<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                                const std::map<std::string, std::string>& env,
                                                const std::filesystem::path& dir,
                                                std::string& error) {
  const auto outPath = uniqueFile(dir, "out");
  const auto errPath = uniqueFile(dir, "err");
  if (outPath.empty() || errPath.empty()) {
    error = "cannot create capture files in " + dir.string();
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  // The child dies with the test: setpriv (util-linux) sets PR_SET_PDEATHSIG, which outlives its
  // exec, so a test binary that crashes or is killed takes kubesim, Prometheus and the operator
  // down with it. (The signal follows the spawning thread: spawn from a thread that outlives
  // the child, as every caller does.)
  std::vector<std::string> args;
  if (std::filesystem::exists(kSetpriv)) args = {kSetpriv, "--pdeathsig", "KILL", "--"};
  args.insert(args.end(), argv.begin(), argv.end());
  std::vector<std::string> envStrings = mergedEnvironment(env);
  auto argvPtrs = pointers(args);
  auto envPtrs = pointers(envStrings);
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, args.at(0).c_str(), &actions, nullptr, argvPtrs.data(), envPtrs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = "posix_spawn " + argv.at(0) + ": " + std::strerror(rc);
    return std::nullopt;
  }
  return ChildProcess(pid, outPath, errPath);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exitCode_(other.exitCode_),
      outPath_(std::move(other.outPath_)),
      errPath_(std::move(other.errPath_)) {}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exitCode_) terminate();
}

std::optional<int> ChildProcess::waitFor(std::chrono::milliseconds timeout) {
  if (exitCode_ || pid_ <= 0) return exitCode_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exitCode_ = decodeStatus(status);
      return exitCode_;
    }
    if (r < 0 && errno != EINTR) return std::nullopt;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPoll);  // polling the child's state, not synchronising
  }
}

void ChildProcess::signal(int sig) const {
  if (pid_ > 0 && !exitCode_) ::kill(pid_, sig);
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto code = waitFor(grace)) return *code;
  signal(SIGKILL);
  return waitFor(std::chrono::seconds(10)).value_or(-1);
}

std::string ChildProcess::out() const { return readFile(outPath_); }
std::string ChildProcess::err() const { return readFile(errPath_); }

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::filesystem::path& dir, std::chrono::milliseconds timeout) {
  std::string error;
  auto child = ChildProcess::spawn(argv, env, dir, error);
  if (!child) return RunResult{-1, "", error};
  RunResult result;
  auto code = child->waitFor(timeout);
  if (!code) child->terminate(std::chrono::seconds(1));
  result.exitCode = code.value_or(-1);
  result.out = child->out();
  result.err = child->err();
  return result;
}

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool waitForFile(const std::filesystem::path& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) > 0 && !ec) return true;
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

}  // namespace tro::testing
