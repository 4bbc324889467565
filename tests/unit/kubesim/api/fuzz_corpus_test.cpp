// Every body of the hostile-input corpus (tests/fuzz/kubesim_corpus, compile definition
// KUBESIM_FUZZ_CORPUS_DIR), plus bodies too large to store (nesting 100000 levels deep), is sent
// through ApiServer::handle as the body of each write a client can make. The answer must be a
// 2xx or 4xx whose body is JSON (a Status for errors); a 5xx or a crash fails the test.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_test_util.h"
#include "kubesim/api/json_guard.h"

namespace kubesim::api {
namespace {

using namespace testing;

constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
constexpr const char* kValidDeployment =
    R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0", "resources": {"limits": {"cpu": "1"}}}]}}}})";

struct Shape {
  const char* name;
  const char* method;
  std::string target;
  const char* contentType;
};

const std::vector<Shape>& shapes() {
  static const std::string web = std::string(kDeployments) + "/web";
  static const std::vector<Shape> all = {
      {"create", "POST", kDeployments, "application/json"},
      {"update", "PUT", web, "application/json"},
      {"merge patch", "PATCH", web, "application/merge-patch+json"},
      {"strategic merge patch", "PATCH", web, "application/strategic-merge-patch+json"},
      {"JSON patch", "PATCH", web, "application/json-patch+json"},
      {"apply", "PATCH", web + "?fieldManager=fuzz&force=true", "application/apply-patch+yaml"},
      {"YAML create", "POST", kDeployments, "application/yaml"},
      {"ConfigMap create", "POST", kConfigMaps, "application/json"},
  };
  return all;
}

struct Body {
  std::string name;
  std::string bytes;
};

std::vector<Body> corpus() {
  std::vector<Body> out;
  for (const auto& entry : std::filesystem::directory_iterator(KUBESIM_FUZZ_CORPUS_DIR)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out.push_back({entry.path().filename().string(), bytes.str()});
  }
  constexpr size_t kDeep = 100000;
  out.push_back({"arrays nested 100000 deep", std::string(kDeep, '[') + std::string(kDeep, ']')});
  std::string objects;
  for (size_t i = 0; i < kDeep; ++i) objects += "{\"a\":";
  objects += "1" + std::string(kDeep, '}');
  out.push_back({"objects nested 100000 deep", std::move(objects)});
  out.push_back({"arrays nested 1000 deep", std::string(1000, '[') + std::string(1000, ']')});
  // Labels nested just within and just past the depth limit: a strategic merge patch 9990
  // levels deep crashed kubesim when the limit was Go's 10000.
  for (int depth : {kMaxJsonDepth - 2, kMaxJsonDepth - 1}) {
    std::string labels = "{\"metadata\":{\"labels\":";
    for (int i = 0; i < depth; ++i) labels += "{\"a\":";
    labels += "1" + std::string(depth, '}') + "}}";
    out.push_back({"labels nested " + std::to_string(depth + 2) + " deep", std::move(labels)});
  }
  return out;
}

TEST(FuzzCorpusTest, HostileBodiesNeverGetA5xx) {
  const auto bodies = corpus();
  ASSERT_GE(bodies.size(), 10u) << "corpus not found in " << KUBESIM_FUZZ_CORPUS_DIR;
  for (const auto& body : bodies) {
    // A fresh server per body: every shape meets the same stored Deployment and ConfigMap.
    ApiServer server(testOptions());
    ASSERT_EQ(server.handle(makeRequest("POST", kDeployments, kValidDeployment)).status, 201);
    ASSERT_EQ(server.handle(makeRequest("POST", kConfigMaps, configMap("one"))).status, 201);
    for (const auto& shape : shapes()) {
      Request r = makeRequest(shape.method, shape.target, body.bytes, shape.contentType);
      r.headers["content-type"] = shape.contentType;  // also for the empty body
      Response out = server.handle(r);
      EXPECT_TRUE((out.status >= 200 && out.status < 300) ||
                  (out.status >= 400 && out.status < 500))
          << body.name << " as " << shape.name << ": " << out.status << " "
          << out.body.substr(0, 500);
      Json parsed;
      EXPECT_NO_THROW(parsed = Json::parse(out.body)) << body.name << " as " << shape.name;
    }
    // The server still answers normally afterwards.
    EXPECT_EQ(server.handle(makeRequest("GET", std::string(kDeployments) + "/web")).status, 200)
        << body.name;
  }
}

}  // namespace
}  // namespace kubesim::api
