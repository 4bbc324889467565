#pragma once
// A running kubesim binary for integration tests: started with --kubeconfig-out into a private
// temp dir, ready once the kubeconfig appears; stopped with SIGTERM on destruction. kubectl()
// runs the real kubectl against it with a fresh --cache-dir per call, so discovery is never
// served from a stale cache.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace kubesim::testing {

class KubesimInstance {
 public:
  // Error: nullopt, with the reason (and kubesim's stderr) in `error`.
  static std::unique_ptr<KubesimInstance> start(const std::vector<std::string>& extraFlags,
                                                std::string& error);
  KubesimInstance() : dir_("kubesim-it") {}  // use start()
  ~KubesimInstance();
  KubesimInstance(const KubesimInstance&) = delete;
  KubesimInstance& operator=(const KubesimInstance&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path kubeconfig() const { return dir() / "kubeconfig"; }
  ChildProcess& process() { return *process_; }

  RunResult kubectl(const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Starts kubectl without waiting (for --watch); output is read from the process.
  std::optional<ChildProcess> kubectlAsync(const std::vector<std::string>& args);
  // Writes `content` to a file in the instance's directory and returns its path.
  std::string writeManifest(const std::string& name, const std::string& content);

 private:
  std::vector<std::string> kubectlArgv(const std::vector<std::string>& args);
  std::map<std::string, std::string> env() const;

  TempDir dir_;
  std::optional<ChildProcess> process_;
  int calls_ = 0;
};

}  // namespace kubesim::testing
