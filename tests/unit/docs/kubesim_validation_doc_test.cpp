// The "Validation of built-in fields" table of docs/reference/kubesim.md against kubesim's API
// server: every row (field, status and reason, message) has an example here and every example
// here is a row; each example is sent to an in-process ApiServer and must get exactly the
// documented HTTP code, Status reason, cause reason and field, and a message ending with the
// documented one. Changing a message, a field path or a status on either side fails the test.

#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "kubesim/api/api_server.h"
#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

using kubesim::Json;
using kubesim::api::ApiServer;
using kubesim::api::Request;
using kubesim::api::Response;

constexpr const char* kPage = "docs/reference/kubesim.md";
constexpr const char* kSection = "## Validation of built-in fields";
constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
constexpr const char* kBase =
    R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0"}]}}}})";
constexpr const char* kC0 = "spec.template.spec.containers[0]";
constexpr const char* kDnsLabel =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr const char* kQuantity =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

Request request(const std::string& method, const std::string& path, const std::string& body,
                const std::string& contentType = "application/json") {
  Request r;
  r.method = method;
  r.path = path;
  r.body = body;
  r.headers["content-type"] = contentType;
  r.headers["accept"] = "application/json";
  return r;
}

using Run = std::function<Response(ApiServer&)>;

// PUT of the stored Deployment "web" with `patch` merged in (RFC 7386).
Run put(const std::string& patch) {
  return [patch](ApiServer& s) {
    Json body = Json::parse(kBase);
    body.merge_patch(Json::parse(patch));
    return s.handle(request("PUT", std::string(kDeployments) + "/web", body.dump()));
  };
}

// Create of a new Deployment "other" with `patch` merged in.
Run create(const std::string& patch) {
  return [patch](ApiServer& s) {
    Json body = Json::parse(kBase);
    body["metadata"]["name"] = "other";
    body.merge_patch(Json::parse(patch));
    return s.handle(request("POST", kDeployments, body.dump()));
  };
}

Run jsonPatch(const std::string& ops) {
  return [ops](ApiServer& s) {
    return s.handle(
        request("PATCH", std::string(kDeployments) + "/web", ops, "application/json-patch+json"));
  };
}

std::string podSpec(const std::string& fields) {
  return R"({"spec": {"template": {"spec": )" + fields + "}}}";
}
std::string containers(const std::string& list) {
  return podSpec(R"({"containers": )" + list + "}");
}
std::string withResources(const std::string& resources) {
  return containers(R"([{"name": "app", "image": "i", "resources": )" + resources + "}]");
}

struct Example {
  std::string field;    // as the table writes it
  std::string status;   // "422 Invalid, FieldValueInvalid" or "400 BadRequest"
  std::string message;  // the table's message: the answer's message ends with it
  Run run;
  std::string cause;  // the cause's field in the answer (422 only)
};

std::vector<Example> examples() {
  const std::string c0 = kC0;
  const std::string dns = kDnsLabel;
  const std::string invalid = "422 Invalid, FieldValueInvalid";
  const std::string required = "422 Invalid, FieldValueRequired";
  const std::string duplicate = "422 Invalid, FieldValueDuplicate";
  const std::string ci = "spec.template.spec.containers[i]";
  const std::string negative = "must be greater than or equal to 0";
  return {
      {"spec.replicas", invalid, "Invalid value: -5: " + negative,
       put(R"({"spec": {"replicas": -5}})"), "spec.replicas"},
      {"spec.minReadySeconds", invalid, "Invalid value: -1: " + negative,
       put(R"({"spec": {"minReadySeconds": -1}})"), "spec.minReadySeconds"},
      {"spec.revisionHistoryLimit", invalid, "Invalid value: -1: " + negative,
       put(R"({"spec": {"revisionHistoryLimit": -1}})"), "spec.revisionHistoryLimit"},
      {"spec.progressDeadlineSeconds", invalid,
       "Invalid value: 10: must be greater than minReadySeconds",
       put(R"({"spec": {"minReadySeconds": 10, "progressDeadlineSeconds": 10}})"),
       "spec.progressDeadlineSeconds"},
      {"spec.template.metadata.labels", invalid,
       R"(Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`)",
       put(R"({"spec": {"template": {"metadata": {"labels": {"app": "other"}}}}})"),
       "spec.template.metadata.labels"},
      {"spec.template.spec.restartPolicy", "422 Invalid, FieldValueNotSupported",
       R"(Unsupported value: "Never": supported values: "Always")",
       put(podSpec(R"({"restartPolicy": "Never"})")), "spec.template.spec.restartPolicy"},
      {"spec.template.spec.containers", required, "Required value", put(containers("[]")),
       "spec.template.spec.containers"},
      {ci + ".name", required, "Required value", put(containers(R"([{"name": "", "image": "i"}])")),
       c0 + ".name"},
      {ci + ".name", invalid, R"(Invalid value: "App_1": )" + dns,
       put(containers(R"([{"name": "App_1", "image": "i"}])")), c0 + ".name"},
      {ci + ".name", invalid, "must be no more than 63 characters",
       put(containers(R"([{"name": ")" + std::string(64, 'a') + R"(", "image": "i"}])")),
       c0 + ".name"},
      {ci + ".name", duplicate, R"(Duplicate value: "app")",
       put(containers(R"([{"name": "app", "image": "i"}, {"name": "app", "image": "j"}])")),
       "spec.template.spec.containers[1].name"},
      {"spec.template.spec.initContainers[i].name", duplicate, R"(Duplicate value: "app")",
       put(podSpec(R"({"initContainers": [{"name": "app", "image": "i"}]})")),
       "spec.template.spec.initContainers[0].name"},
      {ci + ".image", required, "Required value",
       put(containers(R"([{"name": "app", "image": ""}])")), c0 + ".image"},
      {ci + ".ports[j].containerPort", required, "Required value",
       put(containers(R"([{"name": "app", "image": "i", "ports": [{"containerPort": 0}]}])")),
       c0 + ".ports[0].containerPort"},
      {ci + ".ports[j].containerPort", invalid,
       "Invalid value: 70000: must be between 1 and 65535, inclusive",
       put(containers(R"([{"name": "app", "image": "i", "ports": [{"containerPort": 70000}]}])")),
       c0 + ".ports[0].containerPort"},
      {ci + ".ports[j].name", invalid,
       R"(Invalid value: "http--x": must not contain consecutive hyphens)",
       put(containers(
           R"([{"name": "app", "image": "i", "ports": [{"name": "http--x", "containerPort": 80}]}])")),
       c0 + ".ports[0].name"},
      {ci + ".ports[j].name", duplicate, R"(Duplicate value: "http")",
       put(containers(R"([{"name": "app", "image": "i", "ports": [{"name": "http", "containerPort":
           80}, {"name": "http", "containerPort": 81}]}])")),
       c0 + ".ports[1].name"},
      {ci + ".env[j].name", required, "Required value",
       put(containers(R"([{"name": "app", "image": "i", "env": [{"name": "", "value": "x"}]}])")),
       c0 + ".env[0].name"},
      {ci + ".env[j].name", invalid,
       R"(Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '=')",
       put(containers(
           R"([{"name": "app", "image": "i", "env": [{"name": "A=B", "value": "x"}]}])")),
       c0 + ".env[0].name"},
      {ci + ".volumeMounts[j].name", "422 Invalid, FieldValueNotFound", R"(Not found: "missing")",
       put(containers(R"([{"name": "app", "image": "i",
           "volumeMounts": [{"name": "missing", "mountPath": "/x"}]}])")),
       c0 + ".volumeMounts[0].name"},
      {ci + ".volumeMounts[j].mountPath", required, "Required value",
       put(podSpec(R"({"volumes": [{"name": "conf", "emptyDir": {}}], "containers": [{"name": "app",
           "image": "i", "volumeMounts": [{"name": "conf", "mountPath": ""}]}]})")),
       c0 + ".volumeMounts[0].mountPath"},
      {ci + ".volumeMounts[j].mountPath", invalid, R"(Invalid value: "/x": must be unique)",
       put(podSpec(R"({"volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "emptyDir": {}}],
           "containers": [{"name": "app", "image": "i", "volumeMounts": [{"name": "a",
           "mountPath": "/x"}, {"name": "b", "mountPath": "/x"}]}]})")),
       c0 + ".volumeMounts[1].mountPath"},
      {"spec.template.spec.volumes[i].name", invalid, R"(Invalid value: "Conf": )" + dns,
       put(podSpec(R"({"volumes": [{"name": "Conf", "emptyDir": {}}]})")),
       "spec.template.spec.volumes[0].name"},
      {"spec.template.spec.volumes[i].name", duplicate, R"(Duplicate value: "a")",
       put(podSpec(
           R"({"volumes": [{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]})")),
       "spec.template.spec.volumes[1].name"},
      {"spec.template.spec.volumes[i]", required, "Required value: must specify a volume type",
       put(podSpec(R"({"volumes": [{"name": "a"}]})")), "spec.template.spec.volumes[0]"},
      {"spec.template.spec.volumes[i].<source>", "422 Invalid, FieldValueForbidden",
       "Forbidden: may not specify more than 1 volume type",
       put(podSpec(R"({"volumes": [{"name": "a", "emptyDir": {}, "configMap": {"name": "c"}}]})")),
       "spec.template.spec.volumes[0].configMap"},
      {ci + ".resources.limits[<name>]", invalid, R"(Invalid value: "-1": )" + negative,
       put(withResources(R"({"limits": {"memory": "-1"}})")), c0 + ".resources.limits[memory]"},
      {ci + ".resources.requests", invalid,
       R"(Invalid value: "2": must be less than or equal to cpu limit of 1)",
       put(withResources(R"({"limits": {"cpu": "1"}, "requests": {"cpu": "2000m"}})")),
       c0 + ".resources.requests"},
      {ci + ".resources.requests", invalid,
       R"(Invalid value: "1": must be equal to example.com/gpu limit of 2)",
       put(withResources(
           R"({"limits": {"example.com/gpu": 2}, "requests": {"example.com/gpu": 1}})")),
       c0 + ".resources.requests"},
      {ci + ".resources.limits", required,
       "Required value: Limit must be set for non overcommitable resources",
       put(withResources(R"({"requests": {"example.com/gpu": 1}})")), c0 + ".resources.limits"},
      {ci + ".resources.limits[<name>]", "400 BadRequest",
       std::string(R"(Deployment in version "v1" cannot be handled as a Deployment: )") + kQuantity,
       create(withResources(R"({"limits": {"cpu": "abc"}})")), ""},
      {ci + ".resources.requests[<name>]", "400 BadRequest",
       R"(Deployment in version "v1" cannot be handled as a Deployment: unable to parse quantity's suffix)",
       create(withResources(R"({"requests": {"memory": "1kk"}})")), ""},
      {"patch", invalid, kQuantity,
       jsonPatch(
           R"([{"op": "add", "path": "/spec/template/spec/containers/0/resources", "value": {"limits": {"cpu": "abc"}}}])"),
       "patch"},
  };
}

struct Row {
  std::string field, status, message, line;
};

// The rows of the section's table (the section ends at the next "## " heading).
std::vector<Row> documentedRows(const std::string& page) {
  std::vector<Row> rows;
  const auto start = page.find(kSection);
  if (start == std::string::npos) return rows;
  const auto end = page.find("\n## ", start + 1);
  const std::string section = page.substr(start, end == std::string::npos ? end : end - start);
  for (const auto& r : tableRows(section)) {
    if (r.cells.size() != 4) continue;
    auto field = codeSpans(r.cells[0]);
    auto message = codeSpans(r.cells[3]);
    rows.push_back({field.empty() ? r.cells[0] : field.front(), r.cells[2],
                    message.empty() ? r.cells[3] : message.front(), r.line});
  }
  return rows;
}

std::string key(const std::string& field, const std::string& status, const std::string& message) {
  return field + " | " + status + " | " + message;
}

TEST(KubesimValidationDoc, TableAndExamplesMatch) {
  auto page = readFile(sourcePath(kPage));
  ASSERT_TRUE(page.ok()) << page.error().message;
  const auto rows = documentedRows(*page);
  ASSERT_GE(rows.size(), 30u) << "no validation table under \"" << kSection << "\" in " << kPage;
  std::set<std::string> documented;
  for (const auto& r : rows) documented.insert(key(r.field, r.status, r.message));
  std::set<std::string> tested;
  for (const auto& e : examples()) tested.insert(key(e.field, e.status, e.message));
  EXPECT_EQ(documented.size(), rows.size()) << "the table repeats a row";
  auto undocumented = missingFrom(tested, documented);
  EXPECT_TRUE(undocumented.empty()) << "examples missing from the table of " << kPage << ":\n"
                                    << joined(undocumented);
  auto untested = missingFrom(documented, tested);
  EXPECT_TRUE(untested.empty()) << "rows of " << kPage << " without an example here:\n"
                                << joined(untested);
}

TEST(KubesimValidationDoc, EveryExampleGetsTheDocumentedAnswer) {
  static const std::regex statusText(R"(^(\d{3}) ([A-Za-z]+)(, ([A-Za-z]+))?$)");
  for (const auto& e : examples()) {
    SCOPED_TRACE(key(e.field, e.status, e.message));
    std::smatch m;
    ASSERT_TRUE(std::regex_match(e.status, m, statusText)) << "status must read like 422 Invalid";
    ApiServer server;
    ASSERT_EQ(server.handle(request("POST", kDeployments, kBase)).status, 201);
    Response r = e.run(server);
    EXPECT_EQ(r.status, std::stoi(m[1])) << r.body;
    Json s = Json::parse(r.body);
    EXPECT_EQ(s["reason"], m[2].str());
    if (m[4].matched) {
      bool found = false;
      for (const auto& c : s["details"]["causes"]) {
        found = found || (c["field"] == e.cause && c["reason"] == m[4].str() &&
                          c["message"].get<std::string>().ends_with(e.message));
      }
      EXPECT_TRUE(found) << "no cause " << m[4] << " on " << e.cause << " ending with \""
                         << e.message << "\" in " << s.dump(1);
    } else {
      EXPECT_TRUE(s["message"].get<std::string>().ends_with(e.message)) << s["message"];
    }
  }
}

}  // namespace
}  // namespace tro::docs
