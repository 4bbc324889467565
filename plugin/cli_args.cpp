#include "plugin/cli_args.h"

#include <array>
#include <utility>

#include "operator/base/duration.h"

namespace tro::plugin {

namespace {

struct VerbEntry {
  const char* name;
  Verb verb;
};

constexpr std::array<VerbEntry, 10> kVerbs{{
    {"get", Verb::Get},
    {"list", Verb::List},
    {"promote", Verb::Promote},
    {"abort", Verb::Abort},
    {"retry", Verb::Retry},
    {"pause", Verb::Pause},
    {"resume", Verb::Resume},
    {"completion", Verb::Completion},
    {"__complete", Verb::Complete},
    {"help", Verb::Help},
}};

std::optional<Verb> verbOf(const std::string& word) {
  for (const auto& v : kVerbs) {
    if (word == v.name) return v.verb;
  }
  return std::nullopt;
}

bool takesName(Verb v) {
  return v == Verb::Get || v == Verb::Promote || v == Verb::Abort || v == Verb::Retry ||
         v == Verb::Pause || v == Verb::Resume;
}

bool isControl(Verb v) { return takesName(v) && v != Verb::Get; }

}  // namespace

const char* verbName(Verb verb) {
  for (const auto& v : kVerbs) {
    if (v.verb == verb) return v.name;
  }
  return "help";
}

base::Result<CliArgs, std::string> parseCliArgs(const std::vector<std::string>& args) {
  CliArgs out;
  std::optional<Verb> verb;
  std::vector<std::string> positional;
  bool help = false;
  std::string nsValue;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (verb == Verb::Complete) {  // everything after __complete is what the user typed
      out.words.push_back(arg);
      continue;
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      if (!verb) {
        verb = verbOf(arg);
        if (!verb)
          return base::fail("unknown command \"" + arg + "\" (see kubectl telemetry --help)");
      } else {
        positional.push_back(arg);
      }
      continue;
    }
    std::string value;
    bool inlineValue = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inlineValue = true;
    }
    auto takeValue = [&]() -> base::Result<std::string, std::string> {
      if (inlineValue) return value;
      if (i + 1 >= args.size()) return base::fail("flag " + arg + " needs a value");
      return args[++i];
    };
    auto flag = [&](bool& target) -> base::Result<void, std::string> {
      if (!inlineValue) {
        target = true;
        return {};
      }
      if (value != "true" && value != "false") {
        return base::fail("flag " + arg + " takes true or false, not \"" + value + "\"");
      }
      target = value == "true";
      return {};
    };
    base::Result<void, std::string> ok;
    if (arg == "-h" || arg == "--help") {
      help = true;
    } else if (std::string* target = arg == "-n" || arg == "--namespace" ? &nsValue
                                     : arg == "--context"                ? &out.context
                                     : arg == "--kubeconfig"             ? &out.kubeconfig
                                     : arg == "--token"                  ? &out.token
                                                                         : nullptr) {
      auto v = takeValue();
      if (!v) return base::fail(v.error());
      *target = *v;
      if (target == &nsValue) out.ns = nsValue;
    } else if (arg == "--timeout") {
      auto v = takeValue();
      if (!v) return base::fail(v.error());
      auto d = base::parseDuration(*v);
      if (!d.ok() || d->count() <= 0) {
        return base::fail("flag --timeout takes a positive duration such as 30s or 5m, not \"" +
                          *v + "\"");
      }
      out.timeout = std::chrono::ceil<std::chrono::seconds>(*d);
    } else if (arg == "-A" || arg == "--all-namespaces") {
      ok = flag(out.allNamespaces);
    } else if (arg == "--cluster") {
      ok = flag(out.cluster);
    } else if (arg == "-w" || arg == "--watch") {
      ok = flag(out.watch);
    } else if (arg == "--wait") {
      ok = flag(out.wait);
    } else {
      return base::fail("unknown flag " + arg + " (see kubectl telemetry --help)");
    }
    if (!ok) return base::fail(ok.error());
  }

  out.verb = verb.value_or(Verb::Help);
  if (help || out.verb == Verb::Help) {
    out.helpFor = out.verb == Verb::Help && !positional.empty() ? verbOf(positional[0]) : out.verb;
    out.verb = Verb::Help;
    return out;
  }
  const std::string verbText = verbName(out.verb);
  if (takesName(out.verb)) {
    if (positional.size() != 1) {
      return base::fail(verbText + " takes one TelemetryRollout name, e.g. kubectl telemetry " +
                        verbText + " enable-otel");
    }
    out.name = positional[0];
  } else if (out.verb == Verb::Completion) {
    if (positional.size() != 1 || (positional[0] != "bash" && positional[0] != "zsh")) {
      return base::fail("completion takes one shell: bash or zsh");
    }
    out.shell = positional[0];
  } else if (out.verb == Verb::List && !positional.empty()) {
    return base::fail("list takes no name (use get NAME)");
  }
  if (out.watch && out.verb != Verb::Get) return base::fail("--watch is a flag of get");
  if (out.wait && !isControl(out.verb)) {
    return base::fail("--wait is a flag of promote, abort, retry, pause and resume");
  }
  if (out.allNamespaces && out.verb != Verb::List) return base::fail("-A is a flag of list");
  if (out.cluster && (out.allNamespaces || out.ns)) {
    return base::fail("--cluster takes no namespace: a ClusterTelemetryRollout has none");
  }
  return out;
}

std::string helpText(Verb verb) {
  const std::string common =
      "\nFlags of every command:\n"
      "  -n, --namespace NS     the rollout's namespace (default: the context's, else default)\n"
      "      --cluster          a ClusterTelemetryRollout (cluster-scoped) instead\n"
      "      --context NAME     the kubeconfig context to use\n"
      "      --kubeconfig PATH  the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)\n"
      "      --token TOKEN      a bearer token instead of the kubeconfig's credentials\n"
      "  -h, --help             this help\n"
      "\nExit codes: 0 done, 1 error, 2 usage, 3 not found (or the CRD is not installed),\n"
      "4 unauthorized or forbidden, 5 --wait timed out.\n";
  const std::string controlFlags =
      "  --wait           wait until the operator acted on it\n"
      "  --timeout DUR    how long --wait waits (default 5m)\n";
  switch (verb) {
    case Verb::Get:
      return "Show a TelemetryRollout: phase, steps, window, targets, analysis, rollback, "
             "events.\n\nUsage: kubectl telemetry get NAME [-w]\n\n"
             "  -w, --watch      redraw on every change until interrupted\n" +
             common;
    case Verb::List:
      return "List TelemetryRollouts with their progress.\n\nUsage: kubectl telemetry list "
             "[-A]\n\n  -A, --all-namespaces   every namespace\n" +
             common;
    case Verb::Promote:
      return "End the current canary window now (the rollout.telemetry.io/promote "
             "annotation).\n\nUsage: kubectl telemetry promote NAME [--wait]\n\n" +
             controlFlags + common;
    case Verb::Abort:
      return "Roll back now: the flag off on every target (the rollout.telemetry.io/abort "
             "annotation).\n\nUsage: kubectl telemetry abort NAME [--wait]\n\n" +
             controlFlags + common;
    case Verb::Retry:
      return "Start a rolled-back rollout again from step 1 (the rollout.telemetry.io/retry "
             "annotation).\n\nUsage: kubectl telemetry retry NAME [--wait]\n\n" +
             controlFlags + common;
    case Verb::Pause:
      return "Hold the rollout where it is (spec.paused: true).\n\nUsage: kubectl telemetry "
             "pause NAME [--wait]\n\n" +
             controlFlags + common;
    case Verb::Resume:
      return "Let a paused rollout go on (spec.paused: false).\n\nUsage: kubectl telemetry "
             "resume NAME [--wait]\n\n" +
             controlFlags + common;
    case Verb::Completion:
      return "Print a shell completion script.\n\nUsage: kubectl telemetry completion "
             "bash|zsh\n\n  bash: source <(kubectl-telemetry completion bash)\n"
             "  zsh:  source <(kubectl-telemetry completion zsh)\n";
    case Verb::Complete:
    case Verb::Help:
      break;
  }
  return "kubectl telemetry: watch and steer TelemetryRollouts.\n\n"
         "Commands:\n"
         "  get NAME [-w]       show a rollout (and redraw it live with -w)\n"
         "  list [-A]           list rollouts with their progress\n"
         "  promote NAME        end the current canary window now\n"
         "  abort NAME          roll back now\n"
         "  retry NAME          start a rolled-back rollout again\n"
         "  pause NAME          hold the rollout (spec.paused)\n"
         "  resume NAME         let it go on\n"
         "  completion SHELL    print a bash or zsh completion script\n"
         "\nkubectl telemetry COMMAND --help tells more.\n" +
         common;
}

}  // namespace tro::plugin
