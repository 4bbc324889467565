#pragma once
// PodSimulator: the kubelet stand-in. Through the pods/status subresource it moves each pod
// Pending -> Running after podStartDelay and sets Ready (conditions, containerStatuses) after
// podReadyDelay, counted from when the world first saw the pod (creationTimestamp has only
// second precision). A never-ready fault keeps containers unready; a crash-loop fault makes
// restartCount grow once per crashLoopPeriod with the container waiting in CrashLoopBackOff.
// It writes only when the observed status differs from the wanted one (no steady-state writes).

#include <map>
#include <string>

#include "kubesim/world/knobs.h"
#include "kubesim/world/sim_client.h"
#include "kubesim/world/world_options.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class PodSimulator {
 public:
  PodSimulator(SimClient& client, const WorldOptions& options);
  // Converges one pod's status to what it should be at `now`; errors are returned for the caller
  // to log/retry next tick.
  Result<void> reconcile(const Json& pod, const Behaviour& behaviour, tro::base::TimePoint now);
  // Forgets a pod that left the store.
  void forget(const std::string& uid) { firstSeen_.erase(uid); }
  // True when the pod's status will not change with time alone: it is terminating, or it has
  // been seen long enough to be Running and (unless a fault says otherwise) Ready, and it is not
  // crash-looping. A settled pod needs another look only when it or its Deployment changes.
  // `now` must be the time reconcile() converged it to: judged at a later instant, a pod that
  // became due for Ready in between would count as settled without ever being written Ready.
  bool settled(const Json& pod, const Behaviour& behaviour, tro::base::TimePoint now) const;
  // True when the pod's Ready condition is True.
  static bool isReady(const Json& pod);

 private:
  Json wantedStatus(const Json& pod, const Behaviour& behaviour, tro::base::TimePoint firstSeen,
                    tro::base::TimePoint now);

  SimClient& client_;
  const WorldOptions& options_;
  std::map<std::string, tro::base::TimePoint> firstSeen_;  // by uid
};

}  // namespace kubesim::world
