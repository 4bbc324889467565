#pragma once
// Helpers for driving ApiServer::handle with request values in tests.

#include <chrono>
#include <string>

#include "kubesim/api/api_server.h"

namespace kubesim::api::testing {

inline std::chrono::system_clock::time_point fixedTime() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 21} + hours{5} + minutes{39} + seconds{24};
}

inline ApiServer::Options testOptions() {
  ApiServer::Options o;
  o.clock = [] { return fixedTime(); };
  o.uidSeed = 42;
  return o;
}

// "/path?a=b&c=d" -> Request; values must not need decoding.
inline Request makeRequest(const std::string& method, const std::string& target,
                           const std::string& body = "",
                           const std::string& contentType = "application/json") {
  Request r;
  r.method = method;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    std::size_t pos = 0;
    while (pos <= query.size()) {
      auto amp = query.find('&', pos);
      std::string kv = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      auto eq = kv.find('=');
      if (!kv.empty()) {
        r.query.emplace(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
      }
      if (amp == std::string::npos) break;
      pos = amp + 1;
    }
  }
  r.body = body;
  if (!body.empty()) r.headers["content-type"] = contentType;
  r.headers["accept"] = "application/json";
  return r;
}

inline Json bodyOf(const Response& r) { return Json::parse(r.body); }

inline const char* kGadgetCrd =
    R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget", "shortNames": ["gd"]}, "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}}, "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}, {"name": "Phase", "type": "string", "jsonPath": ".status.phase"}, {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}], "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer", "minimum": 0}, "color": {"type": "string", "default": "blue", "enum": ["blue", "red"]}}}, "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}}}]}})";

inline std::string gadget(const std::string& name, int size) {
  return R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": ")" + name +
         R"(", "namespace": "default", "labels": {"tier": "a"}}, "spec": {"size": )" +
         std::to_string(size) + "}}";
}

inline std::string configMap(const std::string& name, const std::string& extraMetadata = "") {
  return R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": ")" + name + "\"" +
         (extraMetadata.empty() ? "" : ", " + extraMetadata) + R"(}, "data": {"k": "v"}})";
}

constexpr const char* kGadgets = "/apis/example.test/v1/namespaces/default/gadgets";
constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

}  // namespace kubesim::api::testing
