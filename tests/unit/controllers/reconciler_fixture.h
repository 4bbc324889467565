#pragma once
// A small world for RolloutReconciler tests: kubesim's API server in process with the shipped
// CRDs, reached through the operator's real client (behind a recording decorator that counts
// Deployment patches and can interpose a concurrent write between the executor's GET and its
// PATCH), Stores synced from it the way informers would, a SimulatedClock (the server's clock
// too) and a FakePrometheus. The Deployment controller is the test: makeHealthy() finishes
// rollouts.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "controllers/analysis/testing/fake_prometheus.h"
#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/reconciler.h"
#include "controllers/rollout/status.h"
#include "operator/base/rfc3339.h"
#include "operator/base/simulated_clock.h"
#include "operator/runtime/metrics.h"
#include "tests/support/in_process_api.h"

namespace tro::controllers::testing {

using kube::Json;
using namespace std::chrono_literals;

// Forwards to the cluster; records Deployment patches by name and runs a one-shot hook just
// before a Deployment patch reaches the server (i.e. after the executor's GET).
class RecordingApi : public kube::ApiClient {
 public:
  explicit RecordingApi(tro::testing::InProcessApi& inner) : inner_(inner) {}

  int patches(const std::string& deployment) const {
    std::lock_guard l(mu_);
    auto it = patches_.find(deployment);
    return it == patches_.end() ? 0 : it->second;
  }
  int totalPatches() const {
    std::lock_guard l(mu_);
    int n = 0;
    for (const auto& [name, count] : patches_) n += count;
    return n;
  }
  void beforeNextPatchOf(const std::string& deployment, std::function<void()> hook) {
    std::lock_guard l(mu_);
    hooks_[deployment] = std::move(hook);
  }

  kube::Result<Json> get(const kube::ResourceType& t, const std::string& ns,
                         const std::string& n) override {
    return inner_.get(t, ns, n);
  }
  kube::Result<Json> list(const kube::ResourceType& t, const std::string& ns,
                          const kube::ListOptions& o) override {
    return inner_.list(t, ns, o);
  }
  kube::Result<kube::WatchStreamPtr> watch(const kube::ResourceType& t, const std::string& ns,
                                           const kube::WatchOptions& o) override {
    return inner_.watch(t, ns, o);
  }
  kube::Result<Json> create(const kube::ResourceType& t, const std::string& ns, const Json& obj,
                            const kube::WriteOptions& o) override {
    return inner_.create(t, ns, obj, o);
  }
  kube::Result<Json> update(const kube::ResourceType& t, const std::string& ns, const Json& obj,
                            const kube::WriteOptions& o) override {
    return inner_.update(t, ns, obj, o);
  }
  kube::Result<Json> updateStatus(const kube::ResourceType& t, const std::string& ns,
                                  const Json& obj, const kube::WriteOptions& o) override {
    return inner_.updateStatus(t, ns, obj, o);
  }
  kube::Result<Json> patch(const kube::ResourceType& t, const std::string& ns, const std::string& n,
                           kube::PatchType pt, const std::string& body,
                           const kube::PatchOptions& o) override {
    std::function<void()> hook;
    if (t == kube::resources::deployments()) {
      std::lock_guard l(mu_);
      if (auto it = hooks_.find(n); it != hooks_.end()) {
        hook = std::move(it->second);
        hooks_.erase(it);
      }
    }
    if (hook) hook();
    auto result = inner_.patch(t, ns, n, pt, body, o);
    if (t == kube::resources::deployments() && result.ok()) {
      std::lock_guard l(mu_);
      ++patches_[n];
    }
    if (t == kube::resources::deployments()) {
      std::lock_guard l(mu_);
      ++attempts_[n];
    }
    return result;
  }
  int attempts(const std::string& deployment) const {
    std::lock_guard l(mu_);
    auto it = attempts_.find(deployment);
    return it == attempts_.end() ? 0 : it->second;
  }
  kube::Result<Json> remove(const kube::ResourceType& t, const std::string& ns,
                            const std::string& n, const kube::DeleteOptions& o) override {
    return inner_.remove(t, ns, n, o);
  }

 private:
  tro::testing::InProcessApi& inner_;
  mutable std::mutex mu_;
  std::map<std::string, int> patches_;   // guarded by mu_; successful Deployment patches
  std::map<std::string, int> attempts_;  // guarded by mu_; every Deployment patch sent
  std::map<std::string, std::function<void()>> hooks_;  // guarded by mu_
};

// The factory hands out clients that forward to one FakePrometheus the test controls.
class ForwardingPrometheus final : public analysis::PrometheusApi {
 public:
  explicit ForwardingPrometheus(analysis::PrometheusApi& inner) : inner_(inner) {}
  analysis::PromResult<std::vector<analysis::Alert>> alerts() override { return inner_.alerts(); }
  analysis::PromResult<analysis::QueryResult> query(const std::string& promql,
                                                    std::optional<base::TimePoint> at) override {
    return inner_.query(promql, at);
  }

 private:
  analysis::PrometheusApi& inner_;
};

inline constexpr const char* kNs = "shop";

inline Json rolloutSpec() {
  return Json::parse(R"json({
    "selector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}},
    "flag": {"name": "FEATURE_OTEL", "enabledValue": "true", "disabledValue": "false"},
    "env": [{"name": "OTEL_TRACES_SAMPLER_ARG", "value": "0.02"}],
    "collector": {"image": "otel/opentelemetry-collector-contrib:0.90.0",
                  "configMap": "otel-collector-config"},
    "strategy": {"steps": [
      {"setWeight": 30}, {"pause": {"duration": "10m"}},
      {"setWeight": 60}, {"pause": {"duration": "10m"}},
      {"setWeight": 100}
    ]},
    "analysis": {
      "prometheus": {"address": "http://prometheus.monitoring:9090"},
      "interval": "1m",
      "queries": [{"name": "error-rate", "query": "sum(rate(errors[5m]))", "max": 0.02}],
      "failureLimit": 0
    }
  })json");
}

inline Json deploymentObject(const std::string& name, const std::string& partOf = "shop") {
  Json d = Json::parse(R"json({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"namespace": "shop"},
    "spec": {"replicas": 1, "template": {"metadata": {}, "spec": {"containers": [
      {"name": "app", "env": [{"name": "FEATURE_OTEL", "value": "legacy"},
                              {"name": "LOG_LEVEL", "value": "info"}]}]}}}
  })json");
  d["metadata"]["name"] = name;
  d["metadata"]["labels"] = {{"app.kubernetes.io/part-of", partOf}, {"app", name}};
  d["spec"]["selector"]["matchLabels"] = {{"app", name}};
  d["spec"]["template"]["metadata"]["labels"] = {{"app", name}};
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "shop/" + name + ":1.0";
  return d;
}

class ReconcilerWorld {
 public:
  explicit ReconcilerWorld(tro::testing::RolloutCrds crds = tro::testing::RolloutCrds::Shipped)
      : cluster_(clusterOptions(clock_, crds)),
        api_(cluster_),
        metrics_(registry_),
        log_(clock_, logs_) {
    prometheus_.answer("sum(rate(errors[5m]))", analysis::testing::one(0.001));
    reconciler_ = makeReconciler();
  }

  std::unique_ptr<RolloutReconciler> makeReconciler() {
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
    if (adjustDeps_) adjustDeps_(deps);
    return std::make_unique<RolloutReconciler>(api_, clock_, metrics_, std::move(deps), log_);
  }
  static tro::testing::InProcessApiOptions clusterOptions(base::SimulatedClock& clock,
                                                          tro::testing::RolloutCrds crds) {
    clock.set(*base::parseRfc3339("2026-11-21T06:00:00Z"));
    tro::testing::InProcessApiOptions o;
    o.namespaces = {kNs};
    o.rolloutCrds = crds;
    o.clock = [&clock] { return clock.now(); };
    return o;
  }

  // A new operator process: a fresh reconciler over the same cluster state.
  void restartOperator() { reconciler_ = makeReconciler(); }

  void addDeployment(const std::string& name, const std::string& partOf = "shop") {
    ASSERT_TRUE(
        cluster_.create(kube::resources::deployments(), kNs, deploymentObject(name, partOf), {})
            .ok());
    makeHealthy();
    originals_[name] = deployment(name);
  }
  void addRollout(const std::string& name, const Json& spec) {
    Json r = {{"apiVersion", "rollout.telemetry.io/v1alpha1"},
              {"kind", "TelemetryRollout"},
              {"metadata", {{"name", name}, {"namespace", kNs}}},
              {"spec", spec}};
    ASSERT_TRUE(cluster_.create(kube::resources::telemetryRollouts(), kNs, r, {}).ok());
  }
  // kubectl delete: the server sets deletionTimestamp and keeps the object while finalizers
  // remain.
  void markDeleted(const std::string& name) {
    auto deleted = cluster_.remove(kube::resources::telemetryRollouts(), kNs, name, {});
    ASSERT_TRUE(deleted.ok()) << deleted.error().toString();
  }

  // The Deployment controller: every Deployment's rollout completes.
  void makeHealthy() {
    auto list = cluster_.list(kube::resources::deployments(), kNs, {});
    ASSERT_TRUE(list.ok());
    for (Json d : (*list)["items"]) {
      int64_t replicas = d["spec"].value("replicas", 1);
      d["status"] = {{"observedGeneration", d["metadata"]["generation"]},
                     {"replicas", replicas},
                     {"updatedReplicas", replicas},
                     {"readyReplicas", replicas},
                     {"availableReplicas", replicas}};
      ASSERT_TRUE(cluster_.updateStatus(kube::resources::deployments(), kNs, d, {}).ok());
    }
  }

  // What the informers would hold now.
  void sync() {
    for (auto [type, store] : {std::pair{kube::resources::deployments(), &deployments_},
                               std::pair{kube::resources::telemetryRollouts(), &rollouts_}}) {
      auto list = cluster_.list(type, "", {});
      ASSERT_TRUE(list.ok());
      std::vector<Json> items((*list)["items"].begin(), (*list)["items"].end());
      store->replace(std::move(items), (*list)["metadata"].value("resourceVersion", ""));
    }
  }

  runtime::ReconcileResult reconcile(const std::string& name) {
    sync();
    return reconciler_->reconcile(std::string(kNs) + "/" + name, std::stop_token());
  }

  // Reconciles, finishes the Deployments' rollouts and follows requeueAfter, until `done` or
  // `limit` reconciles.
  int drive(const std::string& name, const std::function<bool()>& done, int limit = 60) {
    for (int i = 0; i < limit; ++i) {
      auto r = reconcile(name);
      EXPECT_FALSE(r.isError()) << r.message();
      if (done()) return i + 1;
      makeHealthy();
      if (r.kind() == runtime::ReconcileResult::Kind::RequeueAfter) clock_.advance(r.after());
    }
    return limit;
  }

  Json deployment(const std::string& name) {
    auto d = cluster_.get(kube::resources::deployments(), kNs, name);
    EXPECT_TRUE(d.ok()) << name;
    return d.ok() ? *d : Json();
  }
  Json rollout(const std::string& name) {
    auto r = cluster_.get(kube::resources::telemetryRollouts(), kNs, name);
    EXPECT_TRUE(r.ok()) << name;
    return r.ok() ? *r : Json();
  }
  RolloutStatus status(const std::string& name) {
    auto s = statusFromJson(rollout(name).value("status", Json::object()));
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : RolloutStatus{};
  }
  std::string env(const std::string& deployment, const std::string& var) {
    const Json d = this->deployment(deployment);  // the loop must not walk a temporary
    for (const auto& c : d["spec"]["template"]["spec"]["containers"]) {
      if (c["name"] != "app") continue;
      for (const auto& e : c.value("env", Json::array())) {
        if (e["name"] == var) return e.value("value", "");
      }
    }
    return "<unset>";
  }
  bool hasContainer(const std::string& deployment, const std::string& container) {
    const Json d = this->deployment(deployment);
    for (const auto& c : d["spec"]["template"]["spec"]["containers"]) {
      if (c["name"] == container) return true;
    }
    return false;
  }
  std::vector<Json> events() {
    auto list = cluster_.list(kube::resources::events(), kNs, {});
    EXPECT_TRUE(list.ok());
    return list.ok() ? std::vector<Json>((*list)["items"].begin(), (*list)["items"].end())
                     : std::vector<Json>{};
  }
  std::vector<std::string> eventReasons(const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& e : events()) {
      if (e["involvedObject"]["kind"] == kind) out.push_back(e["reason"]);
    }
    return out;
  }

  base::SimulatedClock clock_;  // before cluster_: the server reads it
  tro::testing::InProcessApi cluster_;
  RecordingApi api_;
  runtime::Store rollouts_;
  runtime::Store deployments_{workloadStoreOptions(WorkloadKind::Deployment)};
  runtime::Registry registry_;
  RolloutMetrics metrics_;
  analysis::testing::FakePrometheus prometheus_;
  std::ostringstream logs_;
  base::Logger log_;
  std::map<std::string, Json> originals_;
  // Applied to the dependencies of every reconciler made from now on (restartOperator()).
  std::function<void(RolloutReconcilerDeps&)> adjustDeps_;
  std::unique_ptr<RolloutReconciler> reconciler_;
};

}  // namespace tro::controllers::testing
