// kubesim's request bodies end to end, as FuzzCorpusTest (tests/unit/kubesim/api) sends its
// corpus: each input is the body of every write a client can make (create as JSON, YAML and
// protobuf, update, merge, strategic merge, JSON and apply patch, ConfigMap create), through the
// HTTP front's protobuf transcoding and ApiServer::handle, on a fresh server holding one
// Deployment and one ConfigMap. Invariants: every answer is a 2xx or 4xx with a JSON body; the
// server still serves the Deployment afterwards. Corpus: tests/fuzz/kubesim_corpus.

#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/http/protobuf_body.h"
#include "tests/fuzz/kubesim_fuzz_util.h"
#include "tests/unit/kubesim/api/api_test_util.h"

namespace {

using namespace kubesim::api;
using namespace kubesim::api::testing;
using tro::fuzz::require;

constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
constexpr const char* kDeployment =
    R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0", "resources": {"limits": {"cpu": "1"}}}]}}}})";

struct Shape {
  const char* method;
  std::string target;
  const char* contentType;
};

const std::vector<Shape>& shapes() {
  static const std::string web = std::string(kDeployments) + "/web";
  static const std::vector<Shape> all = {
      {"POST", kDeployments, "application/json"},
      {"PUT", web, "application/json"},
      {"PATCH", web, "application/merge-patch+json"},
      {"PATCH", web, "application/strategic-merge-patch+json"},
      {"PATCH", web, "application/json-patch+json"},
      {"PATCH", web + "?fieldManager=fuzz&force=true", "application/apply-patch+yaml"},
      {"POST", kDeployments, "application/yaml"},
      {"POST", kConfigMaps, "application/json"},
      {"POST", kConfigMaps, kubesim::http::kProtobufContentType},
  };
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const std::string body(tro::fuzz::asText(data, size));
  ApiServer server(testOptions());
  require(server.handle(makeRequest("POST", kDeployments, kDeployment)).status == 201);
  require(server.handle(makeRequest("POST", kConfigMaps, configMap("one"))).status == 201);
  for (const Shape& shape : shapes()) {
    Request request = makeRequest(shape.method, shape.target, body, shape.contentType);
    request.headers["content-type"] = shape.contentType;  // also for the empty body
    (void)kubesim::http::transcodeProtobufRequest(request);
    const Response out = server.handle(request);
    require((out.status >= 200 && out.status < 300) || (out.status >= 400 && out.status < 500));
    require(!kubesim::Json::parse(out.body, nullptr, false).is_discarded());
  }
  require(server.handle(makeRequest("GET", std::string(kDeployments) + "/web")).status == 200);
  return 0;
}
