#pragma once
// The operator process: wires configuration, the Kubernetes client stack, metrics and health
// endpoints, leader election, informers and controllers, then runs until SIGTERM/SIGINT.
// Returns the process exit code.

#include <iosfwd>
#include <string>
#include <vector>

namespace tro::app {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tro::app
