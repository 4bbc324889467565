#pragma once
// Who else writes the operator's variables. When another field manager keeps reverting the flag
// (a GitOps controller that declares it), the operator must stop after a bounded number of
// attempts and report a Conflict naming that manager; the name comes from metadata.managedFields
// (FieldsV1), where a container env var's value is the path
//   f:spec / f:template / f:spec / f:containers / k:{"name":"<container>"} /
//   f:env / k:{"name":"<var>"} / f:value
// and a pod-template annotation's is f:spec / f:template / f:metadata / f:annotations / f:<key>.
// Pure; a Deployment without managedFields (or with another fieldsType) yields no managers.

#include <string>
#include <vector>

#include "operator/kube/resource.h"

namespace tro::controllers {

// Managers other than `except` that own the value of `var` in `container`, in managedFields
// order, without duplicates.
std::vector<std::string> envValueManagers(const nlohmann::json& deployment,
                                          const std::string& container, const std::string& var,
                                          const std::string& except);

// Managers other than `except` that own the pod-template annotation `key`, likewise.
std::vector<std::string> podAnnotationManagers(const nlohmann::json& deployment,
                                               const std::string& key, const std::string& except);

}  // namespace tro::controllers
