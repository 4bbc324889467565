#pragma once
// kubectl-telemetry's command line, parsed purely: verbs, the rollout name, and the flags kubectl
// users expect (-n/--namespace, -A/--all-namespaces, --context, --kubeconfig, --token, -w/--watch,
// --wait, --timeout, -h/--help), and --cluster for a ClusterTelemetryRollout. Flags may come before
// or after the verb, as `--flag value` or
// `--flag=value`. An error says what was wrong in one line.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::plugin {

enum class Verb { Get, List, Promote, Abort, Retry, Pause, Resume, Completion, Complete, Help };

struct CliArgs {
  Verb verb = Verb::Help;
  std::string name;                // the rollout (get and the controls)
  std::string shell;               // completion: bash | zsh
  std::vector<std::string> words;  // __complete: the words typed so far
  std::optional<std::string> ns;   // -n; nullopt: the kubeconfig context's, else "default"
  bool allNamespaces = false;      // list -A
  bool cluster = false;            // --cluster: ClusterTelemetryRollouts (no namespace)
  std::string context;
  std::string kubeconfig;
  std::string token;
  bool watch = false;  // get -w
  bool wait = false;   // controls: wait until the operator acted on it
  std::chrono::seconds timeout{300};
  std::optional<Verb> helpFor;  // -h after a verb: that verb's help
};

base::Result<CliArgs, std::string> parseCliArgs(const std::vector<std::string>& args);

// "get", "promote", ...
const char* verbName(Verb verb);
// The help text of one verb, or the overview for Verb::Help.
std::string helpText(Verb verb);

}  // namespace tro::plugin
