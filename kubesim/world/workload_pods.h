#pragma once
// What the world's workload controllers (ReplicaSet, StatefulSet, DaemonSet) share about the pods
// they make: a pod from a template with a controller ownerReference, the five-character name
// suffix of generateName, availability (Ready for minReadySeconds), deletion.

#include <random>
#include <string>
#include <vector>

#include "kubesim/world/sim_client.h"
#include "operator/base/clock.h"

namespace kubesim::world {

// A pod of `owner` in its namespace: the template's labels, annotations and spec, and a
// controller ownerReference. No name: the caller names it.
Json podFromTemplate(const Json& owner, const Json& podTemplate);
// The scheduler stand-in: a pod without spec.nodeName is placed on one of `nodes`, chosen by its
// name (so a pod keeps its node across retries and runs). No-op without nodes.
void placePod(Json& pod, const std::vector<std::string>& nodes);
// Five characters of Kubernetes' safe alphabet, as generateName appends.
std::string randomPodSuffix(std::mt19937_64& rng);
// Ready for at least `minReadySeconds` at `now`.
bool podAvailable(const Json& pod, std::int64_t minReadySeconds, tro::base::TimePoint now);
// DELETE of the pod; an already gone pod (404) is not an error.
Result<void> deletePod(SimClient& client, const Json& pod);
// True when the labels of `pod` include every entry of `wanted` (a template's labels).
bool podLabelsMatch(const Json& pod, const Json& wanted);

}  // namespace kubesim::world
