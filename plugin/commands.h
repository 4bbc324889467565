#pragma once
// The I/O of kubectl-telemetry: each command reads and writes through a kube::ApiClient (the
// production RestClient, or a fake in tests) and prints to the given streams. Errors are one line
// on `err`, and the return value is an exit code (exit_codes.h).

#include <ostream>
#include <stop_token>
#include <string>

#include "operator/base/clock.h"
#include "operator/kube/api_client.h"
#include "plugin/cli_args.h"

namespace tro::plugin {

struct Terminal {
  std::ostream& out;
  std::ostream& err;
  bool tty = false;  // out is a terminal: get -w redraws in place and refreshes every second
};

// `ns`: the namespace to act in ("" with list -A). `stop` ends get -w and --wait early.
int runCommand(const CliArgs& args, kube::ApiClient& api, const std::string& ns,
               const base::Clock& clock, Terminal term, std::stop_token stop);

// The exit code and one-line message for an API error about `what` ("telemetryrollout \"x\"").
int reportError(const kube::Error& error, const std::string& what, const std::string& ns,
                std::ostream& err);

}  // namespace tro::plugin
