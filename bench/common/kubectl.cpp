#include "bench/common/kubectl.h"

namespace tro::bench {

const char* Kubectl::binary() { return KUBECTL_BINARY; }

testing::RunResult Kubectl::run(const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv = {KUBECTL_BINARY, "--kubeconfig", kubeconfig_.string(),
                                   "--cache-dir", (workDir_ / "kube-cache").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run(argv, {{"HOME", workDir_.string()}, {"KUBECONFIG", kubeconfig_.string()}},
                      workDir_, timeout);
}

}  // namespace tro::bench
