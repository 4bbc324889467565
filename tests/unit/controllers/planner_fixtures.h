#pragma once
// Test fixtures for the planner: a spec builder, a tiny simulated world of Deployments that
// applies a plan's actions the way the executor would (annotations only), and a driver that
// re-plans with the status each plan produced, like the reconciler does.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "controllers/rollout/planner.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers::testing {

using namespace std::chrono_literals;

inline constexpr const char* kKey = "shop/enable-otel";

inline base::TimePoint t0() { return *base::parseRfc3339("2026-11-21T06:00:00Z"); }

inline Step weight(int w) { return {Step::Kind::SetWeight, w, std::nullopt, {}}; }
inline Step pause(std::optional<std::chrono::nanoseconds> d) {
  return {Step::Kind::Pause, 0, d, {}};
}
inline Step setEnv(std::string name, std::string value) {
  return {Step::Kind::SetEnv, 0, std::nullopt, {{std::move(name), std::move(value)}}};
}

inline RolloutSpec specWith(std::vector<Step> steps, bool analysis = true) {
  RolloutSpec s;
  s.flag = {"FEATURE_OTEL", "true", "false"};
  s.env = {{"OTEL_TRACES_SAMPLER_ARG", "0.02"}};
  s.steps = std::move(steps);
  if (analysis) {
    AnalysisSpec a;
    a.prometheusAddress = "http://prometheus:9090";
    a.interval = 1min;
    a.failureLimit = 0;
    s.analysis = a;
  }
  return s;
}

// Hashes that change at every setEnv step, like the real configHash would.
inline std::vector<std::string> hashesFor(const RolloutSpec& spec, const std::string& salt = "") {
  std::vector<std::string> out;
  int version = 0;
  for (const auto& step : spec.steps) {
    if (step.kind == Step::Kind::SetEnv) ++version;
    out.push_back("h" + salt + std::to_string(version));
  }
  return out;
}

inline analysis::Verdict verdict(analysis::Outcome outcome, std::string check = "",
                                 std::optional<double> value = std::nullopt) {
  analysis::Verdict v;
  v.outcome = outcome;
  if (outcome != analysis::Outcome::Successful) {
    v.reason = {check, value, "max 0.02", check + " breached"};
    v.checks = {{outcome, v.reason, {}}};
  }
  return v;
}

// Deployments as the planner observes them; apply() performs a plan's writes.
class World {
 public:
  void add(const std::string& name, bool selected = true) {
    TargetObservation t;
    t.name = name;
    t.health.state = RolloutHealth::State::Healthy;
    deployments_[name] = {t, selected};
  }
  void claimByOther(const std::string& name) {
    deployments_[name].obs.claimedBy = "shop/other";
    deployments_[name].obs.claimedByOther = true;
  }
  void setHealth(const std::string& name, RolloutHealth::State state) {
    deployments_[name].obs.health = {state, std::string("health of ") + name};
  }
  void allHealthy() {
    for (auto& [name, d] : deployments_) d.obs.health = {RolloutHealth::State::Healthy, ""};
  }
  void deselect(const std::string& name) { deployments_[name].selected = false; }
  void remove(const std::string& name) { deployments_.erase(name); }
  const TargetObservation& at(const std::string& name) { return deployments_.at(name).obs; }

  // A write makes the Deployment roll out again (Progressing) until the test says otherwise.
  void apply(const std::vector<TargetAction>& actions) {
    for (const auto& a : actions) {
      TargetObservation& t = deployments_.at(a.deployment).obs;
      switch (a.form) {
        case TargetForm::Enabled:
          t.claimedBy = kKey;
          t.state = TargetObservation::State::Enabled;
          t.configHash = a.configHash;
          break;
        case TargetForm::Disabled:
          t.state = TargetObservation::State::Disabled;
          break;
        case TargetForm::Restored:
          t.claimedBy = "";
          t.state = TargetObservation::State::None;
          t.configHash = "";
          break;
      }
      t.health = {RolloutHealth::State::Progressing, "rolling"};
    }
  }

  std::vector<TargetObservation> selected() const { return list(true); }
  std::vector<TargetObservation> departed() const {
    std::vector<TargetObservation> out;
    for (const auto& t : list(false)) {
      if (t.claimedBy == kKey) out.push_back(t);
    }
    return out;
  }

  int enabledCount() const {
    return static_cast<int>(std::count_if(
        deployments_.begin(), deployments_.end(),
        [](const auto& kv) { return kv.second.obs.state == TargetObservation::State::Enabled; }));
  }

 private:
  struct Deployment {
    TargetObservation obs;
    bool selected = true;
  };
  std::vector<TargetObservation> list(bool selected) const {
    std::vector<TargetObservation> out;
    for (const auto& [name, d] : deployments_) {  // std::map: sorted by name
      if (d.selected == selected) out.push_back(d.obs);
    }
    return out;
  }
  std::map<std::string, Deployment> deployments_;
};

// Drives plan() like the reconciler: fetches a verdict when analysis is due, writes the status
// back, performs the actions on the world.
class Driver {
 public:
  explicit Driver(RolloutSpec spec) {
    in_.rollout = {"shop", "enable-otel", "uid-1", 1, std::nullopt, false, {}};
    setSpec(std::move(spec), 1);
    now_ = t0();
  }

  void setSpec(RolloutSpec spec, int64_t generation, const std::string& salt = "") {
    in_.configHashes = hashesFor(spec, salt);
    in_.spec = ParsedSpec{std::move(spec), {}};
    in_.rollout.generation = generation;
  }
  void setInvalid(std::vector<SpecProblem> problems, int64_t generation) {
    in_.spec = ParsedSpec{std::nullopt, std::move(problems)};
    in_.configHashes.clear();
    in_.rollout.generation = generation;
  }
  void setSpecHash(std::string hash) { in_.specHash = std::move(hash); }
  RolloutSpec& spec() { return *in_.spec.spec; }
  void annotate(const std::string& key, const std::string& value) {
    in_.rollout.annotations[key] = value;
  }
  void conflict(const std::string& name, const std::string& why) {
    in_.injectConflicts[name] = why;
  }
  void markDeleted() { in_.rollout.deletionTimestamp = now_; }
  void advance(base::Duration d) { now_ += d; }
  void setVerdict(analysis::Verdict v) { verdict_ = std::move(v); }
  void setInconclusiveLimit(int n) { in_.inconclusiveLimit = n; }

  // One plan, without side effects.
  Plan peek() { return resolve(input()); }

  // One reconcile: plan, write status and finalizer, perform the actions. Also checks the
  // restart property: re-planning from the status just produced (through JSON, as a restarted
  // operator reads it) and the same observations asks for the same writes, emits no event again
  // and reproduces the same status.
  Plan reconcile() {
    PlanInput in = input();
    Plan p = resolve(in);
    if (!p.removeFinalizer) expectRestartSafe(in, p);
    if (p.addFinalizer) in_.rollout.hasFinalizer = true;
    if (p.removeFinalizer) in_.rollout.hasFinalizer = false;
    in_.status = p.status;
    world.apply(p.actions);
    return p;
  }

  // Reconciles until nothing is written and no event is emitted (the steady state for `now`).
  Plan settle(int maxRounds = 20) {
    Plan p;
    for (int i = 0; i < maxRounds; ++i) {
      p = reconcile();
      if (p.actions.empty() && p.events.empty()) return p;
    }
    ADD_FAILURE() << "no steady state after " << maxRounds << " reconciles";
    return p;
  }

  PlanInput input() const {
    PlanInput in = in_;
    in.targets = world.selected();
    in.departed = world.departed();
    in.now = now_;
    return in;
  }
  Plan resolve(PlanInput in) const {
    Plan p = plan(in);
    if (p.analysisDue) {
      in.verdict = verdict_;
      p = plan(in);
      EXPECT_FALSE(p.analysisDue) << "a consumed verdict must not make analysis due again";
    }
    return p;
  }

  void expectRestartSafe(PlanInput in, const Plan& p) const {
    auto parsed = statusFromJson(toJson(p.status));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    in.status = *parsed;
    in.rollout.hasFinalizer = in.rollout.hasFinalizer || p.addFinalizer;
    Plan again = resolve(in);
    EXPECT_EQ(again.actions, p.actions) << "restart changed the writes";
    EXPECT_TRUE(again.events.empty()) << "restart repeated events, first: "
                                      << (again.events.empty() ? "" : again.events[0].reason);
    EXPECT_EQ(again.status, p.status)
        << "restart changed the status: " << toJson(again.status).dump() << " vs "
        << toJson(p.status).dump();
  }

  const RolloutStatus& status() const { return *in_.status; }
  void setStatus(RolloutStatus s) { in_.status = std::move(s); }
  base::TimePoint now() const { return now_; }

  World world;

 private:
  PlanInput in_;
  base::TimePoint now_;
  std::optional<analysis::Verdict> verdict_ = verdict(analysis::Outcome::Successful);
};

inline std::vector<std::string> names(const std::vector<TargetAction>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(a.deployment);
  return out;
}

inline std::vector<std::string> reasons(const std::vector<PlannedEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.reason);
  return out;
}

inline bool hasEvent(const Plan& p, const std::string& reason) {
  auto r = reasons(p.events);
  return std::find(r.begin(), r.end(), reason) != r.end();
}

inline const Condition& condition(const RolloutStatus& s, const std::string& type) {
  for (const auto& c : s.conditions) {
    if (c.type == type) return c;
  }
  static const Condition kMissing{"missing", "", "", "", 0, {}};
  ADD_FAILURE() << "no condition " << type;
  return kMissing;
}

}  // namespace tro::controllers::testing
