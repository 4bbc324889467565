#pragma once
// WorldTest: an ApiServer on a SimulatedClock with a World over it, stepped by hand; requests as
// the admin user, helpers to read objects, Events and conditions back.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kubesim/world/rollout_math.h"
#include "kubesim/world/world.h"
#include "operator/base/simulated_clock.h"

namespace kubesim::world::world_testing {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
constexpr const char* kReplicaSets = "/apis/apps/v1/namespaces/default/replicasets";
constexpr const char* kPods = "/api/v1/namespaces/default/pods";

class WorldTest : public ::testing::Test {
 protected:
  static api::ApiServer::Options serverOptions(tro::base::SimulatedClock& clock) {
    api::ApiServer::Options o;
    o.clock = [&clock] { return clock.now(); };
    o.uidSeed = 7;
    return o;
  }

  api::Response send(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::string& contentType = "application/json") {
    api::Request r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.user = "admin";
    if (!body.empty()) r.headers["content-type"] = contentType;
    r.headers["accept"] = "application/json";
    return server_.handle(r);
  }
  Json get(const std::string& path) {
    api::Response r = send("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return Json::parse(r.body);
  }
  Json items(const std::string& path) { return get(path)["items"]; }
  void create(const std::string& body) {
    api::Response r = send("POST", kDeployments, body);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void step(milliseconds dt = milliseconds(50)) {
    clock_.advance(dt);
    auto errors = world_.reconcileAll();
    for (const auto& e : errors) ADD_FAILURE() << e.code << " " << e.message;
  }
  // Steps until `done` holds; fails the test after `maxSteps`.
  template <typename F>
  bool stepUntil(F done, int maxSteps = 400) {
    for (int i = 0; i < maxSteps; ++i) {
      if (done()) return true;
      step();
    }
    return done();
  }
  bool complete(const std::string& name) {
    Json d = get(std::string(kDeployments) + "/" + name);
    return deploymentComplete(d, d.value("status", Json::object()));
  }
  std::vector<std::string> eventMessages(const std::string& reason) {
    std::vector<std::string> out;
    for (const Json& e : items("/api/v1/namespaces/default/events")) {
      if (e["reason"] == reason) out.push_back(e["message"]);
    }
    return out;
  }
  const Json* condition(const Json& d, const std::string& type) {
    for (const Json& c : d["status"]["conditions"]) {
      if (c["type"] == type) return &c;
    }
    return nullptr;
  }

  tro::base::SimulatedClock clock_;
  api::ApiServer server_{serverOptions(clock_)};
  World world_{server_, clock_, WorldOptions{}};
};

}  // namespace kubesim::world::world_testing
