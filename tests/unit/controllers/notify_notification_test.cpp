// The pure parts of notifications: which transitions notify, the webhook document, the
// transition key (rollout/notification_document.h), the memo and the webhook URL check (all
// table-driven where they are tables).

#include <gtest/gtest.h>

#include <optional>
#include <thread>
#include <vector>

#include "controllers/notify/transition_memo.h"
#include "controllers/notify/webhook_url.h"
#include "controllers/rollout/conditions.h"
#include "controllers/rollout/notification_document.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers::notify {
namespace {

using kube::Json;

struct TransitionCase {
  std::optional<Phase> before;
  Phase after;
  bool want;
};

TEST(Notifies, OnlyEnteringRolledBackSucceededOrFailed) {
  const std::vector<TransitionCase> cases = {
      {std::nullopt, Phase::Pending, false},
      {std::nullopt, Phase::Progressing, false},
      {std::nullopt, Phase::Failed, true},  // an invalid spec on the first reconcile
      {Phase::Pending, Phase::Progressing, false},
      {Phase::Progressing, Phase::Paused, false},
      {Phase::Paused, Phase::Progressing, false},
      {Phase::Progressing, Phase::RolledBack, true},
      {Phase::Paused, Phase::RolledBack, true},
      {Phase::Progressing, Phase::Succeeded, true},
      {Phase::Progressing, Phase::Failed, true},
      {Phase::RolledBack, Phase::RolledBack, false},
      {Phase::Succeeded, Phase::Succeeded, false},
      {Phase::Failed, Phase::Failed, false},
      {Phase::RolledBack, Phase::Progressing, false},  // a retry
      {Phase::Failed, Phase::Succeeded, true},         // spec fixed, then done
  };
  for (const auto& c : cases) {
    EXPECT_EQ(isNotifiedTransition(c.before, c.after), c.want)
        << (c.before ? toString(*c.before) : "none") << " -> " << toString(c.after);
  }
}

RolloutIdentity identity() {
  RolloutIdentity id;
  id.namespace_ = "shop";
  id.name = "otel";
  id.uid = "uid-1";
  id.generation = 3;
  return id;
}

base::TimePoint at(const char* text) { return *base::parseRfc3339(text); }

RolloutStatus withReady(Phase phase, const std::string& reason, const std::string& message) {
  RolloutStatus s;
  s.phase = phase;
  s.message = message;
  s.observedGeneration = 3;
  setCondition(s.conditions, kConditionReady, {phase == Phase::Succeeded, reason, message}, 3,
               at("2026-11-21T06:00:00Z"));
  return s;
}

struct DocumentCase {
  const char* name;
  RolloutStatus status;
  Json want;
};

TEST(MakeDocument, CarriesTheRolloutPhaseReasonAndTheRollbackEvidence) {
  RolloutStatus rolledBack = withReady(Phase::RolledBack, "RolledBack", "rolled back");
  rolledBack.rollback =
      RollbackRecord{"AnalysisFailed", "query/error-rate",         0.5,
                     "max 0.02",       at("2026-11-21T06:59:00Z"), "error-rate 0.5 > max 0.02"};
  RolloutStatus aborted = withReady(Phase::RolledBack, "RolledBack", "aborted by a person");
  aborted.rollback =
      RollbackRecord{"ManualAbort", "", std::nullopt, "", at("2026-11-21T06:59:00Z"), ""};
  RolloutStatus noCondition;
  noCondition.phase = Phase::Succeeded;
  const Json rollout = {
      {"namespace", "shop"}, {"name", "otel"}, {"uid", "uid-1"}, {"generation", 3}};
  auto doc = [&](Json phase, Json reason, Json message, Json check, Json value, Json threshold) {
    return Json{{"apiVersion", "rollout.telemetry.io/v1alpha1"},
                {"kind", "TelemetryRolloutNotification"},
                {"rollout", rollout},
                {"phase", phase},
                {"reason", reason},
                {"message", message},
                {"check", check},
                {"value", value},
                {"threshold", threshold},
                {"time", "2026-11-21T07:00:00Z"}};
  };
  const std::vector<DocumentCase> cases = {
      {"analysis rollback", rolledBack,
       doc("RolledBack", "AnalysisFailed", "error-rate 0.5 > max 0.02", "query/error-rate", 0.5,
           "max 0.02")},
      {"manual abort: no evidence, status message", aborted,
       doc("RolledBack", "ManualAbort", "aborted by a person", nullptr, nullptr, nullptr)},
      {"succeeded", withReady(Phase::Succeeded, "Succeeded", "all 10 Deployments enabled"),
       doc("Succeeded", "Succeeded", "all 10 Deployments enabled", nullptr, nullptr, nullptr)},
      {"failed: the Ready reason", withReady(Phase::Failed, "InvalidSpec", "spec.flag: Required"),
       doc("Failed", "InvalidSpec", "spec.flag: Required", nullptr, nullptr, nullptr)},
      {"no condition: the phase is the reason", noCondition,
       doc("Succeeded", "Succeeded", "", nullptr, nullptr, nullptr)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(notificationDocument(identity(), c.status, at("2026-11-21T07:00:00.700Z")), c.want)
        << c.name;
  }
  // A rollback record left over from an earlier run does not leak into a later Succeeded.
  RolloutStatus succeededAfterRetry = withReady(Phase::Succeeded, "Succeeded", "done");
  succeededAfterRetry.rollback = rolledBack.rollback;
  Json d = notificationDocument(identity(), succeededAfterRetry, at("2026-11-21T07:00:00Z"));
  EXPECT_EQ(d["reason"], "Succeeded");
  EXPECT_TRUE(d["check"].is_null());
  EXPECT_TRUE(d["value"].is_null());
}

TEST(TransitionKey, DiffersByPhaseGenerationAndEachControlActedOn) {
  RolloutStatus base = withReady(Phase::RolledBack, "RolledBack", "");
  const std::string key = notificationKey(identity(), base);
  EXPECT_EQ(notificationKey(identity(), base), key);
  RolloutStatus other = base;
  other.message = "another message";
  EXPECT_EQ(notificationKey(identity(), other), key) << "the message is not the transition";
  std::vector<RolloutStatus> distinct(5, base);
  distinct[0].phase = Phase::Succeeded;
  distinct[1].observedGeneration = 4;
  distinct[2].handledControls.abort = "2";
  distinct[3].handledControls.retry = "1";
  distinct[4].handledControls.promote = "x";
  for (size_t i = 0; i < distinct.size(); ++i) {
    EXPECT_NE(notificationKey(identity(), distinct[i]), key) << i;
  }
  RolloutIdentity recreated = identity();
  recreated.uid = "uid-2";
  EXPECT_NE(notificationKey(recreated, base), key);
}

TEST(TransitionMemo, RemembersTheLastTransitionPerRollout) {
  TransitionMemo memo;
  EXPECT_TRUE(memo.firstTime("shop/a", "k1"));
  EXPECT_FALSE(memo.firstTime("shop/a", "k1"));
  EXPECT_TRUE(memo.firstTime("shop/b", "k1"));
  EXPECT_TRUE(memo.firstTime("shop/a", "k2"));
  EXPECT_TRUE(memo.firstTime("shop/a", "k1")) << "only the last one is remembered";
  memo.forget("shop/a");
  EXPECT_TRUE(memo.firstTime("shop/a", "k1"));
}

TEST(TransitionMemo, ConcurrentCallersNotifyOnce) {
  TransitionMemo memo;
  std::atomic<int> firsts{0};
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&] { firsts += memo.firstTime("shop/a", "k") ? 1 : 0; });
    }
  }
  EXPECT_EQ(firsts.load(), 1);
}

struct UrlCase {
  const char* url;
  std::optional<std::string> want;
};

TEST(WebhookUrlProblem, AcceptsHttpAndHttpsUrlsWithAHost) {
  const std::vector<UrlCase> cases = {
      {"http://hooks.example.com/telemetry", std::nullopt},
      {"https://hooks.example.com", std::nullopt},
      {"http://127.0.0.1:8080/hook?token=abc#x", std::nullopt},
      {"https://[::1]:9443/hook", std::nullopt},
      {"http://receiver.monitoring.svc:80", std::nullopt},
      {"", "Required value"},
      {"hooks.example.com/x", "must be an http:// or https:// URL"},
      {"ftp://hooks.example.com", "must be an http:// or https:// URL"},
      {"HTTP://hooks.example.com", "must be an http:// or https:// URL"},
      {"http://", "must name a host"},
      {"http:///path", "must name a host"},
      {"https://:8080/x", "must name a host"},
      {"http://host:0/", "has an invalid port"},
      {"http://host:65536/", "has an invalid port"},
      {"http://host:80a/", "has an invalid port"},
      {"http://host:/", "has an invalid port"},
      {"http://user:secret@host/", "must not carry user info (user:password@)"},
      {"http://host/a b", "must not contain whitespace or control characters"},
      {"http://host/\n", "must not contain whitespace or control characters"},
      {"http://[::1/", "has an unterminated IPv6 host"},
      {"http://[]/", "must name a host"},
  };
  for (const auto& c : cases) EXPECT_EQ(webhookUrlProblem(c.url), c.want) << c.url;
}

}  // namespace
}  // namespace tro::controllers::notify
