#include "controllers/rollout/status.h"

#include <array>
#include <utility>

#include "controllers/rollout/workload_kind.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {
namespace {

using kube::Json;

constexpr std::array<std::pair<Phase, const char*>, 6> kPhases{{
    {Phase::Pending, "Pending"},
    {Phase::Progressing, "Progressing"},
    {Phase::Paused, "Paused"},
    {Phase::Succeeded, "Succeeded"},
    {Phase::RolledBack, "RolledBack"},
    {Phase::Failed, "Failed"},
}};

constexpr std::array<std::pair<TargetState, const char*>, 5> kTargetStates{{
    {TargetState::Pending, "Pending"},
    {TargetState::Enabled, "Enabled"},
    {TargetState::RolledBack, "RolledBack"},
    {TargetState::Restored, "Restored"},
    {TargetState::Conflict, "Conflict"},
}};

template <typename E, size_t N>
std::optional<E> lookup(const std::array<std::pair<E, const char*>, N>& table,
                        const std::string& name) {
  for (const auto& [value, text] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// Thrown inside the parser only; statusFromJson turns it into a StatusError.
struct FieldError {
  std::string message;
};

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw FieldError{path + ": " + why};
}

const Json* field(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string str(const Json& obj, const char* key, const std::string& path) {
  const Json* v = field(obj, key);
  if (v == nullptr) return "";
  if (!v->is_string()) bad(path + "." + key, "must be a string");
  return v->get<std::string>();
}

int64_t integer(const Json& obj, const char* key, const std::string& path) {
  const Json* v = field(obj, key);
  if (v == nullptr) return 0;
  if (!v->is_number_integer()) bad(path + "." + key, "must be an integer");
  return v->get<int64_t>();
}

std::optional<double> number(const Json& obj, const char* key, const std::string& path) {
  const Json* v = field(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) bad(path + "." + key, "must be a number");
  return v->get<double>();
}

std::optional<base::TimePoint> time(const Json& obj, const char* key, const std::string& path) {
  std::string text = str(obj, key, path);
  if (text.empty()) return std::nullopt;
  auto t = base::parseRfc3339(text);
  if (!t) bad(path + "." + key, "not an RFC3339 time: \"" + text + "\"");
  return t;
}

const Json& object(const Json& obj, const char* key, const std::string& path) {
  static const Json kEmpty = Json::object();
  const Json* v = field(obj, key);
  if (v == nullptr) return kEmpty;
  if (!v->is_object()) bad(path + "." + key, "must be an object");
  return *v;
}

const Json& array(const Json& obj, const char* key, const std::string& path) {
  static const Json kEmpty = Json::array();
  const Json* v = field(obj, key);
  if (v == nullptr) return kEmpty;
  if (!v->is_array()) bad(path + "." + key, "must be an array");
  return *v;
}

void putOptional(Json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

Json toJson(const AnalysisStatus& a) {
  Json out = Json::object();
  if (a.lastRunAt) out["lastRunAt"] = base::formatRfc3339(*a.lastRunAt);
  putOptional(out, "lastOutcome", a.lastOutcome);
  out["consecutiveFailures"] = a.consecutiveFailures;
  out["totalFailures"] = a.totalFailures;
  out["consecutiveInconclusive"] = a.consecutiveInconclusive;
  Json checks = Json::array();
  for (const auto& c : a.checks) {
    Json j = {{"check", c.check}, {"outcome", c.outcome}};
    if (c.value) j["value"] = *c.value;
    putOptional(j, "threshold", c.threshold);
    putOptional(j, "message", c.message);
    checks.push_back(std::move(j));
  }
  if (!checks.empty()) out["checks"] = std::move(checks);
  return out;
}

Json toJson(const RollbackRecord& r) {
  Json out = {{"reason", r.reason}, {"at", base::formatRfc3339(r.at)}};
  putOptional(out, "check", r.check);
  if (r.value) out["value"] = *r.value;
  putOptional(out, "threshold", r.threshold);
  putOptional(out, "message", r.message);
  return out;
}

Json toJson(const Condition& c) {
  Json out = {{"type", c.type},
              {"status", c.status},
              {"observedGeneration", c.observedGeneration},
              {"lastTransitionTime", base::formatRfc3339(c.lastTransitionTime)},
              {"reason", c.reason}};
  out["message"] = c.message;
  return out;
}

AnalysisStatus analysisFrom(const Json& j, const std::string& path) {
  AnalysisStatus a;
  a.lastRunAt = time(j, "lastRunAt", path);
  a.lastOutcome = str(j, "lastOutcome", path);
  a.consecutiveFailures = static_cast<int>(integer(j, "consecutiveFailures", path));
  a.totalFailures = static_cast<int>(integer(j, "totalFailures", path));
  a.consecutiveInconclusive = static_cast<int>(integer(j, "consecutiveInconclusive", path));
  const Json& checks = array(j, "checks", path);
  for (size_t i = 0; i < checks.size(); ++i) {
    std::string p = path + ".checks[" + std::to_string(i) + "]";
    if (!checks[i].is_object()) bad(p, "must be an object");
    a.checks.push_back({str(checks[i], "check", p), str(checks[i], "outcome", p),
                        number(checks[i], "value", p), str(checks[i], "threshold", p),
                        str(checks[i], "message", p)});
  }
  return a;
}

std::optional<RollbackRecord> rollbackFrom(const Json& j, const std::string& path) {
  if (j.empty()) return std::nullopt;
  RollbackRecord r;
  r.reason = str(j, "reason", path);
  r.check = str(j, "check", path);
  r.value = number(j, "value", path);
  r.threshold = str(j, "threshold", path);
  r.at = time(j, "at", path).value_or(base::TimePoint{});
  r.message = str(j, "message", path);
  return r;
}

TargetStatus targetFrom(const Json& j, const std::string& path) {
  if (!j.is_object()) bad(path, "must be an object");
  TargetStatus t;
  TargetRef ref{WorkloadKind::Deployment, str(j, "name", path), str(j, "namespace", path)};
  if (ref.name.empty()) bad(path + ".name", "Required value");
  if (const std::string kind = str(j, "kind", path); !kind.empty()) {
    auto k = workloadKindNamed(kind);
    if (!k) bad(path + ".kind", "unknown value \"" + kind + "\"");
    ref.kind = *k;
  }
  t.name = targetKey(ref);
  std::string state = str(j, "state", path);
  auto s = lookup(kTargetStates, state);
  if (!s) bad(path + ".state", "unknown value \"" + state + "\"");
  t.state = *s;
  t.configHash = str(j, "configHash", path);
  t.message = str(j, "message", path);
  return t;
}

Condition conditionFrom(const Json& j, const std::string& path) {
  if (!j.is_object()) bad(path, "must be an object");
  Condition c;
  c.type = str(j, "type", path);
  c.status = str(j, "status", path);
  c.reason = str(j, "reason", path);
  c.message = str(j, "message", path);
  c.observedGeneration = integer(j, "observedGeneration", path);
  c.lastTransitionTime = time(j, "lastTransitionTime", path).value_or(base::TimePoint{});
  return c;
}

RolloutStatus parse(const Json& j) {
  const std::string p = "status";
  if (!j.is_object()) bad(p, "must be an object");
  RolloutStatus s;
  s.observedGeneration = integer(j, "observedGeneration", p);
  s.specHash = str(j, "specHash", p);
  std::string phase = str(j, "phase", p);
  if (!phase.empty()) {
    auto ph = lookup(kPhases, phase);
    if (!ph) bad(p + ".phase", "unknown value \"" + phase + "\"");
    s.phase = *ph;
  }
  s.currentStep = static_cast<int>(integer(j, "currentStep", p));
  if (s.currentStep < 0) bad(p + ".currentStep", "must not be negative");
  s.stepStartedAt = time(j, "stepStartedAt", p);
  s.stepProgress = str(j, "stepProgress", p);
  s.targetProgress = str(j, "targetProgress", p);
  s.message = str(j, "message", p);
  const Json& targets = array(j, "targets", p);
  for (size_t i = 0; i < targets.size(); ++i)
    s.targets.push_back(targetFrom(targets[i], p + ".targets[" + std::to_string(i) + "]"));
  s.analysis = analysisFrom(object(j, "analysis", p), p + ".analysis");
  s.rollback = rollbackFrom(object(j, "rollback", p), p + ".rollback");
  const Json& handled = object(j, "handledControls", p);
  s.handledControls = {str(handled, "promote", p + ".handledControls"),
                       str(handled, "abort", p + ".handledControls"),
                       str(handled, "retry", p + ".handledControls")};
  const Json& conditions = array(j, "conditions", p);
  for (size_t i = 0; i < conditions.size(); ++i)
    s.conditions.push_back(
        conditionFrom(conditions[i], p + ".conditions[" + std::to_string(i) + "]"));
  return s;
}

}  // namespace

const char* toString(Phase phase) {
  for (const auto& [value, text] : kPhases) {
    if (value == phase) return text;
  }
  return "Unknown";
}

const char* toString(TargetState state) {
  for (const auto& [value, text] : kTargetStates) {
    if (value == state) return text;
  }
  return "Unknown";
}

const TargetStatus* RolloutStatus::target(const std::string& name) const {
  for (const auto& t : targets) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Json toJson(const RolloutStatus& s) {
  Json out = {{"observedGeneration", s.observedGeneration},
              {"phase", toString(s.phase)},
              {"currentStep", s.currentStep}};
  if (s.stepStartedAt) out["stepStartedAt"] = base::formatRfc3339(*s.stepStartedAt);
  putOptional(out, "stepProgress", s.stepProgress);
  putOptional(out, "specHash", s.specHash);
  putOptional(out, "targetProgress", s.targetProgress);
  putOptional(out, "message", s.message);
  Json targets = Json::array();
  for (const auto& t : s.targets) {
    const TargetRef ref = targetRef(t.name);
    Json j = {{"name", ref.name}, {"state", toString(t.state)}};
    if (!ref.namespace_.empty()) j["namespace"] = ref.namespace_;
    if (ref.kind != WorkloadKind::Deployment) j["kind"] = toString(ref.kind);
    putOptional(j, "configHash", t.configHash);
    putOptional(j, "message", t.message);
    targets.push_back(std::move(j));
  }
  out["targets"] = std::move(targets);
  out["analysis"] = toJson(s.analysis);
  if (s.rollback) out["rollback"] = toJson(*s.rollback);
  Json handled = Json::object();
  putOptional(handled, "promote", s.handledControls.promote);
  putOptional(handled, "abort", s.handledControls.abort);
  putOptional(handled, "retry", s.handledControls.retry);
  out["handledControls"] = std::move(handled);
  Json conditions = Json::array();
  for (const auto& c : s.conditions) conditions.push_back(toJson(c));
  out["conditions"] = std::move(conditions);
  return out;
}

base::Result<RolloutStatus, StatusError> statusFromJson(const Json& json) {
  if (json.is_null() || (json.is_object() && json.empty())) return RolloutStatus{};
  try {
    return parse(json);
  } catch (const FieldError& e) {
    return base::fail(StatusError{e.message});
  } catch (const Json::exception& e) {
    return base::fail(StatusError{std::string("status: ") + e.what()});
  }
}

}  // namespace tro::controllers
