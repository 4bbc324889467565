#include "controllers/rollout/outbound.h"

#include "operator/base/url.h"

namespace tro::controllers {

std::vector<SpecProblem> webhookProblems(const WebhookSpec& webhook, const OutboundRules& rules) {
  auto url = base::parseHttpUrl(webhook.url, base::UrlOptions{.allowQuery = true});
  if (!url.ok()) return {};  // parseSpec reported it
  if (auto why = rules.webhook.check(*url)) {
    return {{"spec.notifications.webhook.url", "Forbidden: " + *why}};
  }
  return {};
}

std::vector<SpecProblem> outboundProblems(const RolloutSpec& spec, const OutboundRules& rules) {
  std::vector<SpecProblem> problems;
  if (spec.analysis) {
    const AnalysisSpec& a = *spec.analysis;
    if (!a.provider.empty()) {
      if (rules.providers.count(a.provider) == 0) {
        problems.push_back({"spec.analysis.prometheus.provider",
                            "Not found: no provider \"" + a.provider +
                                "\" in the operator's --prometheus-providers"});
      }
    } else if (auto url = base::parseHttpUrl(a.prometheusAddress); url.ok()) {
      if (auto why = rules.prometheus.check(*url)) {
        problems.push_back({"spec.analysis.prometheus.address", "Forbidden: " + *why});
      }
    }
  }
  if (spec.webhook) {
    for (SpecProblem& p : webhookProblems(*spec.webhook, rules)) problems.push_back(std::move(p));
  }
  return problems;
}

}  // namespace tro::controllers
