// outboundProblems(): the admin's host lists and providers applied to a parsed spec, before any
// request leaves (issue 19).

#include "controllers/rollout/outbound.h"

#include <gtest/gtest.h>

namespace tro::controllers {
namespace {

RolloutSpec withPrometheus(const std::string& address, const std::string& provider = "") {
  RolloutSpec spec;
  AnalysisSpec a;
  a.prometheusAddress = address;
  a.provider = provider;
  spec.analysis = a;
  return spec;
}

OutboundRules rules(const std::vector<std::string>& prometheus,
                    const std::vector<std::string>& webhook) {
  OutboundRules r;
  r.prometheus = kube::DestinationPolicy::parse(prometheus, "--allowed-prometheus-hosts").value();
  r.webhook = kube::DestinationPolicy::parse(webhook, "--allowed-webhook-hosts").value();
  r.providers = {"default"};
  return r;
}

std::string fields(const std::vector<SpecProblem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.field + ": " + p.message + "\n";
  return out;
}

TEST(OutboundTest, AllowedHostsPass) {
  const OutboundRules r = rules({"*.monitoring.svc", "hooks.example:443"}, {"hooks.example"});
  EXPECT_TRUE(outboundProblems(withPrometheus("http://prom.monitoring.svc:9090"), r).empty());
  RolloutSpec spec = withPrometheus("", "default");
  spec.webhook = WebhookSpec{"https://hooks.example/x?token=1"};
  EXPECT_TRUE(outboundProblems(spec, r).empty()) << fields(outboundProblems(spec, r));
}

TEST(OutboundTest, EachRefusalNamesItsField) {
  const OutboundRules r = rules({"*.monitoring.svc"}, {"hooks.example"});
  struct Case {
    RolloutSpec spec;
    std::string field;
    std::string part;
  };
  RolloutSpec badHook = withPrometheus("http://prom.monitoring.svc");
  badHook.webhook = WebhookSpec{"http://evil.example/steal"};
  const Case cases[] = {
      {withPrometheus("http://evil.example:9090"), "spec.analysis.prometheus.address",
       "host evil.example:9090 is not in --allowed-prometheus-hosts"},
      {withPrometheus("http://monitoring.svc"), "spec.analysis.prometheus.address", "not in"},
      {withPrometheus("http://169.254.169.254/latest"), "spec.analysis.prometheus.address",
       "link-local"},
      {withPrometheus("http://127.0.0.1:9090"), "spec.analysis.prometheus.address", "loopback"},
      {withPrometheus("", "other"), "spec.analysis.prometheus.provider", "no provider \"other\""},
      {badHook, "spec.notifications.webhook.url", "not in --allowed-webhook-hosts"},
  };
  for (const auto& c : cases) {
    const auto problems = outboundProblems(c.spec, r);
    ASSERT_EQ(problems.size(), 1u) << fields(problems);
    EXPECT_EQ(problems[0].field, c.field);
    EXPECT_NE(problems[0].message.find(c.part), std::string::npos) << problems[0].message;
    EXPECT_EQ(problems[0].message.rfind("Forbidden: ", 0) == 0 ||
                  problems[0].message.rfind("Not found: ", 0) == 0,
              true)
        << problems[0].message;
  }
}

TEST(OutboundTest, TheDefaultRefusesLoopbackAndLinkLocalOnly) {
  const OutboundRules r;  // no flags given
  EXPECT_TRUE(outboundProblems(withPrometheus("http://prometheus.monitoring:9090"), r).empty());
  EXPECT_EQ(outboundProblems(withPrometheus("http://localhost:9090"), r).size(), 1u);
  EXPECT_EQ(outboundProblems(withPrometheus("http://[fe80::1]:9090"), r).size(), 1u);
  EXPECT_EQ(outboundProblems(withPrometheus("http://0.0.0.0:9090"), r).size(), 1u);
}

}  // namespace
}  // namespace tro::controllers
