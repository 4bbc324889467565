// The TelemetryRollout spec, as a tenant writes it: the validation every stored version goes
// through (typed_rollout.cpp typeRollout: parseSpec, rolloutSpecHash, parseAnalysisExtensions,
// selectors, kinds, listed namespaces; then makeCriteria) and the alert poller's gatedRollout(),
// none of them inside a try/catch of theirs.
// Input: the resource as JSON, decoded as the operator decodes API answers (decode.cpp: depth at
// most 128). Invariants: a spec comes back exactly when there are no problems; parseSpec's
// webhook is parseNotifications' one; `paused` takes no part in the spec hash.

#include "controllers/analysis/criteria.h"
#include "controllers/rollout/alert_sources.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/typed_rollout.h"
#include "operator/base/bounded_json.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace tro::controllers;
using tro::fuzz::require;

void checkSpec(const Json& spec) {
  const ParsedSpec parsed = parseSpec(spec);
  require(parsed.spec.has_value() == parsed.problems.empty());
  require(parsed.problems.empty() || !parsed.summary().empty());
  const ParsedNotifications notifications = parseNotifications(spec);
  if (parsed.spec) {
    require(notifications.problems.empty() && notifications.webhook == parsed.spec->webhook);
  }
  if (spec.is_object()) {
    Json flipped = spec;
    flipped["paused"] = !(spec.contains("paused") && spec["paused"] == true);
    require(rolloutSpecHash(flipped) == rolloutSpecHash(spec));
  }
  if (parsed.spec && parsed.spec->analysis) {
    const auto extensions = analysis::parseAnalysisExtensions(spec);
    const auto compiled = analysis::makeCriteria(*parsed.spec->analysis, extensions.extensions);
    (void)compiled;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  auto parsed = tro::base::parseJsonBounded(tro::fuzz::asText(data, size), {size, 128});
  if (!parsed.ok()) return 0;
  const Json& rollout = *parsed;
  checkSpec(rollout.is_object() ? rollout.value("spec", Json()) : Json());
  // The whole object through the cache boundary's parse, then the alert poller's reading of it.
  (void)gatedRollout(*tro::controllers::typeRollout(std::make_shared<const Json>(rollout)));
  return 0;
}
