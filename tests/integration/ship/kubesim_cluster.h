#pragma once
// A kubesim binary started for the packaging tests, driven with the real kubectl. Ready once
// kubesim has written its kubeconfig; stopped (SIGTERM) on destruction. Every kubectl call gets
// a fresh --cache-dir so discovery reflects CRDs applied a moment ago.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::ship {

class KubesimCluster {
 public:
  // Error: nullptr, with the reason and kubesim's stderr in `error`.
  static std::unique_ptr<KubesimCluster> start(std::string& error);
  KubesimCluster() : dir_("ship-it") {}  // use start()
  ~KubesimCluster();
  KubesimCluster(const KubesimCluster&) = delete;
  KubesimCluster& operator=(const KubesimCluster&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  testing::RunResult kubectl(const std::vector<std::string>& args);
  // Writes `content` into the cluster's temp dir; returns the path (for kubectl -f).
  std::string writeFile(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path kubeconfig() const { return dir() / "kubeconfig"; }

  testing::TempDir dir_;
  std::optional<testing::ChildProcess> process_;
  int calls_ = 0;
};

}  // namespace tro::ship
