// spec.analysis as parseSpec() reads it (spec_reader.h). The fields criteria.h adds (baseline,
// builtins, inconclusiveLimit) are read there; here they only count as checks.

#include <set>

#include "controllers/rollout/spec_reader.h"
#include "operator/base/untrusted_text.h"
#include "operator/base/url.h"
#include "operator/kube/names.h"

namespace tro::controllers::detail {
namespace {

const std::string kPrometheus = "spec.analysis.prometheus";

// address or provider, exactly one; fields of the first release that named files in the
// operator's container are refused, never read (docs/security.md).
void readPrometheusSource(SpecReader& r, const Json& prom, AnalysisSpec& out) {
  for (const char* removed : {"bearerTokenFile", "caFile"}) {
    if (prom.contains(removed)) {
      r.problem(kPrometheus + "." + removed,
                "Forbidden: the operator reads no file named by a rollout; use "
                "authorization.secretRef, tls.caSecretRef or a provider");
    }
  }
  auto address = r.string(prom, "address", kPrometheus + ".address");
  auto provider = r.string(prom, "provider", kPrometheus + ".provider");
  if (address && provider) {
    r.problem(kPrometheus, "must set address or provider, not both");
  } else if (provider) {
    if (!kube::isDnsSubdomain(*provider)) {
      r.problem(kPrometheus + ".provider",
                base::quoteExcerpt(*provider, 80) + " is not a valid provider name");
    } else {
      out.provider = *provider;
    }
    for (const char* local : {"authorization", "tls"}) {
      if (prom.contains(local)) {
        r.problem(kPrometheus + "." + local, "Forbidden: a provider brings its own credentials");
      }
    }
  } else if (!address) {
    if (!prom.contains("address")) r.problem(kPrometheus + ".address", "Required value");
  } else if (auto url = base::parseHttpUrl(*address); !url.ok()) {
    r.problem(kPrometheus + ".address",
              base::quoteExcerpt(base::redactUrl(*address), 128) + " " + url.error());
  } else {
    out.prometheusAddress = url->origin() + url->path;  // without a trailing slash
  }
}

// authorization.secretRef and tls.caSecretRef: Secrets of the rollout's own namespace.
void readPrometheusCredentials(SpecReader& r, const Json& prom, AnalysisSpec& out) {
  const std::string auth = kPrometheus + ".authorization";
  if (const Json* a = r.get(prom, "authorization", auth, Json::value_t::object)) {
    PrometheusAuthorization value;
    value.type =
        readEnum(r, *a, "type", auth + ".type",
                 {{"Bearer", AuthType::Bearer}, {"Basic", AuthType::Basic}}, AuthType::Bearer);
    const Json* ref = r.get(*a, "secretRef", auth + ".secretRef", Json::value_t::object);
    if (ref == nullptr) {
      if (!a->contains("secretRef")) r.problem(auth + ".secretRef", "Required value");
    } else if (auto name = secretName(r, *ref, auth + ".secretRef")) {
      value.secretName = *name;
      out.authorization = value;
    }
  }
  const std::string ca = kPrometheus + ".tls.caSecretRef";
  const Json* tls = r.get(prom, "tls", kPrometheus + ".tls", Json::value_t::object);
  const Json* ref = tls ? r.get(*tls, "caSecretRef", ca, Json::value_t::object) : nullptr;
  if (ref == nullptr) return;
  SecretKeySelector selector{"", "ca.crt"};
  if (auto key = r.string(*ref, "key", ca + ".key")) {
    if (!isConfigMapKey(*key)) {
      r.problem(ca + ".key", base::quoteExcerpt(*key, 80) + " is not a valid Secret key");
    }
    selector.key = *key;
  }
  if (auto name = secretName(r, *ref, ca)) {
    selector.name = *name;
    out.caSecret = selector;
  }
}

void readAlerts(SpecReader& r, const Json& alerts, AnalysisSpec& out) {
  for (size_t i = 0; i < alerts.size(); ++i) {
    const std::string path = at("spec.analysis.alerts", i);
    AlertCheck check;
    auto name = r.string(alerts[i], "name", path + ".name");
    if (!name || name->empty()) {
      r.problem(path + ".name", "Required value");
      continue;
    }
    check.name = *name;
    if (const Json* m =
            r.get(alerts[i], "matchLabels", path + ".matchLabels", Json::value_t::object)) {
      for (auto it = m->begin(); it != m->end(); ++it) {
        if (!it->is_string()) {
          r.problem(path + ".matchLabels." + it.key(), "must be of type string");
        } else {
          check.matchLabels[it.key()] = it->get<std::string>();
        }
      }
    }
    check.firingFor = r.duration(alerts[i], "firingFor", path + ".firingFor");
    out.alerts.push_back(std::move(check));
  }
}

QueryCheck readQuery(SpecReader& r, const Json& item, const std::string& path,
                     std::set<std::string>& names) {
  QueryCheck q;
  auto name = r.string(item, "name", path + ".name");
  auto query = r.string(item, "query", path + ".query");
  if (!name) {
    r.problem(path + ".name", "Required value");
  } else if (!kube::isDnsLabel(*name)) {
    r.problem(path + ".name", base::quoteExcerpt(*name, 80) + " is not a DNS-1123 label");
  } else if (!names.insert(*name).second) {
    r.problem(path + ".name", "Duplicate value: \"" + *name + "\"");
  }
  if (!query || query->empty()) r.problem(path + ".query", "Required value");
  if (const Json* v = r.get(item, "min", path + ".min", Json::value_t::number_float)) {
    q.min = v->get<double>();
  }
  if (const Json* v = r.get(item, "max", path + ".max", Json::value_t::number_float)) {
    q.max = v->get<double>();
  }
  if (!q.min && !q.max) r.problem(path, "must set min, max or both");
  if (q.min && q.max && *q.min > *q.max) r.problem(path + ".min", "must not exceed max");
  q.onNoData = readEnum(r, item, "onNoData", path + ".onNoData",
                        {{"Pass", NoDataPolicy::Pass},
                         {"Inconclusive", NoDataPolicy::Inconclusive},
                         {"Fail", NoDataPolicy::Fail}},
                        NoDataPolicy::Inconclusive);
  q.name = name.value_or("");
  q.query = query.value_or("");
  return q;
}

// failureLimit and onInconclusive.
void readPolicies(SpecReader& r, const Json& a, AnalysisSpec& out) {
  if (const Json* fl =
          r.get(a, "failureLimit", "spec.analysis.failureLimit", Json::value_t::number_integer)) {
    if (fl->get<int64_t>() < 0) {
      r.problem("spec.analysis.failureLimit", "must be 0 or more");
    } else {
      out.failureLimit = fl->get<int>();
    }
  }
  out.onInconclusive = readEnum(r, a, "onInconclusive", "spec.analysis.onInconclusive",
                                {{"Pause", InconclusivePolicy::Pause},
                                 {"Rollback", InconclusivePolicy::Rollback},
                                 {"Continue", InconclusivePolicy::Continue}},
                                InconclusivePolicy::Pause);
}

}  // namespace

std::optional<AnalysisSpec> readAnalysis(SpecReader& r, const Json& spec) {
  const Json* a = r.get(spec, "analysis", "spec.analysis", Json::value_t::object);
  if (a == nullptr) return std::nullopt;
  AnalysisSpec out;
  if (const Json* prom = r.get(*a, "prometheus", kPrometheus, Json::value_t::object)) {
    readPrometheusSource(r, *prom, out);
    readPrometheusCredentials(r, *prom, out);
    if (auto t = r.duration(*prom, "timeout", kPrometheus + ".timeout",
                            std::chrono::milliseconds(1), kMaxPrometheusTimeout)) {
      out.timeout = *t;
    }
  } else {
    r.problem(kPrometheus, "Required value");
  }
  if (auto i = r.duration(*a, "interval", "spec.analysis.interval", kMinInterval, kMaxInterval)) {
    out.interval = *i;
  }
  if (const Json* alerts = r.get(*a, "alerts", "spec.analysis.alerts", Json::value_t::array)) {
    readAlerts(r, *alerts, out);
  }
  if (const Json* queries = r.get(*a, "queries", "spec.analysis.queries", Json::value_t::array)) {
    std::set<std::string> names;
    for (size_t i = 0; i < queries->size(); ++i) {
      out.queries.push_back(readQuery(r, (*queries)[i], at("spec.analysis.queries", i), names));
    }
  }
  readPolicies(r, *a, out);
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

}  // namespace tro::controllers::detail
