#include "bench/operator_fleet/options.h"

#include <optional>

#include "bench/common/args.h"
#include "bench/common/fleet_manifest.h"
#include "bench/operator_fleet/rollout_manifest.h"

namespace tro::bench {
namespace {

std::optional<int> positive(const std::string& text) {
  const auto values = parsePositiveList(text);
  if (!values || values->size() != 1) return std::nullopt;
  return values->front();
}

base::Result<CaseSpec, std::string> parseCase(const std::string& item) {
  const auto x = item.find('x');
  const auto n = x == std::string::npos ? std::nullopt : positive(item.substr(0, x));
  const auto m = x == std::string::npos ? std::nullopt : positive(item.substr(x + 1));
  if (!n || !m) return base::fail("case \"" + item + "\" is not <Deployments>x<rollouts>");
  if (*n % kFleetGroupSize != 0) {
    return base::fail("case " + item + ": the Deployments must be a multiple of " +
                      std::to_string(kFleetGroupSize));
  }
  if (*m > maxRollouts(*n)) {
    return base::fail("case " + item + ": " + std::to_string(*n) + " Deployments hold at most " +
                      std::to_string(maxRollouts(*n)) + " rollouts of " +
                      std::to_string(kTargetsPerRollout));
  }
  return CaseSpec{*n, *m};
}

}  // namespace

std::string toString(const CaseSpec& spec) {
  return std::to_string(spec.deployments) + "x" + std::to_string(spec.rollouts);
}

base::Result<std::vector<CaseSpec>, std::string> parseCases(const std::string& text) {
  std::vector<CaseSpec> out;
  for (const std::string& item : splitCommas(text)) {
    auto spec = parseCase(item);
    if (!spec.ok()) return base::fail(spec.error());
    out.push_back(*spec);
  }
  if (out.empty()) return base::fail(std::string("no case given"));
  return out;
}

}  // namespace tro::bench
