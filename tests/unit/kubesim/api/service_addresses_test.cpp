// Services through ApiServer::handle: cluster IPs and node ports assigned, checked and kept as
// the real service registry does (kubesim/api/service_addresses.h).

#include "kubesim/api/service_addresses.h"

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

constexpr const char* kServices = "/api/v1/namespaces/default/services";

std::string service(const std::string& name, const Json& spec) {
  return Json{
      {"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", name}}}, {"spec", spec}}
      .dump();
}

Json ports(std::initializer_list<Json> list) { return Json(list); }

class ServiceAddressesTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  Json created(const std::string& name, const Json& spec) {
    auto r = call("POST", kServices, service(name, spec));
    EXPECT_EQ(r.status, 201) << r.body;
    return bodyOf(r);
  }
  ApiServer server_{testOptions()};
};

TEST_F(ServiceAddressesTest, ClusterIpsComeFromTheServiceCidrOnePerService) {
  Json a = created("a", {{"ports", ports({{{"port", 80}}})}});
  Json b = created("b", {{"ports", ports({{{"port", 80}}})}});
  EXPECT_EQ(a["spec"]["clusterIP"], "10.96.1.0");
  EXPECT_EQ(a["spec"]["clusterIPs"], Json::array({"10.96.1.0"}));
  EXPECT_EQ(b["spec"]["clusterIP"], "10.96.1.1");
  EXPECT_EQ(a["spec"]["type"], "ClusterIP");
  EXPECT_EQ(a["status"], Json::parse(R"({"loadBalancer":{}})"));
  EXPECT_FALSE(a["spec"]["ports"][0].contains("nodePort"));
  // The address has no owner in managedFields: the registry assigned it, not the client.
  EXPECT_EQ(a["metadata"]["managedFields"].dump().find("clusterIP"), std::string::npos);
}

TEST_F(ServiceAddressesTest, AReleasedAddressIsHandedOutAgain) {
  created("a", {{"ports", ports({{{"port", 80}}})}});
  ASSERT_EQ(call("DELETE", std::string(kServices) + "/a").status, 200);
  EXPECT_EQ(created("b", {{"ports", ports({{{"port", 80}}})}})["spec"]["clusterIP"], "10.96.1.0");
}

TEST_F(ServiceAddressesTest, HeadlessAndExternalNameServicesGetNoAddress) {
  Json headless = created("h", {{"clusterIP", "None"}, {"ports", ports({{{"port", 80}}})}});
  EXPECT_EQ(headless["spec"]["clusterIP"], "None");
  EXPECT_EQ(headless["spec"]["clusterIPs"], Json::array({"None"}));
  Json external = created("x", {{"type", "ExternalName"}, {"externalName", "db.example.com"}});
  EXPECT_FALSE(external["spec"].contains("clusterIP"));
}

TEST_F(ServiceAddressesTest, RequestedAddressesAreCheckedAgainstTheRangeAndEachOther) {
  EXPECT_EQ(created("a", {{"clusterIP", "10.96.0.10"},
                          {"ports", ports({{{"port", 53}}})}})["spec"]["clusterIP"],
            "10.96.0.10");
  struct Case {
    const char* ip;
    const char* field;
    const char* message;
  };
  for (const Case& c : {
           Case{"10.96.0.10", "spec.clusterIPs",
                "Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: "
                "provided IP is already allocated"},
           Case{"192.168.0.1", "spec.clusterIPs",
                "Invalid value: []string{\"192.168.0.1\"}: failed to allocate IP 192.168.0.1: the "
                "provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is "
                "10.96.0.0/12"},
           Case{"10.96.0.300", "spec.clusterIPs[0]",
                "Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or "
                "2001:db8::ffff)"},
       }) {
    auto r = call("POST", kServices,
                  service("b", {{"clusterIP", c.ip}, {"ports", ports({{{"port", 80}}})}}));
    ASSERT_EQ(r.status, 422) << c.ip << " " << r.body;
    auto s = bodyOf(r);
    ASSERT_EQ(s["details"]["causes"].size(), 1u) << r.body;
    EXPECT_EQ(s["details"]["causes"][0]["field"], c.field);
    EXPECT_EQ(s["details"]["causes"][0]["message"], c.message);
    EXPECT_EQ(call("GET", std::string(kServices) + "/b").status, 404) << c.ip;
  }
}

TEST_F(ServiceAddressesTest, NodePortsAreAssignedCheckedAndForbiddenOnClusterIp) {
  Json np = created("np", {{"type", "NodePort"},
                           {"ports", ports({{{"port", 80}}, {{"port", 443}, {"name", "tls"}}})}});
  EXPECT_EQ(np["spec"]["ports"][0]["nodePort"], 30000);
  EXPECT_EQ(np["spec"]["ports"][1]["nodePort"], 30001);
  EXPECT_EQ(np["spec"]["externalTrafficPolicy"], "Cluster");
  Json lb = created("lb", {{"type", "LoadBalancer"}, {"ports", ports({{{"port", 80}}})}});
  EXPECT_EQ(lb["spec"]["ports"][0]["nodePort"], 30002);
  EXPECT_EQ(lb["spec"]["allocateLoadBalancerNodePorts"], true);

  auto taken = call("POST", kServices,
                    service("c", {{"type", "NodePort"},
                                  {"ports", ports({{{"port", 80}, {"nodePort", 30001}}})}}));
  ASSERT_EQ(taken.status, 422) << taken.body;
  EXPECT_EQ(bodyOf(taken)["details"]["causes"][0]["message"],
            "Invalid value: 30001: provided port is already allocated");
  auto range = call(
      "POST", kServices,
      service("c", {{"type", "NodePort"}, {"ports", ports({{{"port", 80}, {"nodePort", 80}}})}}));
  ASSERT_EQ(range.status, 422) << range.body;
  EXPECT_EQ(bodyOf(range)["details"]["causes"][0]["field"], "spec.ports[0].nodePort");
  auto forbidden = call("POST", kServices,
                        service("c", {{"ports", ports({{{"port", 80}, {"nodePort", 30500}}})}}));
  ASSERT_EQ(forbidden.status, 422) << forbidden.body;
  EXPECT_EQ(bodyOf(forbidden)["details"]["causes"][0]["message"],
            "Forbidden: may not be used when `type` is 'ClusterIP'");
}

TEST_F(ServiceAddressesTest, AnUpdateThatLeavesAddressesOutKeepsThemAndCannotChangeThem) {
  Json np = created("np", {{"type", "NodePort"}, {"ports", ports({{{"port", 80}}})}});
  // A PUT of the manifest as written (no clusterIP, no nodePort) keeps both.
  Json put = Json::parse(service(
      "np",
      {{"type", "NodePort"}, {"ports", ports({{{"port", 80}}, {{"port", 81}, {"name", "b"}}})}}));
  put["metadata"]["resourceVersion"] = np["metadata"]["resourceVersion"];
  auto r = call("PUT", std::string(kServices) + "/np", put.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  Json updated = bodyOf(r);
  EXPECT_EQ(updated["spec"]["clusterIP"], np["spec"]["clusterIP"]);
  EXPECT_EQ(updated["spec"]["ports"][0]["nodePort"], np["spec"]["ports"][0]["nodePort"]);
  EXPECT_EQ(updated["spec"]["ports"][1]["nodePort"], 30001);

  auto change = call("PATCH", std::string(kServices) + "/np",
                     R"({"spec":{"clusterIP":"10.96.9.9"}})", "application/merge-patch+json");
  ASSERT_EQ(change.status, 422) << change.body;
  EXPECT_EQ(bodyOf(change)["details"]["causes"][0]["message"],
            "Invalid value: \"10.96.9.9\": field is immutable");
}

}  // namespace
}  // namespace kubesim::api
