#pragma once
// TelemetryRollout spec as a validated value (the types: api/spec_types.h). parseSpec() reads the
// resource's JSON and checks everything the CRD's structural schema cannot (durations, step order,
// duplicate names, image pinning, cross-field rules). It collects every problem, each naming its
// field, so that status can say all of what is wrong at once; an invalid spec touches no
// Deployment.

#include <optional>
#include <string>
#include <vector>

#include "controllers/api/spec_types.h"

namespace tro::controllers {

struct ParsedSpec {
  std::optional<RolloutSpec> spec;    // set when problems is empty
  std::vector<SpecProblem> problems;  // in document order
  // "spec.flag.name: Required value; spec.strategy.steps[1].pause.duration: ..." for status.
  std::string summary() const;
};

// `scope` says whose spec it is: spec.namespaceSelector is required of a ClusterTelemetryRollout
// and refused on a TelemetryRollout (whose schema prunes it; a tenant must not reach beyond its
// namespace whatever reaches the controller).
ParsedSpec parseSpec(const Json& spec, RolloutScope scope = RolloutScope::Namespaced);

// What a change of the spec means for the rollout, as a hash (fnv_hash.h) of everything in it
// but `paused`: pausing or resuming is a new generation that must not start the rollout over.
std::string rolloutSpecHash(const Json& spec);

// spec.notifications alone (parseSpec() includes it): a spec invalid elsewhere still reports
// its Failed phase to its own webhook when this part is valid.
struct ParsedNotifications {
  std::optional<WebhookSpec> webhook;  // set when present and problems is empty
  std::vector<SpecProblem> problems;
};
ParsedNotifications parseNotifications(const Json& spec);

// True when an image reference names a tag other than "latest" or a digest.
bool isPinnedImage(const std::string& image);

}  // namespace tro::controllers
