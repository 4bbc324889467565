#pragma once
// kubectl through a Kubesim fixture that must succeed: a non-zero exit is a test failure (not
// fatal) naming the command and showing its output. Returns stdout. Header-only, so that the
// fixture library itself does not depend on GoogleTest.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/kubesim_process.h"

namespace tro::testing {

inline std::string kubectlOk(Kubesim& kubesim, const std::vector<std::string>& args) {
  RunResult r = kubesim.kubectl(args);
  std::string command = "kubectl";
  for (const auto& arg : args) command += " " + arg;
  EXPECT_EQ(r.exitCode, 0) << command << "\nstdout: " << r.out << "\nstderr: " << r.err;
  return r.out;
}

}  // namespace tro::testing
