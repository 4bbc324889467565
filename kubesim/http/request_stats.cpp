#include "kubesim/http/request_stats.h"

namespace kubesim::http {

void RequestStats::record(const RequestFacts& facts, int code) {
  RequestKey key{
      facts.verb,      facts.group, facts.resource, facts.subresource, facts.fieldManager,
      facts.userAgent, code};
  std::lock_guard lock(mutex_);
  ++counts_[std::move(key)];
}

void RequestStats::reset() {
  std::lock_guard lock(mutex_);
  counts_.clear();
}

std::map<RequestKey, std::uint64_t> RequestStats::snapshot() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

Json RequestStats::toJson() const {
  Json rows = Json::array();
  std::uint64_t total = 0;
  for (const auto& [key, count] : snapshot()) {
    total += count;
    rows.push_back({{"verb", key.verb},
                    {"group", key.group},
                    {"resource", key.resource},
                    {"subresource", key.subresource},
                    {"fieldManager", key.fieldManager},
                    {"userAgent", key.userAgent},
                    {"code", key.code},
                    {"count", count}});
  }
  return Json{{"total", total}, {"requests", std::move(rows)}};
}

std::string escapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RequestStats::toPrometheus() const {
  std::string out =
      "# HELP kubesim_requests_total API requests answered by kubesim's HTTP front.\n"
      "# TYPE kubesim_requests_total counter\n";
  for (const auto& [key, count] : snapshot()) {
    out += "kubesim_requests_total{verb=\"" + escapeLabelValue(key.verb) + "\",group=\"" +
           escapeLabelValue(key.group) + "\",resource=\"" + escapeLabelValue(key.resource) +
           "\",subresource=\"" + escapeLabelValue(key.subresource) + "\",field_manager=\"" +
           escapeLabelValue(key.fieldManager) + "\",user_agent=\"" +
           escapeLabelValue(key.userAgent) + "\",code=\"" + std::to_string(key.code) + "\"} " +
           std::to_string(count) + "\n";
  }
  return out;
}

}  // namespace kubesim::http
