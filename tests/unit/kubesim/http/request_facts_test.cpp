#include "kubesim/http/request_facts.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

api::Request req(std::string method, std::string path,
                 std::multimap<std::string, std::string> query = {}) {
  api::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

TEST(RequestFacts, VerbGroupResourceLikeRequestInfo) {
  struct Case {
    api::Request request;
    std::string verb, group, resource, subresource, ns, name;
  };
  const Case cases[] = {
      {req("GET", "/api/v1/namespaces/default/pods"), "list", "", "pods", "", "default", ""},
      {req("GET", "/api/v1/pods"), "list", "", "pods", "", "", ""},
      {req("GET", "/api/v1/namespaces/default/pods/p1"), "get", "", "pods", "", "default", "p1"},
      {req("GET", "/api/v1/namespaces/default/pods", {{"watch", "true"}}), "watch", "", "pods", "",
       "default", ""},
      {req("GET", "/api/v1/watch/namespaces/default/pods"), "watch", "", "pods", "", "default", ""},
      {req("POST", "/apis/apps/v1/namespaces/ns1/deployments"), "create", "apps", "deployments", "",
       "ns1", ""},
      {req("PUT", "/apis/apps/v1/namespaces/ns1/deployments/web/status"), "update", "apps",
       "deployments", "status", "ns1", "web"},
      {req("PATCH", "/apis/apps/v1/namespaces/ns1/deployments/web/scale"), "patch", "apps",
       "deployments", "scale", "ns1", "web"},
      {req("DELETE", "/api/v1/namespaces/ns1/configmaps/c"), "delete", "", "configmaps", "", "ns1",
       "c"},
      {req("DELETE", "/api/v1/namespaces/ns1/configmaps"), "deletecollection", "", "configmaps", "",
       "ns1", ""},
      {req("GET", "/api/v1/namespaces"), "list", "", "namespaces", "", "", ""},
      {req("GET", "/api/v1/namespaces/ns1"), "get", "", "namespaces", "", "ns1", "ns1"},
      {req("PUT", "/api/v1/namespaces/ns1/finalize"), "update", "", "namespaces", "finalize", "ns1",
       "ns1"},
      {req("GET", "/apis/example.test/v1/gadgets"), "list", "example.test", "gadgets", "", "", ""},
      {req("GET", "/apis/apps/v1"), "get", "", "", "", "", ""},
      {req("GET", "/api"), "get", "", "", "", "", ""},
      {req("GET", "/openapi/v3/apis/apps/v1"), "get", "", "", "", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.request.method + " " + c.request.path);
    RequestFacts f = describeRequest(c.request);
    EXPECT_EQ(f.verb, c.verb);
    EXPECT_EQ(f.group, c.group);
    EXPECT_EQ(f.resource, c.resource);
    EXPECT_EQ(f.subresource, c.subresource);
    EXPECT_EQ(f.ns, c.ns);
    EXPECT_EQ(f.name, c.name);
  }
}

TEST(RequestFacts, FieldManagerAndUserAgent) {
  api::Request r =
      req("PATCH", "/apis/apps/v1/namespaces/d/deployments/web", {{"fieldManager", "kubectl-set"}});
  r.headers["user-agent"] = "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9";
  RequestFacts f = describeRequest(r);
  EXPECT_EQ(f.fieldManager, "kubectl-set");
  EXPECT_EQ(f.userAgent, "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9");
  EXPECT_TRUE(f.isWrite());
  EXPECT_FALSE(describeRequest(req("GET", "/api/v1/pods")).isWrite());
}

}  // namespace
}  // namespace kubesim::http
