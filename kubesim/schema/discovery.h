#pragma once
// Discovery documents as kube-apiserver serves them (reference §1-3, §6):
//   legacy:     /api (APIVersions), /api/v1 and /apis/G/V (APIResourceList), /apis (APIGroupList),
//               /apis/G (APIGroup)
//   aggregated: /api and /apis as APIGroupDiscoveryList (apidiscovery.k8s.io/v2), served when the
//               client asks with Accept
//               application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList

#include <optional>
#include <string>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

inline constexpr const char* kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

Json apiVersions(const std::string& serverAddress);                                    // /api
Json apiGroupList(const KindRegistry& registry);                                       // /apis
std::optional<Json> apiGroup(const KindRegistry& registry, const std::string& group);  // /apis/G
// /api/v1 (group "") or /apis/G/V; nullopt when not served.
std::optional<Json> apiResourceList(const KindRegistry& registry, const std::string& group,
                                    const std::string& version);
// legacy=true: /api (core group only); false: /apis (every named group).
Json aggregatedDiscovery(const KindRegistry& registry, bool legacy);

}  // namespace kubesim::schema
