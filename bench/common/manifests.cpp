#include "bench/common/manifests.h"

#include <cstdio>

namespace tro::bench {

std::vector<std::string> deploymentNames(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "svc-%03d", i);
    names.emplace_back(name);
  }
  return names;
}

std::string deploymentSetYaml(const DeploymentSet& set) {
  std::string out = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + set.ns + "\n";
  for (const std::string& name : deploymentNames(set.count)) {
    out += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
           "\n  namespace: " + set.ns + "\n  labels: {" + kSetLabel + ": " + set.ns +
           "}\n  annotations:\n    kubesim.io/request-rate: \"" + std::to_string(set.requestRate) +
           "\"\nspec:\n  replicas: " + std::to_string(set.replicas) +
           "\n  selector:\n    matchLabels: {app: " + name +
           "}\n  template:\n    metadata:\n      labels: {app: " + name +
           "}\n    spec:\n      containers:\n      - name: " + kContainer +
           "\n        image: example.test/" + name + ":1\n        env:\n        - {name: " + kFlag +
           ", value: \"" + set.flagValue + "\"}\n";
  }
  return out;
}

}  // namespace tro::bench
