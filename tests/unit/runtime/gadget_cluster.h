#pragma once
// The runtime tests' cluster: kubesim's API server in process with two small custom resources,
// `gadgets` and `others` (group example.test), whose schemas keep whatever fields they are given.

#include <string>

#include "operator/kube/resource.h"
#include "tests/support/in_process_api.h"

namespace tro::testing {

inline const kube::ResourceType kGadgets{"example.test", "v1", "gadgets", "Gadget", true};
inline const kube::ResourceType kOthers{"example.test", "v1", "others", "Other", true};

inline std::string openCrd(const std::string& plural, const std::string& singular,
                           const std::string& kind) {
  kube::Json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", plural + ".example.test"}}},
      {"spec",
       {{"group", "example.test"},
        {"scope", "Namespaced"},
        {"names", {{"plural", plural}, {"singular", singular}, {"kind", kind}}},
        {"versions",
         kube::Json::array(
             {{{"name", "v1"},
               {"served", true},
               {"storage", true},
               {"schema",
                {{"openAPIV3Schema",
                  {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}}}}})}}}};
  return crd.dump();
}

inline InProcessApiOptions gadgetCluster(std::size_t watchHistory = 10000) {
  InProcessApiOptions o;
  o.crds = {openCrd("gadgets", "gadget", "Gadget"), openCrd("others", "other", "Other")};
  o.watchHistory = watchHistory;
  return o;
}

// A Gadget in namespace default.
inline kube::Json gadget(const std::string& name, const std::string& tier = "a") {
  return {{"apiVersion", "example.test/v1"},
          {"kind", "Gadget"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"tier", tier}}}}},
          {"spec", {{"size", 1}}}};
}

}  // namespace tro::testing
