#include "tests/integration/ship/kubesim_cluster.h"

#include <fstream>

namespace tro::ship {

using namespace std::chrono_literals;

std::unique_ptr<KubesimCluster> KubesimCluster::start(std::string& error) {
  auto c = std::make_unique<KubesimCluster>();
  if (c->dir().empty()) {
    error = "cannot create a temp dir";
    return nullptr;
  }
  auto process = testing::ChildProcess::spawn(
      {KUBESIM_BINARY, "--port", "0", "--kubeconfig-out", c->kubeconfig().string()}, {}, c->dir(),
      error);
  if (!process) return nullptr;
  c->process_.emplace(std::move(*process));
  if (!testing::waitForFile(c->kubeconfig(), 30s)) {
    error = "kubesim wrote no kubeconfig within 30s; stderr:\n" + c->process_->err();
    return nullptr;
  }
  return c;
}

KubesimCluster::~KubesimCluster() {
  if (process_) process_->terminate();
}

testing::RunResult KubesimCluster::kubectl(const std::vector<std::string>& args) {
  const auto cache = dir() / ("cache-" + std::to_string(calls_++));
  std::vector<std::string> argv = {KUBECTL_BINARY, "--kubeconfig", kubeconfig().string(),
                                   "--cache-dir", cache.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  // kubectl must not read or write the user's ~/.kube.
  return testing::run(argv, {{"HOME", dir().string()}, {"KUBECONFIG", kubeconfig().string()}},
                      dir());
}

std::string KubesimCluster::writeFile(const std::string& name, const std::string& content) const {
  const auto path = dir() / name;
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace tro::ship
