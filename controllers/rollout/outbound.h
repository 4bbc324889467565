#pragma once
// Where a rollout may make the operator send requests, checked purely while the spec is read:
// its Prometheus address against --allowed-prometheus-hosts (or its provider against the
// admin's providers file), its webhook against --allowed-webhook-hosts. A refusal is a
// SpecProblem naming the field, so the rollout becomes InvalidSpec before any request leaves.
// The transport checks again at every request, with the DNS answer (destination_policy.h).

#include <set>
#include <string>
#include <vector>

#include "controllers/rollout/spec.h"
#include "operator/kube/destination_policy.h"

namespace tro::controllers {

struct OutboundRules {
  kube::DestinationPolicy prometheus;
  kube::DestinationPolicy webhook;
  std::set<std::string> providers;  // names from --prometheus-providers
};

std::vector<SpecProblem> outboundProblems(const RolloutSpec& spec, const OutboundRules& rules);

// The webhook alone (a rollout whose spec is otherwise invalid still reports to its webhook).
std::vector<SpecProblem> webhookProblems(const WebhookSpec& webhook, const OutboundRules& rules);

}  // namespace tro::controllers
