#pragma once
// TransitionMemo: the last transition notified per rollout, so that each transition notifies
// once per operator process even when a reconcile re-plans it from a stale cache. In memory
// only (a restarted operator starts empty; it reads the committed phase from status and sees no
// transition to notify). One entry per rollout; forget() drops it when the rollout is gone.
// Thread-safe.

#include <map>
#include <mutex>
#include <string>

namespace tro::controllers::notify {

class TransitionMemo {
 public:
  // True (and remembered) when `transition` differs from the last one recorded for `rollout`.
  bool firstTime(const std::string& rollout, const std::string& transition);
  void forget(const std::string& rollout);

 private:
  std::mutex mu_;
  std::map<std::string, std::string> last_;  // guarded by mu_
};

}  // namespace tro::controllers::notify
