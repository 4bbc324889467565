#include "bench/operator_fleet/request_tally.h"

#include <cstdlib>

namespace tro::bench {
namespace {

std::string field(const nlohmann::json& row, const char* key) {
  const auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int codeOf(const nlohmann::json& row) {
  const auto it = row.find("code");
  if (it == row.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) return std::atoi(it->get<std::string>().c_str());
  return 0;
}

std::string kindOf(const std::string& verb, const std::string& resource,
                   const std::string& subresource, int code) {
  const std::string what = resource.empty()      ? std::string("(no resource)")
                           : subresource.empty() ? resource
                                                 : resource + "/" + subresource;
  return verb + " " + what + " " + std::to_string(code);
}

void countWrite(RequestTally& tally, const std::string& resource, const std::string& subresource,
                std::uint64_t count) {
  if (resource == "deployments" && subresource.empty()) tally.deploymentWrites += count;
  if (resource == "telemetryrollouts" && subresource == "status") tally.statusWrites += count;
  if (resource == "events") tally.eventWrites += count;
}

}  // namespace

RequestTally tallyRequests(const nlohmann::json& accounting, const std::string& userAgentPrefix) {
  RequestTally tally;
  for (const auto& row : accounting.value("requests", nlohmann::json::array())) {
    if (!row.is_object() || field(row, "userAgent").rfind(userAgentPrefix, 0) != 0) continue;
    const std::uint64_t count = row.value("count", std::uint64_t{0});
    const std::string verb = field(row, "verb");
    const std::string resource = field(row, "resource");
    const std::string subresource = field(row, "subresource");
    const int code = codeOf(row);
    tally.total += count;
    if (verb == "watch") tally.watches += count;
    if (code == 409) tally.conflicts += count;
    if (resource.empty()) tally.nonResource += count;
    const bool written = verb == "create" || verb == "update" || verb == "patch";
    if (written && code >= 200 && code < 300) countWrite(tally, resource, subresource, count);
    tally.byKind[kindOf(verb, resource, subresource, code)] += count;
  }
  return tally;
}

}  // namespace tro::bench
