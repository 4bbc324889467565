#include "kubesim_instance.h"

#include <fstream>

namespace kubesim::testing {

using namespace std::chrono_literals;

std::unique_ptr<KubesimInstance> KubesimInstance::start(const std::vector<std::string>& extraFlags,
                                                        std::string& error) {
  auto k = std::make_unique<KubesimInstance>();
  if (k->dir().empty()) {
    error = "cannot create a temp dir";
    return nullptr;
  }
  std::vector<std::string> argv = {KUBESIM_BINARY, "--port", "0", "--kubeconfig-out",
                                   k->kubeconfig().string()};
  argv.insert(argv.end(), extraFlags.begin(), extraFlags.end());
  auto process = ChildProcess::spawn(argv, k->env(), k->dir(), error);
  if (!process) return nullptr;
  k->process_.emplace(std::move(*process));
  if (!waitForFile(k->kubeconfig(), 30s)) {
    error = "kubesim wrote no kubeconfig within 30s; stderr:\n" + k->process_->err();
    return nullptr;
  }
  return k;
}

KubesimInstance::~KubesimInstance() {
  if (process_) process_->terminate();
}

std::map<std::string, std::string> KubesimInstance::env() const {
  // kubectl must not read or write the user's ~/.kube.
  return {{"HOME", dir().string()}, {"KUBECONFIG", kubeconfig().string()}};
}

std::vector<std::string> KubesimInstance::kubectlArgv(const std::vector<std::string>& args) {
  const auto cache = dir() / ("cache-" + std::to_string(calls_++));
  std::vector<std::string> argv = {KUBECTL_BINARY, "--kubeconfig", kubeconfig().string(),
                                   "--cache-dir", cache.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunResult KubesimInstance::kubectl(const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout) {
  return run(kubectlArgv(args), env(), dir(), timeout);
}

std::optional<ChildProcess> KubesimInstance::kubectlAsync(const std::vector<std::string>& args) {
  std::string error;
  return ChildProcess::spawn(kubectlArgv(args), env(), dir(), error);
}

std::string KubesimInstance::writeManifest(const std::string& name, const std::string& content) {
  const auto path = dir() / name;
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace kubesim::testing
