#include "controllers/notify/transition_memo.h"

namespace tro::controllers::notify {

bool TransitionMemo::firstTime(const std::string& rollout, const std::string& transition) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = last_.try_emplace(rollout, transition);
  if (inserted) return true;
  if (it->second == transition) return false;
  it->second = transition;
  return true;
}

void TransitionMemo::forget(const std::string& rollout) {
  std::lock_guard lock(mu_);
  last_.erase(rollout);
}

}  // namespace tro::controllers::notify
