#include "plugin/completion.h"

#include <array>

namespace tro::plugin {

namespace {

constexpr std::array<const char*, 8> kVerbs{"get",   "list",  "promote", "abort",
                                            "retry", "pause", "resume",  "completion"};
constexpr std::array<const char*, 6> kNamedVerbs{"get",   "promote", "abort",
                                                 "retry", "pause",   "resume"};

// Flags that take a value: their value is not a positional word.
bool takesValue(const std::string& w) {
  return w == "-n" || w == "--namespace" || w == "--context" || w == "--kubeconfig" ||
         w == "--token" || w == "--timeout";
}

// The positional words before the one being completed.
std::vector<std::string> positionals(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (takesValue(words[i])) {
      ++i;
    } else if (!words[i].empty() && words[i][0] != '-') {
      out.push_back(words[i]);
    }
  }
  return out;
}

bool afterValueFlag(const std::vector<std::string>& words) {
  return words.size() >= 2 && takesValue(words[words.size() - 2]);
}

}  // namespace

bool completionWantsRolloutName(const std::vector<std::string>& words) {
  if (words.empty() || afterValueFlag(words)) return false;
  const auto before = positionals(words);
  if (before.size() != 1) return false;
  for (const char* v : kNamedVerbs) {
    if (before[0] == v) return true;
  }
  return false;
}

std::string completionCandidates(const std::vector<std::string>& words,
                                 const std::vector<std::string>& rolloutNames) {
  const std::string current = words.empty() ? "" : words.back();
  std::string out;
  auto offer = [&](const std::string& candidate) {
    if (candidate.rfind(current, 0) == 0) out += candidate + "\n";
  };
  if (!afterValueFlag(words)) {
    const auto before = positionals(words);
    if (before.empty()) {
      for (const char* v : kVerbs) offer(v);
    } else if (completionWantsRolloutName(words)) {
      for (const auto& n : rolloutNames) offer(n);
    } else if (before.size() == 1 && before[0] == "completion") {
      offer("bash");
      offer("zsh");
    }
  }
  return out + ":4\n";
}

std::string completionScript(const std::string& shell) {
  const std::string bash = R"(# kubectl-telemetry completion (bash)
_kubectl_telemetry() {
  local IFS=$'\n'
  local words=("${COMP_WORDS[@]:1:COMP_CWORD}")
  [ ${#words[@]} -eq 0 ] && words=("")
  COMPREPLY=($(kubectl-telemetry __complete "${words[@]}" 2>/dev/null | grep -v '^:'))
}
complete -o nosort -F _kubectl_telemetry kubectl-telemetry
)";
  if (shell == "zsh") {
    return "# kubectl-telemetry completion (zsh, through bash completion)\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           bash.substr(bash.find('\n') + 1);
  }
  return bash;
}

}  // namespace tro::plugin
