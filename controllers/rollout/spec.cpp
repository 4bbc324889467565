#include "controllers/rollout/spec.h"

#include <algorithm>
#include <set>

#include "controllers/notify/webhook_url.h"
#include "controllers/rollout/otel_annotations.h"
#include "controllers/rollout/pod_values.h"
#include "controllers/rollout/spec_reader.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/base/fnv_hash.h"
#include "operator/base/untrusted_text.h"
#include "operator/base/url.h"
#include "operator/kube/names.h"

namespace tro::controllers {
namespace {

using Reader = detail::SpecReader;
using detail::at;
using detail::isConfigMapKey;
using detail::isEnvName;
using detail::readAnalysis;
using detail::readEnum;
using kube::isDnsLabel;
using kube::isDnsSubdomain;

// spec.flag may be left out when spec.instrumentation switches telemetry on instead.
FlagSpec readFlag(Reader& r, const Json& spec) {
  FlagSpec flag;
  const Json* f = r.get(spec, "flag", "spec.flag", Json::value_t::object);
  if (f == nullptr) {
    const auto present = [&](const char* key) {
      const auto it = spec.find(key);
      return it != spec.end() && !it->is_null();
    };
    if (!present("flag") && !present("instrumentation")) {
      r.problem("spec.flag", "Required value: a flag, spec.instrumentation, or both");
    }
    return flag;
  }
  auto name = r.string(*f, "name", "spec.flag.name");
  if (!name) {
    if (!f->contains("name")) r.problem("spec.flag.name", "Required value");
  } else if (!isEnvName(*name)) {
    r.problem("spec.flag.name",
              base::quoteExcerpt(*name, 80) + " is not a valid environment variable name");
  } else {
    flag.name = *name;
  }
  if (auto v = r.string(*f, "enabledValue", "spec.flag.enabledValue")) flag.enabledValue = *v;
  if (auto v = r.string(*f, "disabledValue", "spec.flag.disabledValue")) flag.disabledValue = *v;
  if (flag.enabledValue == flag.disabledValue) {
    r.problem("spec.flag.disabledValue", "must differ from enabledValue");
  }
  return flag;
}

std::vector<EnvVar> readEnv(Reader& r, const Json& spec, const FlagSpec& flag) {
  std::vector<EnvVar> env;
  const Json* list = r.get(spec, "env", "spec.env", Json::value_t::array);
  if (list == nullptr) return env;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = at("spec.env", i);
    const Json& item = (*list)[i];
    auto name = r.string(item, "name", path + ".name");
    auto value = r.string(item, "value", path + ".value");
    if (item.is_object() && item.contains("valueFrom")) {
      r.problem(path + ".valueFrom", "not supported: the operator sets literal values only");
    }
    if (!name) {
      r.problem(path + ".name", "Required value");
      continue;
    }
    if (!isEnvName(*name)) {
      r.problem(path + ".name",
                base::quoteExcerpt(*name, 80) + " is not a valid environment variable name");
    } else if (*name == flag.name) {
      r.problem(path + ".name",
                base::quoteExcerpt(*name, 80) + " is the flag; set it with spec.flag instead");
    } else if (!seen.insert(*name).second) {
      r.problem(path + ".name", "Duplicate value: \"" + *name + "\"");
    }
    env.push_back({*name, value.value_or("")});
  }
  return env;
}

std::optional<InstrumentationSpec> readInstrumentation(Reader& r, const Json& spec) {
  const Json* in = r.get(spec, "instrumentation", "spec.instrumentation", Json::value_t::object);
  if (in == nullptr) return std::nullopt;
  const std::string path = "spec.instrumentation.annotations";
  const Json* list = r.get(*in, "annotations", path, Json::value_t::object);
  if (list == nullptr || list->empty()) {
    const auto field = in->find("annotations");  // of another type: r.get() said so already
    if (field == in->end() || field->is_null() || field->is_object()) {
      r.problem(path, "Required value: the OpenTelemetry Operator annotations to set");
    }
    return std::nullopt;
  }
  if (list->size() > kMaxOtelAnnotations) {
    r.problem(path, "must have at most " + std::to_string(kMaxOtelAnnotations) + " entries");
    return std::nullopt;
  }
  InstrumentationSpec out;
  for (auto it = list->begin(); it != list->end(); ++it) {
    if (!it->is_string()) {
      r.problem(path + "[" + base::quoteExcerpt(it.key(), 80) + "]", "must be of type string");
      continue;
    }
    out.annotations[it.key()] = it->get<std::string>();
  }
  for (const OtelAnnotationProblem& p : otelAnnotationProblems(out.annotations)) {
    r.problem(path + "[" + base::quoteExcerpt(p.key, 80) + "]", p.message);
  }
  return out;
}

kube::LabelSelector readSelector(Reader& r, const Json& spec) {
  const Json* sel = r.get(spec, "selector", "spec.selector", Json::value_t::object);
  if (sel == nullptr) {
    if (!spec.contains("selector")) r.problem("spec.selector", "Required value");
  } else if (sel->value("matchLabels", Json::object()).empty() &&
             sel->value("matchExpressions", Json::array()).empty()) {
    r.problem("spec.selector",
              "must not be empty: it would select every workload in the namespace");
  } else if (auto parsedSelector = kube::LabelSelector::fromJson(*sel); !parsedSelector.ok()) {
    r.problem("spec.selector", parsedSelector.error().message);
  } else {
    return *parsedSelector;
  }
  return {};
}

// spec.namespaceSelector: a ClusterTelemetryRollout's namespaces. Not empty, like spec.selector:
// every namespace (kube-system too) is spelt out, e.g. kubernetes.io/metadata.name NotIn [...].
std::optional<kube::LabelSelector> readNamespaceSelector(Reader& r, const Json& spec,
                                                         RolloutScope scope) {
  const char* path = "spec.namespaceSelector";
  if (scope == RolloutScope::Namespaced) {
    if (spec.contains("namespaceSelector")) {
      r.problem(path,
                "Forbidden: a TelemetryRollout reaches its own namespace only; select "
                "namespaces with a ClusterTelemetryRollout");
    }
    return std::nullopt;
  }
  const Json* sel = r.get(spec, "namespaceSelector", path, Json::value_t::object);
  if (sel == nullptr) {
    if (!spec.contains("namespaceSelector")) r.problem(path, "Required value");
  } else if (sel->value("matchLabels", Json::object()).empty() &&
             sel->value("matchExpressions", Json::array()).empty()) {
    r.problem(path,
              "must not be empty: it would select every namespace (name them, or exclude some "
              "with a kubernetes.io/metadata.name NotIn expression)");
  } else if (auto parsed = kube::LabelSelector::fromJson(*sel); !parsed.ok()) {
    r.problem(path, parsed.error().message);
  } else {
    return *parsed;
  }
  return std::nullopt;
}

// spec.targetKinds: Deployment (the default), StatefulSet, DaemonSet; each at most once.
std::vector<WorkloadKind> readTargetKinds(Reader& r, const Json& spec) {
  const Json* list = r.get(spec, "targetKinds", "spec.targetKinds", Json::value_t::array);
  if (list == nullptr) return {WorkloadKind::Deployment};
  if (list->empty()) {
    r.problem("spec.targetKinds", "must have at least 1 item: leave it out for [Deployment]");
    return {};
  }
  std::vector<WorkloadKind> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    const std::optional<WorkloadKind> kind =
        item.is_string() ? workloadKindNamed(item.get<std::string>()) : std::nullopt;
    if (!kind) {
      r.problem(at("spec.targetKinds", i),
                "Unsupported value: " +
                    (item.is_string() ? base::quoteExcerpt(item.get<std::string>(), 40)
                                      : std::string("a ") + item.type_name()) +
                    ": supported values: \"Deployment\", \"StatefulSet\", \"DaemonSet\"");
    } else if (std::find(out.begin(), out.end(), *kind) != out.end()) {
      r.problem(at("spec.targetKinds", i),
                "Duplicate value: \"" + std::string(toString(*kind)) + "\"");
    } else {
      out.push_back(*kind);
    }
  }
  return out;
}

std::optional<CollectorSpec> readCollector(Reader& r, const Json& spec) {
  const Json* c = r.get(spec, "collector", "spec.collector", Json::value_t::object);
  if (c == nullptr) return std::nullopt;
  CollectorSpec out;
  if (auto v = r.string(*c, "name", "spec.collector.name")) {
    if (!isDnsLabel(*v)) {
      r.problem("spec.collector.name", base::quoteExcerpt(*v, 80) + " is not a DNS-1123 label");
    } else if (v->size() > kMaxCollectorNameLength) {
      r.problem("spec.collector.name",
                "must be no more than " + std::to_string(kMaxCollectorNameLength) +
                    " characters: its volume \"<name>-config\" must be a DNS-1123 label too");
    }
    out.name = *v;
  }
  auto image = r.string(*c, "image", "spec.collector.image");
  if (!image || image->empty()) {
    r.problem("spec.collector.image", "Required value");
  } else if (!isImageReference(*image)) {
    r.problem("spec.collector.image",
              base::quoteExcerpt(*image, 128) +
                  " is not a valid image reference ([registry[:port]/]name[:tag][@digest], "
                  "lower-case name)");
  } else if (!isPinnedImage(*image)) {
    r.problem(
        "spec.collector.image",
        base::quoteExcerpt(*image, 80) + " must be pinned to a tag other than latest, or a digest");
  } else {
    out.image = *image;
  }
  auto cm = r.string(*c, "configMap", "spec.collector.configMap");
  if (!cm) {
    r.problem("spec.collector.configMap", "Required value");
  } else if (!isDnsSubdomain(*cm)) {
    r.problem("spec.collector.configMap",
              base::quoteExcerpt(*cm, 80) + " is not a valid ConfigMap name");
  } else {
    out.configMap = *cm;
  }
  if (auto v = r.string(*c, "configKey", "spec.collector.configKey")) {
    if (!isConfigMapKey(*v)) {
      r.problem("spec.collector.configKey",
                base::quoteExcerpt(*v, 80) + " is not a valid ConfigMap key ([-._a-zA-Z0-9]+)");
    }
    out.configKey = *v;
  }
  if (const Json* res = r.get(*c, "resources", "spec.collector.resources", Json::value_t::object)) {
    for (auto& p : resourceRequirementsProblems(*res, "spec.collector.resources")) {
      r.problem(p.field, p.message);
    }
    out.resources = *res;
  }
  return out;
}

// One step's setEnv: overrides of variables spec.env declares.
void readSetEnv(Reader& r, const Json& m, const std::string& path, const std::vector<EnvVar>& env,
                Step& step) {
  for (auto it = m.begin(); it != m.end(); ++it) {
    bool declared = false;
    for (const auto& e : env) declared = declared || e.name == it.key();
    if (!declared) {
      r.problem(path + ".setEnv." + it.key(), "must be a variable declared in spec.env");
    } else if (!it->is_string()) {
      r.problem(path + ".setEnv." + it.key(), "must be of type string");
    } else {
      step.setEnv.push_back({it.key(), it->get<std::string>()});
    }
  }
}

// One step; nullopt when it cannot be read at all. `lastWeight` is the weight so far.
std::optional<Step> readStep(Reader& r, const Json& item, const std::string& path,
                             const std::vector<EnvVar>& env, int& lastWeight) {
  int kinds = 0;
  for (const char* k : {"setWeight", "pause", "setEnv"}) kinds += item.contains(k) ? 1 : 0;
  if (!item.is_object() || kinds != 1) {
    r.problem(path, "must set exactly one of setWeight, pause, setEnv");
    return std::nullopt;
  }
  Step step;
  if (item.contains("setWeight")) {
    step.kind = Step::Kind::SetWeight;
    const Json& w = item["setWeight"];
    if (!w.is_number_integer() || w.get<int64_t>() < 1 || w.get<int64_t>() > 100) {
      r.problem(path + ".setWeight", "must be an integer from 1 to 100");
      return std::nullopt;
    }
    step.weight = w.get<int>();
    if (step.weight < lastWeight) {
      r.problem(path + ".setWeight",
                "must not decrease (previous weight " + std::to_string(lastWeight) + ")");
    }
    lastWeight = step.weight;
  } else if (item.contains("pause")) {
    step.kind = Step::Kind::Pause;
    const Json* p = r.get(item, "pause", path + ".pause", Json::value_t::object);
    if (p != nullptr) step.pause = r.duration(*p, "duration", path + ".pause.duration");
  } else {
    step.kind = Step::Kind::SetEnv;
    const Json* m = r.get(item, "setEnv", path + ".setEnv", Json::value_t::object);
    if (m == nullptr || m->empty()) {
      r.problem(path + ".setEnv", "must name at least one variable");
      return std::nullopt;
    }
    readSetEnv(r, *m, path, env, step);
  }
  return step;
}

// spec.strategy into out.steps (setEnv steps check out.env) and out.progressDeadline (the
// schema bounds it too).
void readStrategy(Reader& r, const Json& spec, RolloutSpec& out) {
  const std::vector<EnvVar>& env = out.env;
  std::vector<Step>& steps = out.steps;
  const Json* strategy = r.get(spec, "strategy", "spec.strategy", Json::value_t::object);
  const char* deadline = "spec.strategy.progressDeadlineSeconds";
  if (const Json* v = strategy ? r.get(*strategy, "progressDeadlineSeconds", deadline,
                                       Json::value_t::number_integer)
                               : nullptr) {
    if (v->get<int64_t>() < 1 || v->get<int64_t>() > 604800) {
      r.problem(deadline, "must be between 1 and 604800 (7 days)");
    } else {
      out.progressDeadline = std::chrono::seconds(v->get<int64_t>());
    }
  }
  const Json* list =
      strategy ? r.get(*strategy, "steps", "spec.strategy.steps", Json::value_t::array) : nullptr;
  if (list == nullptr || list->empty()) {
    r.problem("spec.strategy.steps", "Required value: at least one step");
    return;
  }
  int lastWeight = 0;
  for (size_t i = 0; i < list->size(); ++i) {
    if (auto step = readStep(r, (*list)[i], at("spec.strategy.steps", i), env, lastWeight)) {
      steps.push_back(std::move(*step));
    }
  }
  const bool anyWeight = std::any_of(steps.begin(), steps.end(),
                                     [](const Step& s) { return s.kind == Step::Kind::SetWeight; });
  if (!anyWeight) r.problem("spec.strategy.steps", "must contain at least one setWeight step");
}

std::optional<WebhookSpec> readNotifications(Reader& r, const Json& spec) {
  const Json* n = r.get(spec, "notifications", "spec.notifications", Json::value_t::object);
  if (n == nullptr) return std::nullopt;
  const Json* w = r.get(*n, "webhook", "spec.notifications.webhook", Json::value_t::object);
  if (w == nullptr) return std::nullopt;
  WebhookSpec out;
  auto url = r.string(*w, "url", "spec.notifications.webhook.url");
  if (!url) {
    if (!w->contains("url")) r.problem("spec.notifications.webhook.url", "Required value");
  } else if (auto problem = notify::webhookUrlProblem(*url)) {
    r.problem("spec.notifications.webhook.url",
              *problem == "Required value"
                  ? *problem
                  : base::quoteExcerpt(base::redactUrl(*url), 128) + " " + *problem);
  } else {
    out.url = *url;
  }
  if (auto t = r.duration(*w, "timeout", "spec.notifications.webhook.timeout")) {
    if (*t > std::chrono::minutes(1)) {
      r.problem("spec.notifications.webhook.timeout", "must be at most 1m");
    } else {
      out.timeout = *t;
    }
  }
  return out;
}

}  // namespace

ParsedNotifications parseNotifications(const Json& spec) {
  ParsedNotifications parsed;
  if (!spec.is_object()) return parsed;
  Reader r(parsed.problems);
  auto webhook = readNotifications(r, spec);
  if (parsed.problems.empty()) parsed.webhook = std::move(webhook);
  return parsed;
}

bool isPinnedImage(const std::string& image) {
  if (image.find("@sha256:") != std::string::npos) return true;
  size_t slash = image.rfind('/');
  std::string last = slash == std::string::npos ? image : image.substr(slash + 1);
  size_t colon = last.find(':');
  if (colon == std::string::npos || colon + 1 == last.size()) return false;
  return last.substr(colon + 1) != "latest";
}

std::string ParsedSpec::summary() const {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.field + ": " + p.message;
  return out;
}

std::string rolloutSpecHash(const Json& spec) {
  Json copy = spec;
  if (copy.is_object()) copy.erase("paused");
  return base::fnv1a64Hex(copy.dump());  // dump() orders object keys: canonical
}

ParsedSpec parseSpec(const Json& spec, RolloutScope scope) {
  ParsedSpec parsed;
  Reader r(parsed.problems);
  if (!spec.is_object()) {
    r.problem("spec", "Required value");
    return parsed;
  }
  RolloutSpec out;
  out.selector = readSelector(r, spec);
  out.namespaceSelector = readNamespaceSelector(r, spec, scope);
  out.targetKinds = readTargetKinds(r, spec);
  if (const Json* list = r.get(spec, "containers", "spec.containers", Json::value_t::array)) {
    for (size_t i = 0; i < list->size(); ++i) {
      const Json& c = (*list)[i];
      if (!c.is_string() || !isDnsLabel(c.get<std::string>())) {
        r.problem(at("spec.containers", i), "must be a container name (DNS-1123 label)");
      } else {
        out.containers.push_back(c.get<std::string>());
      }
    }
  }
  out.flag = readFlag(r, spec);
  out.env = readEnv(r, spec, out.flag);
  out.collector = readCollector(r, spec);
  out.instrumentation = readInstrumentation(r, spec);
  if (out.collector) {
    for (size_t i = 0; i < out.containers.size(); ++i) {
      if (out.containers[i] == out.collector->name) {
        r.problem(at("spec.containers", i), "must not name the collector sidecar");
      }
    }
  }
  readStrategy(r, spec, out);
  out.analysis = readAnalysis(r, spec);
  if (const Json* rb = r.get(spec, "rollback", "spec.rollback", Json::value_t::object)) {
    if (const Json* v = r.get(*rb, "removeCollector", "spec.rollback.removeCollector",
                              Json::value_t::boolean)) {
      out.removeCollectorOnRollback = v->get<bool>();
    }
  }
  if (const Json* v = r.get(spec, "paused", "spec.paused", Json::value_t::boolean)) {
    out.paused = v->get<bool>();
  }
  out.onDelete = readEnum(
      r, spec, "onDelete", "spec.onDelete",
      {{"Restore", DeletePolicy::Restore}, {"KeepIfSucceeded", DeletePolicy::KeepIfSucceeded}},
      DeletePolicy::Restore);
  out.webhook = readNotifications(r, spec);
  if (parsed.problems.empty()) parsed.spec = std::move(out);
  return parsed;
}

}  // namespace tro::controllers
