#include "plugin/rollout_view.h"

#include <algorithm>
#include <map>
#include <optional>

#include "controllers/analysis/evaluate.h"
#include "controllers/rollout/status.h"
#include "controllers/rollout/workload_health.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/base/duration.h"
#include "operator/base/rfc3339.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/json_fields.h"

namespace tro::plugin {

namespace {

using kube::Json;

constexpr size_t kCellBytes = 120;
constexpr size_t kHeadLabelWidth = 11;  // "Generation:": the values line up in every frame

// Server text made safe for a terminal: one line, no control characters, bounded.
std::string clean(const std::string& text, size_t maxBytes = kCellBytes) {
  return base::cleanExcerpt(text, maxBytes);
}

std::string str(const Json& j, const char* key) { return clean(kube::stringAt(j, key)); }

const Json& field(const Json& j, const char* key) {
  static const Json kNull;  // immutable: a shared "absent" value
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// Columns on screen: UTF-8 continuation bytes take none (cleaned text is valid UTF-8).
size_t displayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Rows printed as aligned columns, two spaces apart (the first column at least `firstWidth`
// wide), trailing spaces trimmed.
std::string table(const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                  size_t firstWidth = 0) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
  }
  if (!widths.empty()) widths[0] = std::max(widths[0], firstWidth);
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - displayWidth(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string stepText(const Json& step) {
  if (!step.is_object()) return "?";
  if (step.contains("setWeight")) {
    const Json& w = step["setWeight"];
    return "setWeight: " + (w.is_number() ? std::to_string(w.get<int64_t>()) + "%" : "?");
  }
  if (step.contains("pause")) {
    const std::string d = str(field(step, "pause"), "duration");
    return "pause: " + (d.empty() ? std::string("until promoted") : d);
  }
  if (step.contains("setEnv")) {
    std::string vars;
    if (step["setEnv"].is_object()) {
      for (const auto& [k, v] : step["setEnv"].items()) {
        vars += (vars.empty() ? "" : ", ") + clean(k, 64) + "=" +
                (v.is_string() ? clean(v.get<std::string>(), 64) : std::string("?"));
      }
    }
    return "setEnv: " + vars;
  }
  return "?";
}

std::optional<base::TimePoint> timeAt(const Json& j, const char* key) {
  const std::string text = str(j, key);
  if (text.empty()) return std::nullopt;
  return base::parseRfc3339(text);
}

std::string ago(std::optional<base::TimePoint> t, base::TimePoint now) {
  if (!t) return "-";
  return shortDuration(now > *t ? now - *t : std::chrono::nanoseconds(0));
}

// The window line: remaining time of a timed pause, or what a manual one waits for.
std::string windowLine(const Json& steps, const controllers::RolloutStatus& s,
                       base::TimePoint now) {
  if (s.phase != controllers::Phase::Progressing && s.phase != controllers::Phase::Paused) {
    return "";
  }
  if (!steps.is_array() || s.currentStep < 0 ||
      static_cast<size_t>(s.currentStep) >= steps.size()) {
    return "";
  }
  const Json& step = steps[s.currentStep];
  if (!step.is_object() || !step.contains("pause")) return "";
  const std::string duration = str(field(step, "pause"), "duration");
  if (duration.empty()) return "open until promoted (kubectl telemetry promote)";
  auto d = base::parseDuration(duration);
  if (!d.ok() || !s.stepStartedAt) return duration;
  const auto end = *s.stepStartedAt + std::chrono::duration_cast<base::Duration>(*d);
  if (end <= now) return "ended (" + duration + ")";
  return shortDuration(end - now) + " left of " + duration;
}

// "3/3 available" and how the workload's own rollout goes, by its kind's rules.
std::string targetProgress(const Json* workload) {
  if (workload == nullptr) return "not found";
  const Json& spec = field(*workload, "spec");
  const Json& status = field(*workload, "status");
  auto count = [](const Json& obj, const char* key, int64_t fallback) {
    return field(obj, key).is_number_integer() ? obj[key].get<int64_t>() : fallback;
  };
  const controllers::RolloutHealth health = controllers::workloadHealth(*workload);
  int64_t want = count(spec, "replicas", 1);
  int64_t available = count(status, "availableReplicas", 0);
  if (controllers::workloadKindOf(*workload) == controllers::WorkloadKind::DaemonSet) {
    want = count(status, "desiredNumberScheduled", 0);
    available = count(status, "numberAvailable", 0);
  }
  std::string out = std::to_string(available) + "/" + std::to_string(want) + " available";
  switch (health.state) {
    case controllers::RolloutHealth::State::Healthy:
      return out;
    case controllers::RolloutHealth::State::Progressing:
      return out + ", rolling out";
    case controllers::RolloutHealth::State::Failed:
      return out + ", failed: " + clean(health.message, 80);
    case controllers::RolloutHealth::State::NotRollable:
      return out + ", not rollable: " + clean(health.message, 80);
  }
  return out;
}

base::TimePoint eventTime(const Json& e) {
  for (const char* key : {"lastTimestamp", "eventTime", "firstTimestamp"}) {
    if (auto t = timeAt(e, key)) return *t;
  }
  if (auto t = timeAt(field(e, "metadata"), "creationTimestamp")) return *t;
  return base::TimePoint{};
}

}  // namespace

std::string shortDuration(std::chrono::nanoseconds d) {
  const int64_t s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 120) return std::to_string(s) + "s";
  const int64_t m = s / 60;
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (m < 180) return std::to_string(m) + "m";
  const int64_t h = m / 60;
  if (h < 48) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  return std::to_string(h / 24) + "d" + (h % 24 ? std::to_string(h % 24) + "h" : "");
}

std::string renderRollout(const RolloutView& view, base::TimePoint now) {
  const Json& r = view.rollout;
  const Json& meta = field(r, "metadata");
  const Json& spec = field(r, "spec");
  const Json& steps = field(field(spec, "strategy"), "steps");
  auto parsed = controllers::statusFromJson(field(r, "status"));
  const controllers::RolloutStatus s = parsed.ok() ? *parsed : controllers::RolloutStatus{};
  const bool hasStatus = field(r, "status").is_object() && !field(r, "status").empty();

  std::string reason;
  for (const auto& c : s.conditions) {
    if (c.type == "Ready") reason = clean(c.reason, 64);
  }
  const bool cluster = str(meta, "namespace").empty();  // a ClusterTelemetryRollout
  std::vector<std::vector<std::string>> head = {
      {"Name:", str(meta, "name")},
      {"Namespace:", cluster ? std::string("(cluster-scoped)") : str(meta, "namespace")},
      {"Phase:", hasStatus ? std::string(controllers::toString(s.phase)) +
                                 (reason.empty() || reason == controllers::toString(s.phase)
                                      ? ""
                                      : " (" + reason + ")")
                           : "(no status yet: is the operator running?)"},
  };
  if (!parsed.ok()) head.push_back({"Status:", "unreadable: " + clean(parsed.error().message)});
  if (!s.message.empty()) head.push_back({"Message:", clean(s.message, 200)});
  if (field(spec, "paused").is_boolean() && spec["paused"].get<bool>()) {
    head.push_back({"Paused:", "spec.paused is set (kubectl telemetry resume)"});
  }
  if (!s.stepProgress.empty()) head.push_back({"Step:", clean(s.stepProgress, 16)});
  if (auto w = windowLine(steps, s, now); !w.empty()) head.push_back({"Window:", w});
  if (!s.targetProgress.empty()) {
    head.push_back({"Targets:", clean(s.targetProgress, 16) + " enabled"});
  }
  const int64_t generation =
      field(meta, "generation").is_number() ? meta["generation"].get<int64_t>() : 0;
  if (hasStatus && s.observedGeneration != generation) {
    head.push_back({"Generation:", "observed " + std::to_string(s.observedGeneration) + " of " +
                                       std::to_string(generation) + " (the operator is behind)"});
  }
  std::string out = table(head, "", kHeadLabelWidth);

  if (steps.is_array() && !steps.empty()) {
    out += "\nSteps:\n";
    std::vector<std::vector<std::string>> rows;
    const bool done = s.phase == controllers::Phase::Succeeded;
    for (size_t i = 0; i < steps.size(); ++i) {
      std::string mark = "   ";
      if (hasStatus && !done && static_cast<size_t>(s.currentStep) == i) mark = " > ";
      if (hasStatus && (done || i < static_cast<size_t>(s.currentStep))) mark = " ✓ ";
      rows.push_back({mark + std::to_string(i + 1), stepText(steps[i])});
    }
    out += table(rows, "");
  }

  if (!s.targets.empty()) {
    std::map<std::string, const Json*> byKey;
    for (const Json& w : view.workloads) byKey[controllers::targetKeyOf(w, cluster)] = &w;
    std::vector<std::vector<std::string>> rows = {{"NAME", "STATE", "WORKLOAD", "MESSAGE"}};
    for (const auto& t : s.targets) {
      auto d = byKey.find(t.name);
      rows.push_back({clean(t.name, 64), controllers::toString(t.state),
                      targetProgress(d == byKey.end() ? nullptr : d->second),
                      clean(t.message, 100)});
    }
    out += "\nTargets:\n" + table(rows, "  ");
  }

  const auto& a = s.analysis;
  if (a.lastRunAt || !a.checks.empty()) {
    out += "\nAnalysis: last run " + ago(a.lastRunAt, now) + " ago, " +
           (a.lastOutcome.empty() ? std::string("no verdict") : clean(a.lastOutcome, 32)) +
           " (failures: " + std::to_string(a.consecutiveFailures) + " in a row, " +
           std::to_string(a.totalFailures) + " in total)\n";
    std::vector<std::vector<std::string>> rows = {
        {"CHECK", "OUTCOME", "VALUE", "THRESHOLD", "MESSAGE"}};
    for (const auto& c : a.checks) {
      rows.push_back({clean(c.check, 64), clean(c.outcome, 16),
                      c.value ? controllers::analysis::formatValue(*c.value) : "-",
                      c.threshold.empty() ? "-" : clean(c.threshold, 32), clean(c.message, 100)});
    }
    if (rows.size() > 1) out += table(rows, "  ");
  }

  if (s.rollback) {
    const auto& rb = *s.rollback;
    out += "\nRollback: " + clean(rb.reason, 64) + ", " + ago(rb.at, now) + " ago\n";
    std::vector<std::vector<std::string>> rows;
    if (!rb.check.empty()) rows.push_back({"Check:", clean(rb.check, 64)});
    if (rb.value) rows.push_back({"Value:", controllers::analysis::formatValue(*rb.value)});
    if (!rb.threshold.empty()) rows.push_back({"Threshold:", clean(rb.threshold, 32)});
    if (!rb.message.empty()) rows.push_back({"Message:", clean(rb.message, 200)});
    out += table(rows, "  ");
  }

  if (!view.events.empty()) {
    std::vector<const Json*> events;
    for (const Json& e : view.events) events.push_back(&e);
    std::stable_sort(events.begin(), events.end(),
                     [](const Json* x, const Json* y) { return eventTime(*x) < eventTime(*y); });
    if (events.size() > kEventsShown) events.erase(events.begin(), events.end() - kEventsShown);
    std::vector<std::vector<std::string>> rows = {{"AGE", "TYPE", "REASON", "MESSAGE"}};
    for (const Json* e : events) {
      rows.push_back(
          {ago(eventTime(*e), now), str(*e, "type"), str(*e, "reason"),
           clean(field(*e, "message").is_string() ? (*e)["message"].get<std::string>() : "", 160)});
    }
    out += "\nEvents:\n" + table(rows, "  ");
  }
  return out;
}

std::string renderList(const std::vector<Json>& rollouts, bool withNamespace, base::TimePoint now) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"NAME", "PHASE", "REASON", "STEP", "TARGETS", "AGE"};
  if (withNamespace) header.insert(header.begin(), "NAMESPACE");
  rows.push_back(header);
  for (const Json& r : rollouts) {
    const Json& meta = field(r, "metadata");
    auto parsed = controllers::statusFromJson(field(r, "status"));
    const controllers::RolloutStatus s = parsed.ok() ? *parsed : controllers::RolloutStatus{};
    std::string reason;
    for (const auto& c : s.conditions) {
      if (c.type == "Ready") reason = clean(c.reason, 32);
    }
    std::vector<std::string> row = {str(meta, "name"),
                                    field(r, "status").is_object() && !r["status"].empty()
                                        ? controllers::toString(s.phase)
                                        : "-",
                                    reason.empty() ? "-" : reason,
                                    s.stepProgress.empty() ? "-" : clean(s.stepProgress, 16),
                                    s.targetProgress.empty() ? "-" : clean(s.targetProgress, 16),
                                    ago(timeAt(meta, "creationTimestamp"), now)};
    if (withNamespace) row.insert(row.begin(), str(meta, "namespace"));
    rows.push_back(std::move(row));
  }
  return table(rows, "");
}

}  // namespace tro::plugin
