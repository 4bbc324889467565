#pragma once
// Shell completion, cobra style so that kubectl (1.26+) completes the plugin through the
// `kubectl_complete-telemetry` helper, and a bash or zsh script completes `kubectl-telemetry`
// itself. `__complete WORDS...` prints one candidate per line and then ":4" (no file
// completion); the last word is the one being completed (possibly empty).

#include <string>
#include <vector>

namespace tro::plugin {

// Whether the word being completed is a rollout name (the word after a verb that takes one).
bool completionWantsRolloutName(const std::vector<std::string>& words);

// Candidates for the last of `words`; `rolloutNames` are offered where a name is wanted.
std::string completionCandidates(const std::vector<std::string>& words,
                                 const std::vector<std::string>& rolloutNames);

// The script for `shell` ("bash" or "zsh").
std::string completionScript(const std::string& shell);

}  // namespace tro::plugin
