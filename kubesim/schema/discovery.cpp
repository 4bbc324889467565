#include "kubesim/schema/discovery.h"

#include <openssl/evp.h>
#include <algorithm>

#include "kubesim/schema/crd.h"

namespace kubesim::schema {

namespace {

const std::vector<std::string> kSubresourceVerbs = {"get", "patch", "update"};

// base64(sha256("group/version/kind")[:8]), as kube-apiserver computes storageVersionHash.
std::string storageVersionHash(const KindInfo& k) {
  const std::string gvk = k.group + "/" + k.version + "/" + k.kind;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(gvk.data(), gvk.size(), digest, &len, EVP_sha256(), nullptr);
  unsigned char out[16] = {};
  EVP_EncodeBlock(out, digest, 8);
  return reinterpret_cast<const char*>(out);
}

std::vector<std::string> groupsInOrder(const KindRegistry& registry) {
  std::vector<std::string> groups;
  for (const auto& gv : registry.groupVersions()) {
    if (std::find(groups.begin(), groups.end(), gv.group) == groups.end()) {
      groups.push_back(gv.group);
    }
  }
  return groups;
}

// Versions of a group, preferred (highest priority) first.
std::vector<std::string> versionsOf(const KindRegistry& registry, const std::string& group) {
  std::vector<std::string> versions;
  for (const auto& gv : registry.groupVersions()) {
    if (gv.group == group) versions.push_back(gv.version);
  }
  std::stable_sort(versions.begin(), versions.end(), versionPrecedes);
  return versions;
}

Json groupVersionEntry(const std::string& group, const std::string& version) {
  return {{"groupVersion", group + "/" + version}, {"version", version}};
}

Json apiGroupJson(const KindRegistry& registry, const std::string& group) {
  Json versions = Json::array();
  const auto vs = versionsOf(registry, group);
  for (const auto& v : vs) versions.push_back(groupVersionEntry(group, v));
  return {{"name", group},
          {"versions", std::move(versions)},
          {"preferredVersion", groupVersionEntry(group, vs.front())}};
}

std::vector<const KindInfo*> sortedByPlural(std::vector<const KindInfo*> kinds) {
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const KindInfo* a, const KindInfo* b) { return a->plural < b->plural; });
  return kinds;
}

Json subresourceEntry(const KindInfo& k, const std::string& sub) {
  Json e = {{"name", k.plural + "/" + sub}, {"singularName", ""}, {"namespaced", k.namespaced}};
  if (sub == "scale") {
    e["group"] = "autoscaling";
    e["version"] = "v1";
    e["kind"] = "Scale";
  } else if (sub == "token") {
    e["group"] = "authentication.k8s.io";
    e["version"] = "v1";
    e["kind"] = "TokenRequest";
    e["verbs"] = {"create"};
    return e;
  } else {
    e["kind"] = k.kind;
  }
  e["verbs"] = kSubresourceVerbs;
  return e;
}

Json responseKind(const std::string& group, const std::string& version, const std::string& kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

Json aggregatedResource(const KindInfo& k) {
  Json r = {{"resource", k.plural},
            {"responseKind", responseKind(k.group, k.version, k.kind)},
            {"scope", k.namespaced ? "Namespaced" : "Cluster"},
            {"singularResource", k.singular},
            {"verbs", k.verbs}};
  if (!k.shortNames.empty()) r["shortNames"] = k.shortNames;
  if (!k.categories.empty()) r["categories"] = k.categories;
  Json subs = Json::array();
  if (k.hasScale) {
    subs.push_back({{"subresource", "scale"},
                    {"responseKind", responseKind("autoscaling", "v1", "Scale")},
                    {"verbs", kSubresourceVerbs}});
  }
  if (k.hasStatus) {
    subs.push_back({{"subresource", "status"},
                    {"responseKind", responseKind(k.group, k.version, k.kind)},
                    {"verbs", kSubresourceVerbs}});
  }
  if (k.hasToken) {
    subs.push_back({{"subresource", "token"},
                    {"responseKind", responseKind("authentication.k8s.io", "v1", "TokenRequest")},
                    {"verbs", {"create"}}});
  }
  if (!subs.empty()) r["subresources"] = std::move(subs);
  return r;
}

Json aggregatedGroup(const KindRegistry& registry, const std::string& group) {
  Json versions = Json::array();
  for (const auto& v : versionsOf(registry, group)) {
    Json resources = Json::array();
    for (const KindInfo* k : sortedByPlural(registry.inGroupVersion(group, v))) {
      resources.push_back(aggregatedResource(*k));
    }
    versions.push_back(
        {{"version", v}, {"resources", std::move(resources)}, {"freshness", "Current"}});
  }
  Json meta = {{"creationTimestamp", nullptr}};
  if (!group.empty()) meta["name"] = group;
  return {{"metadata", std::move(meta)}, {"versions", std::move(versions)}};
}

}  // namespace

Json apiVersions(const std::string& serverAddress) {
  return {{"kind", "APIVersions"},
          {"versions", Json::array({"v1"})},
          {"serverAddressByClientCIDRs",
           Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", serverAddress}}})}};
}

Json apiGroupList(const KindRegistry& registry) {
  Json groups = Json::array();
  for (const auto& g : groupsInOrder(registry)) {
    if (!g.empty()) groups.push_back(apiGroupJson(registry, g));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

std::optional<Json> apiGroup(const KindRegistry& registry, const std::string& group) {
  if (group.empty() || versionsOf(registry, group).empty()) return std::nullopt;
  Json g = apiGroupJson(registry, group);
  g["kind"] = "APIGroup";
  g["apiVersion"] = "v1";
  return g;
}

std::optional<Json> apiResourceList(const KindRegistry& registry, const std::string& group,
                                    const std::string& version) {
  const auto kinds = registry.inGroupVersion(group, version);
  if (kinds.empty()) return std::nullopt;
  Json resources = Json::array();
  for (const KindInfo* k : sortedByPlural(kinds)) {
    Json e = {{"name", k->plural},
              {"singularName", k->singular},
              {"namespaced", k->namespaced},
              {"kind", k->kind},
              {"verbs", k->verbs}};
    if (!k->shortNames.empty()) e["shortNames"] = k->shortNames;
    if (!k->categories.empty()) e["categories"] = k->categories;
    e["storageVersionHash"] = storageVersionHash(*k);
    resources.push_back(std::move(e));
    if (k->hasScale) resources.push_back(subresourceEntry(*k, "scale"));
    if (k->hasStatus) resources.push_back(subresourceEntry(*k, "status"));
    if (k->hasToken) resources.push_back(subresourceEntry(*k, "token"));
  }
  return Json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", std::move(resources)}};
}

Json aggregatedDiscovery(const KindRegistry& registry, bool legacy) {
  Json items = Json::array();
  for (const auto& g : groupsInOrder(registry)) {
    if (g.empty() == legacy) items.push_back(aggregatedGroup(registry, g));
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", "apidiscovery.k8s.io/v2"},
          {"metadata", Json::object()},
          {"items", std::move(items)}};
}

}  // namespace kubesim::schema
