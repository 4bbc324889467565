// kubectl-telemetry: a kubectl plugin to watch and steer TelemetryRollouts
// (docs/guides/kubectl-plugin.md). kubectl runs it for `kubectl telemetry ...`; it reads the
// kubeconfig as kubectl does (--kubeconfig, $KUBECONFIG, ~/.kube/config, --context) and talks to
// the API server through the operator's own client stack.

#include <unistd.h>

#include <iostream>
#include <stop_token>
#include <string>
#include <vector>

#include "operator/kube/kubeconfig.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport/cpprest_transport.h"
#include "plugin/cli_args.h"
#include "plugin/commands.h"
#include "plugin/completion.h"
#include "plugin/exit_codes.h"

int main(int argc, char** argv) {
  using namespace tro;
  std::vector<std::string> words(argv + 1, argv + argc);
  auto args = plugin::parseCliArgs(words);
  if (!args.ok()) {
    std::cerr << "error: " << args.error() << "\n";
    return plugin::kExitUsage;
  }
  plugin::Terminal term{std::cout, std::cerr, isatty(STDOUT_FILENO) == 1};
  base::SystemClock clock;
  std::stop_source stop;  // get -w and --wait end with the process (Ctrl-C)
  if (args->verb == plugin::Verb::Help) {
    std::cout << plugin::helpText(args->helpFor.value_or(plugin::Verb::Help));
    return plugin::kExitOk;
  }
  if (args->verb == plugin::Verb::Completion) {
    std::cout << plugin::completionScript(args->shell);
    return plugin::kExitOk;
  }

  auto config = kube::loadClusterConfig(args->kubeconfig, args->context);
  if (!config.ok()) {
    if (args->verb == plugin::Verb::Complete) return plugin::kExitOk;  // nothing to offer
    std::cerr << "error: " << config.error().message << "\n";
    return plugin::kExitError;
  }
  if (!args->token.empty()) {
    config->token = args->token;
    config->tokenFile.clear();
    config->username.clear();
    config->password.clear();
  }
  config->userAgent = "kubectl-telemetry";
  const std::string ns =
      args->ns.value_or(config->namespace_.empty() ? "default" : config->namespace_);
  auto transport = kube::transport::makeHttpTransport(*config, {});
  if (!transport.ok()) {
    std::cerr << "error: " << transport.error().message << "\n";
    return plugin::kExitError;
  }
  kube::RestClient api(**transport);
  return plugin::runCommand(*args, api, ns, clock, term, stop.get_token());
}
