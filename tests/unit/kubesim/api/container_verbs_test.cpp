// The pod subresources that need a container runtime (log, exec, attach, portforward): kubesim
// runs no containers and says so with a 400 for a pod that exists, a 404 for one that does not,
// and a 405 for a method the subresource does not take.

#include <gtest/gtest.h>

#include <string>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using testing::bodyOf;
using testing::makeRequest;

class ContainerVerbsTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target) {
    return api_.handle(makeRequest(method, target, ""));
  }

  ApiServer api_{testing::testOptions()};
};

TEST_F(ContainerVerbsTest, ASimulatedPodSaysItRunsNoContainers) {
  Response created =
      api_.handle(makeRequest("POST", "/api/v1/namespaces/default/pods",
                              R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0"},
          "spec": {"containers": [{"name": "app", "image": "example/app:1"}]}})"));
  ASSERT_EQ(created.status, 201) << created.body;
  const struct {
    const char* method;
    const char* sub;
    const char* says;
  } cases[] = {
      {"GET", "log", "has no logs"},
      {"POST", "exec", "has no process to exec to"},
      {"GET", "exec", "has no process to exec to"},
      {"POST", "attach", "has no process to attach to"},
      {"POST", "portforward", "has no ports to forward to"},
  };
  for (const auto& c : cases) {
    Response r = call(c.method, std::string("/api/v1/namespaces/default/pods/web-0/") + c.sub);
    EXPECT_EQ(r.status, 400) << c.sub << ": " << r.body;
    EXPECT_EQ(bodyOf(r)["reason"], "BadRequest") << c.sub;
    EXPECT_EQ(bodyOf(r)["message"], std::string("pod \"web-0\" ") + c.says +
                                        ": kubesim simulates pods and runs no containers");
  }
}

TEST_F(ContainerVerbsTest, AMissingPodIs404AndAWrongMethodIs405) {
  Response missing = call("GET", "/api/v1/namespaces/default/pods/nope/log");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(bodyOf(missing)["message"], "pods \"nope\" not found");
  EXPECT_EQ(call("POST", "/api/v1/namespaces/default/pods/nope/log").status, 405);
  EXPECT_EQ(call("DELETE", "/api/v1/namespaces/default/pods/nope/exec").status, 405);
  // Other kinds have no such subresources.
  EXPECT_EQ(call("GET", "/api/v1/namespaces/default/configmaps/x/log").status, 404);
}

}  // namespace
}  // namespace kubesim::api
