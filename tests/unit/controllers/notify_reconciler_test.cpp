// The reconciler's notification hook against the in-process cluster: one notification per
// transition into RolledBack / Succeeded / Failed, only after the status write committed it,
// addressed to the rollout's own webhook or else the operator's default, never repeated by a stale
// cache.

#include <gtest/gtest.h>

#include <mutex>

#include "controllers/notify/notification.h"
#include "controllers/rollout/annotations.h"
#include "tests/unit/controllers/reconciler_fixture.h"

namespace tro::controllers::testing {
namespace {

class RecordingNotifier final : public notify::Notifier {
 public:
  void notify(notify::Notification n) override {
    std::lock_guard l(mu_);
    got_.push_back(std::move(n));
  }
  std::vector<notify::Notification> got() const {
    std::lock_guard l(mu_);
    return got_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<notify::Notification> got_;  // guarded by mu_
};

constexpr const char* kOwnUrl = "http://hooks.shop.example/rollouts";
constexpr const char* kDefaultUrl = "https://platform.example/notify";

Json withWebhook(Json spec, const std::string& url = kOwnUrl) {
  spec["notifications"] = {{"webhook", {{"url", url}, {"timeout", "2s"}}}};
  return spec;
}

class NotifyWorld : public ReconcilerWorld {
 public:
  explicit NotifyWorld(std::optional<notify::WebhookTarget> defaultWebhook = std::nullopt,
                       tro::testing::RolloutCrds crds = tro::testing::RolloutCrds::Shipped)
      : ReconcilerWorld(crds) {
    RolloutReconcilerDeps deps;
    deps.rollouts = {&rollouts_};
    deps.workloads = [this](const std::string&) {  // not owned: the fixture's member
      return std::vector{
          std::shared_ptr<const runtime::Store>(std::shared_ptr<void>(), &deployments_)};
    };
    deps.prometheus = [this](const std::string&, const AnalysisSpec&) {
      return analysis::PromResult<analysis::PrometheusApiPtr>(
          std::make_unique<ForwardingPrometheus>(prometheus_));
    };
    deps.notifier = &notifier_;
    deps.defaultWebhook = std::move(defaultWebhook);
    reconciler_ =
        std::make_unique<RolloutReconciler>(api_, clock_, metrics_, std::move(deps), log_);
  }

  void annotate(const std::string& name, const std::string& key, const std::string& value) {
    Json patch = {{"metadata", {{"annotations", {{key, value}}}}}};
    ASSERT_TRUE(cluster_
                    .patch(kube::resources::telemetryRollouts(), kNs, name, kube::PatchType::Merge,
                           patch.dump(), {})
                    .ok());
  }
  // Reconciles without refreshing the caches first (an informer that is behind).
  runtime::ReconcileResult reconcileStale(const std::string& name) {
    return reconciler_->reconcile(std::string(kNs) + "/" + name, std::stop_token());
  }
  void progressToFirstWindow(const std::string& name) {
    drive(name, [&] {
      return status(name).phase == Phase::Progressing && status(name).currentStep == 1;
    });
    ASSERT_EQ(status(name).phase, Phase::Progressing);
  }

  RecordingNotifier notifier_;
};

TEST(NotifyReconciler, AnAbortNotifiesRolledBackOnceToTheRolloutsWebhook) {
  NotifyWorld w(notify::WebhookTarget{kDefaultUrl});
  for (const char* d : {"a", "b", "c"}) w.addDeployment(d);
  w.addRollout("otel", withWebhook(rolloutSpec()));
  w.progressToFirstWindow("otel");
  EXPECT_TRUE(w.notifier_.got().empty()) << "Progressing does not notify";

  w.annotate("otel", annotations::kAbort, "1");
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  ASSERT_EQ(w.status("otel").phase, Phase::RolledBack);
  auto got = w.notifier_.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, (notify::WebhookTarget{kOwnUrl, std::chrono::seconds(2)}));
  EXPECT_EQ(got[0].rollout, "shop/otel");
  const Json& doc = got[0].document;
  EXPECT_EQ(doc["kind"], "TelemetryRolloutNotification");
  EXPECT_EQ(doc["rollout"]["namespace"], "shop");
  EXPECT_EQ(doc["rollout"]["name"], "otel");
  EXPECT_EQ(doc["rollout"]["uid"], w.rollout("otel")["metadata"]["uid"]);
  EXPECT_EQ(doc["phase"], "RolledBack");
  EXPECT_EQ(doc["reason"], "ManualAbort");
  EXPECT_EQ(doc["check"], "annotation/rollout.telemetry.io/abort");
  EXPECT_EQ(doc["message"], "abort requested (1)");
  EXPECT_EQ(doc["time"], base::formatRfc3339(w.clock_.now()));

  // Later reconciles, fresh or from a cache that missed the status write, add nothing.
  w.reconcileStale("otel");
  w.clock_.advance(std::chrono::hours(1));
  w.drive(
      "otel", [] { return false; }, 3);
  EXPECT_EQ(w.notifier_.got().size(), 1u);
}

TEST(NotifyReconciler, AStaleCacheThatReplansTheRollbackDoesNotNotifyAgain) {
  NotifyWorld w;
  for (const char* d : {"a", "b", "c"}) w.addDeployment(d);
  w.addRollout("otel", withWebhook(rolloutSpec()));
  w.progressToFirstWindow("otel");
  w.annotate("otel", annotations::kAbort, "1");
  w.sync();
  ASSERT_FALSE(w.reconcileStale("otel").isError());
  // The cache still shows Progressing with the abort unhandled: the plan is the same rollback.
  auto again = w.reconcileStale("otel");
  EXPECT_EQ(w.status("otel").phase, Phase::RolledBack);
  EXPECT_EQ(w.notifier_.got().size(), 1u) << again.message();
}

TEST(NotifyReconciler, NothingIsNotifiedUntilTheStatusWriteSucceeds) {
  NotifyWorld w;
  for (const char* d : {"a", "b", "c"}) w.addDeployment(d);
  w.addRollout("otel", withWebhook(rolloutSpec()));
  w.progressToFirstWindow("otel");
  w.annotate("otel", annotations::kAbort, "1");
  w.cluster_.failNext(tro::testing::Verb::UpdateStatus,
                      tro::testing::apiError(500, "InternalError", "etcd unavailable"));
  auto r = w.reconcile("otel");
  EXPECT_TRUE(r.isError());
  EXPECT_EQ(w.env("a", "FEATURE_OTEL"), "false") << "the rollback itself went ahead";
  EXPECT_TRUE(w.notifier_.got().empty());

  r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  ASSERT_EQ(w.status("otel").phase, Phase::RolledBack);
  ASSERT_EQ(w.notifier_.got().size(), 1u);
  EXPECT_EQ(w.notifier_.got()[0].document["reason"], "ManualAbort");
}

TEST(NotifyReconciler, RetryThenAnotherAbortNotifiesAgain) {
  NotifyWorld w;
  for (const char* d : {"a", "b", "c"}) w.addDeployment(d);
  w.addRollout("otel", withWebhook(rolloutSpec()));
  w.progressToFirstWindow("otel");
  w.annotate("otel", annotations::kAbort, "1");
  w.reconcile("otel");
  w.annotate("otel", annotations::kRetry, "1");
  w.progressToFirstWindow("otel");
  w.annotate("otel", annotations::kAbort, "2");
  w.reconcile("otel");
  ASSERT_EQ(w.status("otel").phase, Phase::RolledBack);
  auto got = w.notifier_.got();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].document["message"], "abort requested (2)");
}

TEST(NotifyReconciler, SucceededGoesToTheDefaultWebhookWhenTheRolloutHasNone) {
  NotifyWorld w(notify::WebhookTarget{kDefaultUrl});
  w.addDeployment("a");
  Json spec = rolloutSpec();
  spec["strategy"]["steps"] = Json::array({Json{{"setWeight", 100}}});
  w.addRollout("otel", spec);
  w.drive("otel", [&] { return w.status("otel").phase == Phase::Succeeded; });
  ASSERT_EQ(w.status("otel").phase, Phase::Succeeded);
  auto got = w.notifier_.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target.url, kDefaultUrl);
  EXPECT_EQ(got[0].target.timeout, std::chrono::seconds(5));
  EXPECT_EQ(got[0].document["phase"], "Succeeded");
  EXPECT_EQ(got[0].document["reason"], "Succeeded");
  EXPECT_TRUE(got[0].document["check"].is_null());
}

TEST(NotifyReconciler, WithoutAnyWebhookNothingIsNotified) {
  NotifyWorld w;
  for (const char* d : {"a", "b", "c"}) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  w.progressToFirstWindow("otel");
  w.annotate("otel", annotations::kAbort, "1");
  w.reconcile("otel");
  ASSERT_EQ(w.status("otel").phase, Phase::RolledBack);
  EXPECT_TRUE(w.notifier_.got().empty());
}

TEST(NotifyReconciler, AnInvalidSpecNotifiesFailedToItsOwnValidWebhook) {
  NotifyWorld w(notify::WebhookTarget{kDefaultUrl}, tro::testing::RolloutCrds::OpenSpec);
  w.addDeployment("a");
  Json spec = withWebhook(rolloutSpec());
  spec["flag"].erase("name");
  w.addRollout("otel", spec);
  w.reconcile("otel");
  ASSERT_EQ(w.status("otel").phase, Phase::Failed);
  auto got = w.notifier_.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target.url, kOwnUrl);
  EXPECT_EQ(got[0].document["phase"], "Failed");
  EXPECT_EQ(got[0].document["reason"], "InvalidSpec");
}

TEST(NotifyReconciler, AnInvalidWebhookUrlIsAnInvalidSpecReportedToTheDefault) {
  NotifyWorld w(notify::WebhookTarget{kDefaultUrl});
  w.addDeployment("a");
  w.addRollout("otel", withWebhook(rolloutSpec(), "http://user:pw@hooks.example/x"));
  w.reconcile("otel");
  RolloutStatus s = w.status("otel");
  ASSERT_EQ(s.phase, Phase::Failed);
  EXPECT_NE(s.message.find("spec.notifications.webhook.url"), std::string::npos) << s.message;
  EXPECT_EQ(w.env("a", "FEATURE_OTEL"), "legacy") << "an invalid spec touches no Deployment";
  auto got = w.notifier_.got();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target.url, kDefaultUrl);
}

}  // namespace
}  // namespace tro::controllers::testing
