#include "controllers/rollout/spec.h"

#include <regex>
#include <set>

#include "controllers/notify/webhook_url.h"
#include "controllers/rollout/otel_annotations.h"
#include "controllers/rollout/pod_values.h"
#include "operator/base/duration.h"
#include "operator/base/fnv_hash.h"
#include "operator/base/untrusted_text.h"
#include "operator/base/url.h"

namespace tro::controllers {
namespace {

// Collects problems while reading optional, typed fields of a JSON object.
class Reader {
 public:
  explicit Reader(std::vector<SpecProblem>& problems) : problems_(problems) {}

  void problem(const std::string& field, const std::string& message) {
    problems_.push_back({field, message});
  }

  // The field's value when present and of the expected type; a problem when of another type.
  const Json* get(const Json& obj, const std::string& key, const std::string& path,
                  Json::value_t type) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    bool ok = it->type() == type || (type == Json::value_t::number_float && it->is_number()) ||
              (type == Json::value_t::number_integer && it->is_number_integer());
    if (!ok) {
      problem(path, std::string("must be of type ") + typeName(type));
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string(const Json& obj, const std::string& key,
                                    const std::string& path) {
    const Json* v = get(obj, key, path, Json::value_t::string);
    if (v == nullptr) return std::nullopt;
    return v->get<std::string>();
  }

  // A positive duration within [min, max]; each bound is stated in the problem.
  std::optional<nanoseconds> duration(const Json& obj, const std::string& key,
                                      const std::string& path, nanoseconds min = nanoseconds(1),
                                      nanoseconds max = kMaxPause) {
    auto text = string(obj, key, path);
    if (!text) return std::nullopt;
    auto d = base::parseDuration(*text);
    if (!d.ok()) {
      problem(path, d.error().message);
      return std::nullopt;
    }
    if (d->count() <= 0) {
      problem(path, "must be positive");
      return std::nullopt;
    }
    if (*d < min) {
      problem(path, "must be at least " + base::formatDuration(min));
      return std::nullopt;
    }
    if (*d > max) {
      problem(path, "must be at most " + base::formatDuration(max));
      return std::nullopt;
    }
    return *d;
  }

 private:
  static const char* typeName(Json::value_t t) {
    switch (t) {
      case Json::value_t::object:
        return "object";
      case Json::value_t::array:
        return "array";
      case Json::value_t::string:
        return "string";
      case Json::value_t::boolean:
        return "boolean";
      case Json::value_t::number_integer:
        return "integer";
      default:
        return "number";
    }
  }
  std::vector<SpecProblem>& problems_;
};

// [-._a-zA-Z][-._a-zA-Z0-9]*, by hand: std::regex recurses per character and a long hostile
// name would overflow the stack.
bool isEnvName(const std::string& s) {
  auto allowed = [](char c, bool first) {
    return c == '-' || c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
  };
  if (s.empty() || s.size() > 1024) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!allowed(s[i], i == 0)) return false;
  }
  return true;
}

bool isDnsLabel(const std::string& s) {
  static const std::regex re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  return s.size() <= 63 && std::regex_match(s, re);
}

// A ConfigMap or Secret data key: [-._a-zA-Z0-9]+, at most 253 characters, not "." or "..".
bool isConfigMapKey(const std::string& s) {
  static const std::regex re("^[-._a-zA-Z0-9]+$");
  return !s.empty() && s.size() <= 253 && s != "." && s != ".." && std::regex_match(s, re);
}

bool isDnsSubdomain(const std::string& s) {
  static const std::regex re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  return s.size() <= 253 && std::regex_match(s, re);
}

std::string at(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// spec.flag may be left out when spec.instrumentation switches telemetry on instead.
FlagSpec readFlag(Reader& r, const Json& spec) {
  FlagSpec flag;
  const Json* f = r.get(spec, "flag", "spec.flag", Json::value_t::object);
  if (f == nullptr) {
    if (!spec.contains("flag") && !spec.contains("instrumentation")) {
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
    if (list != nullptr || !in->contains("annotations")) {
      r.problem(path, "Required value: the OpenTelemetry Operator annotations to set");
    }
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

std::vector<Step> readSteps(Reader& r, const Json& spec, const std::vector<EnvVar>& env) {
  std::vector<Step> steps;
  const Json* strategy = r.get(spec, "strategy", "spec.strategy", Json::value_t::object);
  const Json* list =
      strategy ? r.get(*strategy, "steps", "spec.strategy.steps", Json::value_t::array) : nullptr;
  if (list == nullptr || list->empty()) {
    r.problem("spec.strategy.steps", "Required value: at least one step");
    return steps;
  }
  int lastWeight = 0;
  bool anyWeight = false;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = at("spec.strategy.steps", i);
    const Json& item = (*list)[i];
    int kinds = 0;
    for (const char* k : {"setWeight", "pause", "setEnv"}) kinds += item.contains(k) ? 1 : 0;
    if (!item.is_object() || kinds != 1) {
      r.problem(path, "must set exactly one of setWeight, pause, setEnv");
      continue;
    }
    Step step;
    if (item.contains("setWeight")) {
      step.kind = Step::Kind::SetWeight;
      const Json& w = item["setWeight"];
      if (!w.is_number_integer() || w.get<int64_t>() < 1 || w.get<int64_t>() > 100) {
        r.problem(path + ".setWeight", "must be an integer from 1 to 100");
        continue;
      }
      step.weight = w.get<int>();
      if (step.weight < lastWeight) {
        r.problem(path + ".setWeight",
                  "must not decrease (previous weight " + std::to_string(lastWeight) + ")");
      }
      lastWeight = step.weight;
      anyWeight = true;
    } else if (item.contains("pause")) {
      step.kind = Step::Kind::Pause;
      const Json* p = r.get(item, "pause", path + ".pause", Json::value_t::object);
      if (p != nullptr) step.pause = r.duration(*p, "duration", path + ".pause.duration");
    } else {
      step.kind = Step::Kind::SetEnv;
      const Json* m = r.get(item, "setEnv", path + ".setEnv", Json::value_t::object);
      if (m == nullptr || m->empty()) {
        r.problem(path + ".setEnv", "must name at least one variable");
        continue;
      }
      for (auto it = m->begin(); it != m->end(); ++it) {
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
    steps.push_back(std::move(step));
  }
  if (!anyWeight) r.problem("spec.strategy.steps", "must contain at least one setWeight step");
  return steps;
}

template <typename Policy>
Policy readEnum(Reader& r, const Json& obj, const std::string& key, const std::string& path,
                std::initializer_list<std::pair<const char*, Policy>> values, Policy fallback) {
  auto v = r.string(obj, key, path);
  if (!v) return fallback;
  std::string allowed;
  for (const auto& [name, value] : values) {
    if (*v == name) return value;
    allowed += (allowed.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  }
  r.problem(path, "Unsupported value: \"" + *v + "\": supported values: " + allowed);
  return fallback;
}

// A Secret name (DNS-1123 subdomain) at `path`, or a problem.
std::optional<std::string> secretName(Reader& r, const Json& ref, const std::string& path) {
  auto name = r.string(ref, "name", path + ".name");
  if (!name) {
    if (!ref.contains("name")) r.problem(path + ".name", "Required value");
    return std::nullopt;
  }
  if (!isDnsSubdomain(*name)) {
    r.problem(path + ".name", base::quoteExcerpt(*name, 80) + " is not a valid Secret name");
    return std::nullopt;
  }
  return name;
}

void readPrometheus(Reader& r, const Json& prom, AnalysisSpec& out) {
  const std::string field = "spec.analysis.prometheus";
  // Fields of the first release that named files in the operator's container: refused, never
  // read (docs/security.md).
  for (const char* removed : {"bearerTokenFile", "caFile"}) {
    if (prom.contains(removed)) {
      r.problem(field + "." + removed,
                "Forbidden: the operator reads no file named by a rollout; use "
                "authorization.secretRef, tls.caSecretRef or a provider");
    }
  }
  auto address = r.string(prom, "address", field + ".address");
  auto provider = r.string(prom, "provider", field + ".provider");
  if (address && provider) {
    r.problem(field, "must set address or provider, not both");
  } else if (provider) {
    if (!isDnsSubdomain(*provider)) {
      r.problem(field + ".provider",
                base::quoteExcerpt(*provider, 80) + " is not a valid provider name");
    } else {
      out.provider = *provider;
    }
    for (const char* local : {"authorization", "tls"}) {
      if (prom.contains(local)) {
        r.problem(field + "." + local, "Forbidden: a provider brings its own credentials");
      }
    }
  } else if (!address) {
    if (!prom.contains("address")) r.problem(field + ".address", "Required value");
  } else if (auto url = base::parseHttpUrl(*address); !url.ok()) {
    r.problem(field + ".address",
              base::quoteExcerpt(base::redactUrl(*address), 128) + " " + url.error());
  } else {
    out.prometheusAddress = url->origin() + url->path;  // without a trailing slash
  }
  if (const Json* auth =
          r.get(prom, "authorization", field + ".authorization", Json::value_t::object)) {
    PrometheusAuthorization a;
    a.type = readEnum(r, *auth, "type", field + ".authorization.type",
                      {{"Bearer", AuthType::Bearer}, {"Basic", AuthType::Basic}}, AuthType::Bearer);
    const Json* ref =
        r.get(*auth, "secretRef", field + ".authorization.secretRef", Json::value_t::object);
    if (ref == nullptr) {
      if (!auth->contains("secretRef")) {
        r.problem(field + ".authorization.secretRef", "Required value");
      }
    } else if (auto name = secretName(r, *ref, field + ".authorization.secretRef")) {
      a.secretName = *name;
      out.authorization = a;
    }
  }
  if (const Json* tls = r.get(prom, "tls", field + ".tls", Json::value_t::object)) {
    if (const Json* ref =
            r.get(*tls, "caSecretRef", field + ".tls.caSecretRef", Json::value_t::object)) {
      SecretKeySelector ca{"", "ca.crt"};
      if (auto key = r.string(*ref, "key", field + ".tls.caSecretRef.key")) {
        if (!isConfigMapKey(*key)) {
          r.problem(field + ".tls.caSecretRef.key",
                    base::quoteExcerpt(*key, 80) + " is not a valid Secret key");
        }
        ca.key = *key;
      }
      if (auto name = secretName(r, *ref, field + ".tls.caSecretRef")) {
        ca.name = *name;
        out.caSecret = ca;
      }
    }
  }
  if (auto t = r.duration(prom, "timeout", field + ".timeout", std::chrono::milliseconds(1),
                          kMaxPrometheusTimeout)) {
    out.timeout = *t;
  }
}

std::optional<AnalysisSpec> readAnalysis(Reader& r, const Json& spec) {
  const Json* a = r.get(spec, "analysis", "spec.analysis", Json::value_t::object);
  if (a == nullptr) return std::nullopt;
  AnalysisSpec out;
  const Json* prom = r.get(*a, "prometheus", "spec.analysis.prometheus", Json::value_t::object);
  if (prom == nullptr) {
    r.problem("spec.analysis.prometheus", "Required value");
  } else {
    readPrometheus(r, *prom, out);
  }
  if (auto i = r.duration(*a, "interval", "spec.analysis.interval", kMinInterval, kMaxInterval)) {
    out.interval = *i;
  }
  if (const Json* alerts = r.get(*a, "alerts", "spec.analysis.alerts", Json::value_t::array)) {
    for (size_t i = 0; i < alerts->size(); ++i) {
      std::string path = at("spec.analysis.alerts", i);
      AlertCheck check;
      auto name = r.string((*alerts)[i], "name", path + ".name");
      if (!name || name->empty()) {
        r.problem(path + ".name", "Required value");
        continue;
      }
      check.name = *name;
      if (const Json* m =
              r.get((*alerts)[i], "matchLabels", path + ".matchLabels", Json::value_t::object)) {
        for (auto it = m->begin(); it != m->end(); ++it) {
          if (!it->is_string()) {
            r.problem(path + ".matchLabels." + it.key(), "must be of type string");
          } else {
            check.matchLabels[it.key()] = it->get<std::string>();
          }
        }
      }
      check.firingFor = r.duration((*alerts)[i], "firingFor", path + ".firingFor");
      out.alerts.push_back(std::move(check));
    }
  }
  if (const Json* queries = r.get(*a, "queries", "spec.analysis.queries", Json::value_t::array)) {
    std::set<std::string> names;
    for (size_t i = 0; i < queries->size(); ++i) {
      std::string path = at("spec.analysis.queries", i);
      const Json& item = (*queries)[i];
      QueryCheck q;
      auto name = r.string(item, "name", path + ".name");
      auto query = r.string(item, "query", path + ".query");
      if (!name)
        r.problem(path + ".name", "Required value");
      else if (!isDnsLabel(*name))
        r.problem(path + ".name", base::quoteExcerpt(*name, 80) + " is not a DNS-1123 label");
      else if (!names.insert(*name).second)
        r.problem(path + ".name", "Duplicate value: \"" + *name + "\"");
      if (!query || query->empty()) r.problem(path + ".query", "Required value");
      if (const Json* v = r.get(item, "min", path + ".min", Json::value_t::number_float))
        q.min = v->get<double>();
      if (const Json* v = r.get(item, "max", path + ".max", Json::value_t::number_float))
        q.max = v->get<double>();
      if (!q.min && !q.max) r.problem(path, "must set min, max or both");
      if (q.min && q.max && *q.min > *q.max) r.problem(path + ".min", "must not exceed max");
      q.onNoData = readEnum(r, item, "onNoData", path + ".onNoData",
                            {{"Pass", NoDataPolicy::Pass},
                             {"Inconclusive", NoDataPolicy::Inconclusive},
                             {"Fail", NoDataPolicy::Fail}},
                            NoDataPolicy::Inconclusive);
      q.name = name.value_or("");
      q.query = query.value_or("");
      out.queries.push_back(std::move(q));
    }
  }
  if (const Json* fl =
          r.get(*a, "failureLimit", "spec.analysis.failureLimit", Json::value_t::number_integer)) {
    if (fl->get<int64_t>() < 0)
      r.problem("spec.analysis.failureLimit", "must be 0 or more");
    else
      out.failureLimit = fl->get<int>();
  }
  out.onInconclusive = readEnum(r, *a, "onInconclusive", "spec.analysis.onInconclusive",
                                {{"Pause", InconclusivePolicy::Pause},
                                 {"Rollback", InconclusivePolicy::Rollback},
                                 {"Continue", InconclusivePolicy::Continue}},
                                InconclusivePolicy::Pause);
  // Baseline comparisons and built-in checks are parsed with the analysis criteria; here they
  // only count as checks, so an analysis of nothing but a baseline or a built-in is valid.
  const auto nonEmpty = [&](const char* key) {
    auto it = a->find(key);
    return it != a->end() && it->is_array() && !it->empty();
  };
  if (out.alerts.empty() && out.queries.empty() && !nonEmpty("baseline") && !nonEmpty("builtins")) {
    r.problem("spec.analysis",
              "must define at least one check (alerts, queries, baseline or builtins)");
  }
  return out;
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

ParsedSpec parseSpec(const Json& spec) {
  ParsedSpec parsed;
  Reader r(parsed.problems);
  if (!spec.is_object()) {
    r.problem("spec", "Required value");
    return parsed;
  }
  RolloutSpec out;
  const Json* sel = r.get(spec, "selector", "spec.selector", Json::value_t::object);
  if (sel == nullptr) {
    if (!spec.contains("selector")) r.problem("spec.selector", "Required value");
  } else if (sel->value("matchLabels", Json::object()).empty() &&
             sel->value("matchExpressions", Json::array()).empty()) {
    r.problem("spec.selector",
              "must not be empty: it would select every Deployment in the namespace");
  } else if (auto parsedSelector = kube::LabelSelector::fromJson(*sel); !parsedSelector.ok()) {
    r.problem("spec.selector", parsedSelector.error().message);
  } else {
    out.selector = *parsedSelector;
  }
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
  out.steps = readSteps(r, spec, out.env);
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
