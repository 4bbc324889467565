// requestAttributes (kubesim/api/request_attributes.h): the authorizer's view of a request, as
// k8s.io/apiserver's RequestInfoFactory derives it from the method, the path and the query.

#include "kubesim/api/request_attributes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_test_util.h"
#include "kubesim/api/route.h"

namespace kubesim::api {
namespace {

using testing::makeRequest;

RequestAttributes attributesOf(const Request& r) {
  return requestAttributes(r, parseRoute(r.path));
}

struct ResourceCase {
  std::string method;
  std::string target;  // path and query
  std::string verb;
  std::string group;
  std::string resource;
  std::string subresource;
  std::string ns;
  std::string name;
};

TEST(RequestAttributesTest, ResourceRequestsTable) {
  const std::string cms = "/api/v1/namespaces/default/configmaps";
  const std::string deps = "/apis/apps/v1/namespaces/default/deployments";
  const ResourceCase cases[] = {
      // Reads: get of an object, list or watch of a collection.
      {"GET", "/api/v1/namespaces/default/pods/p", "get", "", "pods", "", "default", "p"},
      {"GET", "/api/v1/namespaces/default/pods", "list", "", "pods", "", "default", ""},
      {"GET", "/api/v1/namespaces/default/pods?watch=true", "watch", "", "pods", "", "default", ""},
      {"GET", "/api/v1/namespaces/default/pods?watch=1", "watch", "", "pods", "", "default", ""},
      {"GET", "/api/v1/namespaces/default/pods?watch=false", "list", "", "pods", "", "default", ""},
      {"GET", "/api/v1/watch/namespaces/default/pods", "watch", "", "pods", "", "default", ""},
      {"GET", "/api/v1/watch/namespaces/default/pods/p", "watch", "", "pods", "", "default", "p"},
      {"GET", "/api/v1/pods", "list", "", "pods", "", "", ""},
      {"GET", "/api/v1/watch/pods", "watch", "", "pods", "", "", ""},
      {"GET", "/apis/apps/v1/deployments?watch=true", "watch", "apps", "deployments", "", "", ""},
      // Writes.
      {"POST", deps, "create", "apps", "deployments", "", "default", ""},
      {"PUT", deps + "/web", "update", "apps", "deployments", "", "default", "web"},
      {"PATCH", deps + "/web", "patch", "apps", "deployments", "", "default", "web"},
      {"DELETE", deps + "/web", "delete", "apps", "deployments", "", "default", "web"},
      {"DELETE", deps, "deletecollection", "apps", "deployments", "", "default", ""},
      // Subresources.
      {"PUT", deps + "/web/status", "update", "apps", "deployments", "status", "default", "web"},
      {"GET", deps + "/web/status", "get", "apps", "deployments", "status", "default", "web"},
      {"GET", deps + "/web/scale", "get", "apps", "deployments", "scale", "default", "web"},
      {"PATCH", deps + "/web/scale", "patch", "apps", "deployments", "scale", "default", "web"},
      {"POST", "/api/v1/namespaces/default/serviceaccounts/robot/token", "create", "",
       "serviceaccounts", "token", "default", "robot"},
      // A namespace's own path is in that namespace; the collection is cluster-wide.
      {"GET", "/api/v1/namespaces/foo", "get", "", "namespaces", "", "foo", "foo"},
      {"DELETE", "/api/v1/namespaces/foo", "delete", "", "namespaces", "", "foo", "foo"},
      {"PUT", "/api/v1/namespaces/foo/status", "update", "", "namespaces", "status", "foo", "foo"},
      {"PUT", "/api/v1/namespaces/foo/finalize", "update", "", "namespaces", "finalize", "foo",
       "foo"},
      {"GET", "/api/v1/namespaces", "list", "", "namespaces", "", "", ""},
      {"POST", "/api/v1/namespaces", "create", "", "namespaces", "", "", ""},
      // Cluster-scoped resources.
      {"GET", "/api/v1/nodes", "list", "", "nodes", "", "", ""},
      {"GET", "/api/v1/nodes/kubesim-worker", "get", "", "nodes", "", "", "kubesim-worker"},
      {"PATCH", "/api/v1/nodes/n1/status", "patch", "", "nodes", "status", "", "n1"},
      {"GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", "get",
       "rbac.authorization.k8s.io", "clusterroles", "", "", "view"},
      // Resources kubesim does not serve are still resource requests.
      {"GET", "/apis/example.com/v1/namespaces/default/gadgets", "list", "example.com", "gadgets",
       "", "default", ""},
      // fieldSelector=metadata.name=<x> names <x> for a list or watch of a collection.
      {"GET", cms + "?fieldSelector=metadata.name=x", "list", "", "configmaps", "", "default", "x"},
      {"GET", cms + "?fieldSelector=metadata.name==x", "list", "", "configmaps", "", "default",
       "x"},
      {"GET", cms + "?watch=true&fieldSelector=metadata.name=x", "watch", "", "configmaps", "",
       "default", "x"},
      {"GET", "/api/v1/watch/namespaces/default/configmaps?fieldSelector=metadata.name==x", "watch",
       "", "configmaps", "", "default", "x"},
      {"GET", cms + "?fieldSelector=metadata.namespace=default,metadata.name=x", "list", "",
       "configmaps", "", "default", "x"},
      {"GET", cms + "?fieldSelector=metadata.name==x,metadata.namespace=default", "list", "",
       "configmaps", "", "default", "x"},
      {"GET", "/api/v1/nodes?fieldSelector=spec.unschedulable=false,metadata.name=n1", "list", "",
       "nodes", "", "", "n1"},
      // ... but not a negated term, another field, a label selector, or a non-list verb.
      {"GET", cms + "?fieldSelector=metadata.name!=x", "list", "", "configmaps", "", "default", ""},
      {"GET", cms + "?fieldSelector=metadata.namespace=x", "list", "", "configmaps", "", "default",
       ""},
      {"GET", cms + "?fieldSelector=metadata.namespace!=default,metadata.name!=x", "list", "",
       "configmaps", "", "default", ""},
      {"GET", cms + "?labelSelector=metadata.name=x", "list", "", "configmaps", "", "default", ""},
      {"GET", cms + "/y?fieldSelector=metadata.name=x", "get", "", "configmaps", "", "default",
       "y"},
      {"DELETE", cms + "?fieldSelector=metadata.name=x", "deletecollection", "", "configmaps", "",
       "default", ""},
  };
  for (const auto& c : cases) {
    const std::string what = c.method + " " + c.target;
    const RequestAttributes a = attributesOf(makeRequest(c.method, c.target));
    EXPECT_TRUE(a.resourceRequest) << what;
    EXPECT_EQ(a.verb, c.verb) << what;
    EXPECT_EQ(a.apiGroup, c.group) << what;
    EXPECT_EQ(a.resource, c.resource) << what;
    EXPECT_EQ(a.subresource, c.subresource) << what;
    EXPECT_EQ(a.namespace_, c.ns) << what;
    EXPECT_EQ(a.name, c.name) << what;
  }
}

struct NonResourceCase {
  std::string method;
  std::string path;
  std::string verb;
};

TEST(RequestAttributesTest, NonResourceRequestsUseTheLowerCaseMethodAndThePath) {
  const NonResourceCase cases[] = {
      {"GET", "/api", "get"},
      {"GET", "/api/v1", "get"},
      {"GET", "/apis", "get"},
      {"GET", "/apis/apps", "get"},
      {"GET", "/apis/apps/v1", "get"},
      {"GET", "/openapi/v3", "get"},
      {"GET", "/openapi/v3/apis/apps/v1", "get"},
      {"GET", "/openapi/v2", "get"},
      {"GET", "/healthz", "get"},
      {"GET", "/version", "get"},
      {"GET", "/metrics", "get"},
      {"POST", "/healthz", "post"},
      {"PUT", "/apis", "put"},
      {"DELETE", "/api", "delete"},
      {"HEAD", "/livez", "head"},
  };
  for (const auto& c : cases) {
    const std::string what = c.method + " " + c.path;
    const RequestAttributes a = attributesOf(makeRequest(c.method, c.path));
    EXPECT_FALSE(a.resourceRequest) << what;
    EXPECT_EQ(a.verb, c.verb) << what;
    EXPECT_EQ(a.path, c.path) << what;
    EXPECT_EQ(a.apiGroup, "") << what;
    EXPECT_EQ(a.resource, "") << what;
    EXPECT_EQ(a.namespace_, "") << what;
    EXPECT_EQ(a.name, "") << what;
  }
}

TEST(RequestAttributesTest, NonResourcePathKeepsNoQueryAndIgnoresFieldSelectors) {
  const RequestAttributes a =
      attributesOf(makeRequest("GET", "/apis?fieldSelector=metadata.name=x&watch=true"));
  EXPECT_FALSE(a.resourceRequest);
  EXPECT_EQ(a.verb, "get");
  EXPECT_EQ(a.path, "/apis");
  EXPECT_EQ(a.name, "");
}

TEST(RequestAttributesTest, CarriesTheRequestsUser) {
  Request r = makeRequest("GET", "/api/v1/namespaces/default/configmaps");
  r.user = "system:serviceaccount:default:robot";
  r.groups = {"system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"};
  const RequestAttributes a = attributesOf(r);
  EXPECT_EQ(a.user.name, "system:serviceaccount:default:robot");
  EXPECT_EQ(a.user.groups, r.groups);

  Request path = makeRequest("GET", "/healthz");
  path.user = "alice";
  path.groups = {"system:authenticated"};
  const RequestAttributes b = attributesOf(path);
  EXPECT_EQ(b.user.name, "alice");
  EXPECT_EQ(b.user.groups, std::vector<std::string>{"system:authenticated"});
}

}  // namespace
}  // namespace kubesim::api
