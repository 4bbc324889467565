#include "kubesim/api/service_addresses.h"

#include <arpa/inet.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "kubesim/common/json_field.h"

namespace kubesim::api {
namespace {

constexpr std::uint32_t kCidrBase = (10u << 24) | (96u << 16);  // 10.96.0.0
constexpr std::uint32_t kCidrSize = 1u << 20;                   // /12
// The real allocator hands out dynamic addresses from above a lower band kept for addresses that
// clients ask for (min(max(16, size/16), 256) of them); kubesim takes the lowest free one there.
constexpr std::uint32_t kDynamicStart = kCidrBase + 256;
constexpr int kNodePortMin = 30000;
constexpr int kNodePortMax = 32767;

// A dotted-quad IPv4 address in host order; nullopt for anything else (inet_pton, like Go's
// net.ParseIP, refuses leading zeros and short forms).
std::optional<std::uint32_t> parseIpv4(const std::string& text) {
  in_addr addr{};
  if (::inet_pton(AF_INET, text.c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::string formatIpv4(std::uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

bool wantsClusterIp(const std::string& type) {
  return type.empty() || type == "ClusterIP" || type == "NodePort" || type == "LoadBalancer";
}

bool wantsNodePorts(const Json& spec) {
  const std::string type = stringField(spec, "type");
  if (type == "NodePort") return true;
  return type == "LoadBalancer" && spec.value("allocateLoadBalancerNodePorts", true);
}

std::string goQuoted(const std::string& s) { return "\"" + s + "\""; }

struct Used {
  std::set<std::uint32_t> ips;
  std::set<int> nodePorts;
};

Used usedBy(const std::vector<const Json*>& others) {
  Used used;
  for (const Json* svc : others) {
    if (svc == nullptr || !svc->is_object()) continue;
    auto spec = svc->find("spec");
    if (spec == svc->end() || !spec->is_object()) continue;
    if (auto ip = parseIpv4(stringField(*spec, "clusterIP"))) used.ips.insert(*ip);
    if (auto ports = spec->find("ports"); ports != spec->end() && ports->is_array()) {
      for (const auto& p : *ports) {
        if (p.is_object() && p.contains("nodePort") && p["nodePort"].is_number_integer()) {
          used.nodePorts.insert(p["nodePort"].get<int>());
        }
      }
    }
  }
  return used;
}

// spec.clusterIP and clusterIPs: carried over, checked, or allocated.
void assignClusterIp(const Json* oldSpec, Json& spec, Used& used, std::vector<Cause>& causes) {
  const std::string type = stringField(spec, "type");
  if (!wantsClusterIp(type)) {
    spec.erase("clusterIP");
    spec.erase("clusterIPs");
    return;
  }
  std::string ip = stringField(spec, "clusterIP");
  if (ip.empty() && spec.contains("clusterIPs") && spec["clusterIPs"].is_array() &&
      !spec["clusterIPs"].empty() && spec["clusterIPs"][0].is_string()) {
    ip = spec["clusterIPs"][0].get<std::string>();
  }
  const std::string oldIp = oldSpec != nullptr ? stringField(*oldSpec, "clusterIP") : std::string();
  if (!oldIp.empty() && wantsClusterIp(stringField(*oldSpec, "type"))) {
    if (ip.empty()) ip = oldIp;
    if (ip != oldIp) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + goQuoted(ip) + ": field is immutable",
                        "spec.clusterIP"});
      return;
    }
    spec["clusterIP"] = ip;
    spec["clusterIPs"] = Json::array({ip});
    return;
  }
  if (ip == "None") {
    if (type == "NodePort" || type == "LoadBalancer") {
      causes.push_back(
          {"FieldValueInvalid",
           "Invalid value: \"None\": may not be set to 'None' for " + type + " services",
           "spec.clusterIP"});
      return;
    }
    spec["clusterIP"] = "None";
    spec["clusterIPs"] = Json::array({"None"});
    return;
  }
  if (ip.empty()) {
    std::uint32_t candidate = kDynamicStart;
    while (candidate < kCidrBase + kCidrSize - 1 && used.ips.contains(candidate)) ++candidate;
    if (candidate >= kCidrBase + kCidrSize - 1) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: []string{}: failed to allocate a serviceIP: range is full",
                        "spec.clusterIPs"});
      return;
    }
    ip = formatIpv4(candidate);
  } else {
    const std::string asList = "[]string{" + goQuoted(ip) + "}";
    auto parsed = parseIpv4(ip);
    if (!parsed) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + goQuoted(ip) +
                            ": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                        "spec.clusterIPs[0]"});
      return;
    }
    if (*parsed <= kCidrBase || *parsed >= kCidrBase + kCidrSize - 1) {
      causes.push_back(
          {"FieldValueInvalid",
           "Invalid value: " + asList + ": failed to allocate IP " + ip + ": the provided IP (" +
               ip + ") is not in the valid range. The range of valid IPs is " + kServiceCidr,
           "spec.clusterIPs"});
      return;
    }
    if (used.ips.contains(*parsed)) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + asList + ": failed to allocate IP " + ip +
                            ": provided IP is already allocated",
                        "spec.clusterIPs"});
      return;
    }
  }
  if (auto parsed = parseIpv4(ip)) used.ips.insert(*parsed);
  spec["clusterIP"] = ip;
  spec["clusterIPs"] = Json::array({ip});
}

// The nodePort an old port with the same port number and protocol held, if any.
std::optional<int> oldNodePort(const Json* oldSpec, const Json& port) {
  if (oldSpec == nullptr || !oldSpec->contains("ports") || !(*oldSpec)["ports"].is_array()) {
    return std::nullopt;
  }
  for (const auto& p : (*oldSpec)["ports"]) {
    if (!p.is_object() || !p.contains("nodePort") || !p["nodePort"].is_number_integer()) continue;
    if (p.value("port", 0) == port.value("port", -1) &&
        p.value("protocol", "TCP") == port.value("protocol", "TCP")) {
      return p["nodePort"].get<int>();
    }
  }
  return std::nullopt;
}

void assignNodePorts(const Json* oldSpec, Json& spec, Used& used, std::vector<Cause>& causes) {
  auto ports = spec.find("ports");
  if (ports == spec.end() || !ports->is_array()) return;
  const bool wanted = wantsNodePorts(spec);
  const std::string type = stringField(spec, "type");
  std::vector<std::size_t> toAllocate;
  for (std::size_t i = 0; i < ports->size(); ++i) {
    Json& p = (*ports)[i];
    if (!p.is_object()) continue;
    const std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
    const bool given = p.contains("nodePort") && p["nodePort"].is_number_integer() &&
                       p["nodePort"].get<int>() != 0;
    if (!wanted) {
      if (given && (type.empty() || type == "ClusterIP")) {
        causes.push_back({"FieldValueForbidden",
                          "Forbidden: may not be used when `type` is 'ClusterIP'", field});
      }
      if (!given) p.erase("nodePort");
      continue;
    }
    const std::optional<int> kept = oldNodePort(oldSpec, p);
    if (!given && kept) {
      p["nodePort"] = *kept;
      used.nodePorts.insert(*kept);
      continue;
    }
    if (!given) {
      toAllocate.push_back(i);
      continue;
    }
    const int port = p["nodePort"].get<int>();
    if (kept && *kept == port) {
      used.nodePorts.insert(port);
    } else if (port < kNodePortMin || port > kNodePortMax) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: " + std::to_string(port) +
                            ": provided port is not in the valid range. The range of valid "
                            "ports is 30000-32767",
                        field});
    } else if (used.nodePorts.contains(port)) {
      causes.push_back(
          {"FieldValueInvalid",
           "Invalid value: " + std::to_string(port) + ": provided port is already allocated",
           field});
    } else {
      used.nodePorts.insert(port);
    }
  }
  // Then new ports, once every port this Service keeps or asks for is taken.
  for (std::size_t i : toAllocate) {
    int candidate = kNodePortMin;
    while (candidate <= kNodePortMax && used.nodePorts.contains(candidate)) ++candidate;
    if (candidate > kNodePortMax) {
      causes.push_back({"FieldValueInvalid",
                        "Invalid value: 0: failed to allocate a nodePort: range is full",
                        "spec.ports[" + std::to_string(i) + "].nodePort"});
      continue;
    }
    used.nodePorts.insert(candidate);
    (*ports)[i]["nodePort"] = candidate;
  }
}

}  // namespace

std::vector<Cause> assignServiceAddresses(const Json* old, Json& next,
                                          const std::vector<const Json*>& others) {
  std::vector<Cause> causes;
  if (!next.is_object()) return causes;
  Json& spec = next["spec"];
  if (!spec.is_object()) return causes;
  const Json* oldSpec = nullptr;
  if (old != nullptr && old->contains("spec") && (*old)["spec"].is_object()) {
    oldSpec = &(*old)["spec"];
  }
  Used used = usedBy(others);
  assignClusterIp(oldSpec, spec, used, causes);
  assignNodePorts(oldSpec, spec, used, causes);
  return causes;
}

}  // namespace kubesim::api
