#include "bench/operator_fleet/rollout_census.h"

#include "bench/common/paged_list.h"

namespace tro::bench {
namespace {

kube::Json statusOf(const kube::Json& rollout) {
  const auto it = rollout.find("status");
  return it != rollout.end() && it->is_object() ? *it : kube::Json::object();
}

}  // namespace

std::string RolloutCensus::summary() const {
  std::string out = std::to_string(listed) + " listed, " + std::to_string(holding) + " holding;";
  for (const auto& [phase, count] : phases) {
    out += " " + (phase.empty() ? std::string("(no status)") : phase) + " " + std::to_string(count);
  }
  return out;
}

bool holdsInWindow(const kube::Json& rollout) {
  const kube::Json status = statusOf(rollout);
  const auto step = status.find("currentStep");
  return status.value("phase", "") == "Progressing" && step != status.end() &&
         step->is_number_integer() && step->get<int>() >= 1;
}

kube::Result<RolloutCensus> countRollouts(kube::ApiClient& client, int listLimit) {
  RolloutCensus census;
  auto listed = listAllPages(client, kube::resources::telemetryRollouts(), "", listLimit,
                             [&census](const kube::Json& rollout) {
                               ++census.listed;
                               if (holdsInWindow(rollout)) ++census.holding;
                               ++census.phases[statusOf(rollout).value("phase", "")];
                             });
  if (!listed.ok()) return kube::fail(std::move(listed).error());
  return census;
}

}  // namespace tro::bench
