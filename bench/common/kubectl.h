#pragma once
// The real kubectl against kubesim as a runbook script would run it: one kubeconfig and ONE
// persistent discovery cache (the fixture's Kubesim::kubectl() gives every call a fresh cache so
// tests see new CRDs at once; that costs each call two discovery round trips a script would not
// pay, so the manual baselines here use a warm cache instead). HOME points into `workDir`.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::bench {

class Kubectl {
 public:
  Kubectl(std::filesystem::path kubeconfig, std::filesystem::path workDir)
      : kubeconfig_(std::move(kubeconfig)), workDir_(std::move(workDir)) {}

  testing::RunResult run(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(120)) const;
  // The kubectl binary this runs (for reports).
  static const char* binary();

 private:
  std::filesystem::path kubeconfig_;
  std::filesystem::path workDir_;
};

}  // namespace tro::bench
