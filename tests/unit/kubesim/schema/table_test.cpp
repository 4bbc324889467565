#include "kubesim/schema/table.h"

#include <gtest/gtest.h>

#include "kubesim/schema/crd.h"
#include "operator/base/rfc3339.h"

namespace kubesim::schema {
namespace {

using std::chrono::seconds;

std::chrono::system_clock::time_point at(const char* rfc3339) {
  return *tro::base::parseRfc3339(rfc3339);
}

const char* kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "http://kubernetes.io/docs/user-guide/identifiers#names";

KindInfo gadgetKind() {
  Json crd = Json::parse(
      R"({"metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"}, "versions": [{"name": "v1", "served": true, "storage": true, "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}, {"name": "Phase", "type": "string", "jsonPath": ".status.phase"}, {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}], "schema": {"openAPIV3Schema": {"type": "object"}}}]}})");
  return kindsFromCrd(crd).at(0);
}

TEST(Table, CustomColumnsMatchReference16) {
  const Json obj = Json::parse(R"({"apiVersion": "example.test/v1", "kind": "Gadget",
    "metadata": {"name": "g1", "namespace": "default", "uid": "0ccb", "resourceVersion": "53",
                 "generation": 2, "creationTimestamp": "2026-11-21T05:39:24Z", "labels": {"tier": "a"}},
    "spec": {"color": "blue", "size": 4}, "status": {"phase": "Ready"}})");
  const Json table =
      toTable(gadgetKind(), {obj}, {{"resourceVersion", "53"}}, at("2026-11-21T05:39:24Z"));
  const Json expected = Json::parse(R"({
 "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "53"},
 "columnDefinitions": [
  {"name": "Name", "type": "string", "format": "name", "description": "NAME_DESCRIPTION", "priority": 0},
  {"name": "Size", "type": "integer", "format": "", "description": "Custom resource definition column (in JSONPath format): .spec.size", "priority": 0},
  {"name": "Phase", "type": "string", "format": "", "description": "Custom resource definition column (in JSONPath format): .status.phase", "priority": 0},
  {"name": "Age", "type": "date", "format": "", "description": "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp", "priority": 0}],
 "rows": [{"cells": ["g1", 4, "Ready", "0s"],
   "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
     "metadata": {"name": "g1", "namespace": "default", "uid": "0ccb", "resourceVersion": "53",
                  "generation": 2, "creationTimestamp": "2026-11-21T05:39:24Z", "labels": {"tier": "a"}}}}]})");
  Json exp = expected;
  exp["columnDefinitions"][0]["description"] = kNameDescription;
  EXPECT_EQ(table, exp);
}

TEST(Table, MissingValuesAreNullAndObjectModes) {
  const Json obj =
      Json::parse(R"({"metadata": {"name": "g2", "creationTimestamp": "2026-11-21T05:00:00Z"}})");
  TableOptions none;
  none.includeObject = IncludeObject::None;
  const Json t = toTable(gadgetKind(), {obj}, Json::object(), at("2026-11-21T08:00:00Z"), none);
  EXPECT_EQ(t["rows"][0], Json::parse(R"({"cells": ["g2", null, null, "3h"]})"));
  TableOptions full;
  full.includeObject = IncludeObject::Object;
  EXPECT_EQ(toTable(gadgetKind(), {obj}, Json::object(), at("2026-11-21T08:00:00Z"),
                    full)["rows"][0]["object"],
            obj);
}

TEST(Table, CrdWithoutColumnsGetsAge) {
  KindInfo k = gadgetKind();
  k.printerColumns.clear();
  const Json t = toTable(k, {}, Json::object(), at("2026-11-21T08:00:00Z"));
  ASSERT_EQ(t["columnDefinitions"].size(), 2u);
  EXPECT_EQ(t["columnDefinitions"][1]["name"], "Age");
  EXPECT_EQ(t["columnDefinitions"][1]["type"], "date");
  EXPECT_EQ(t["rows"], Json::array());
}

TEST(Table, DeploymentMatchesReference33) {
  KindRegistry r;
  const Json obj = Json::parse(R"({"metadata": {"name": "web", "namespace": "default",
      "creationTimestamp": "2026-11-21T05:39:28Z"},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
      "template": {"spec": {"containers": [{"name": "app", "image": "example/app:1.0"}]}}},
    "status": {}})");
  const Json t = toTable(*r.byResource("apps", "v1", "deployments"), {obj},
                         {{"resourceVersion", "68"}}, at("2026-11-21T05:39:29Z"));
  std::vector<std::string> names;
  std::vector<int> priorities;
  for (const auto& c : t["columnDefinitions"]) {
    names.push_back(c["name"]);
    priorities.push_back(c["priority"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age",
                                             "Containers", "Images", "Selector"}));
  EXPECT_EQ(priorities, (std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(t["columnDefinitions"][4]["type"], "string");
  EXPECT_EQ(t["rows"][0]["cells"],
            Json::parse(R"(["web", "0/2", 0, 0, "1s", "app", "example/app:1.0", "app=web"])"));
}

TEST(Table, BuiltinColumnsPerKind) {
  KindRegistry r;
  const auto now = at("2026-11-21T06:00:00Z");
  struct Case {
    const char* group;
    const char* plural;
    const char* object;
    const char* cells;
  };
  const std::vector<Case> cases = {
      {"", "configmaps",
       R"({"metadata":{"name":"c","creationTimestamp":"2026-11-21T05:55:00Z"},"data":{"a":"1","b":"2"}})",
       R"(["c", 2, "5m"])"},
      {"", "namespaces",
       R"({"metadata":{"name":"n","creationTimestamp":"2026-11-19T06:00:00Z"},"status":{"phase":"Active"}})",
       R"(["n", "Active", "2d"])"},
      {"", "pods",
       R"({"metadata":{"name":"p","creationTimestamp":"2026-11-21T05:59:00Z"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},
         "status":{"phase":"Running","containerStatuses":[{"ready":true,"restartCount":2},{"ready":false,"restartCount":1}]}})",
       R"(["p", "1/2", "Running", "3", "60s", "<none>", "<none>", "<none>", "<none>"])"},
      {"coordination.k8s.io", "leases",
       R"({"metadata":{"name":"l","creationTimestamp":"2026-11-21T06:00:00Z"},"spec":{"holderIdentity":"op-1"}})",
       R"(["l", "op-1", "0s"])"},
      {"apiextensions.k8s.io", "customresourcedefinitions",
       R"({"metadata":{"name":"x.y.z","creationTimestamp":"2026-11-21T05:00:00Z"}})",
       R"(["x.y.z", "2026-11-21T05:00:00Z"])"},
      {"", "services",
       R"({"metadata":{"name":"s","creationTimestamp":"2026-11-21T06:00:00Z"},"spec":{"type":"ClusterIP","clusterIP":"10.0.0.1","ports":[{"port":80,"protocol":"TCP"}],"selector":{"app":"web"}}})",
       R"(["s", "ClusterIP", "10.0.0.1", "<none>", "80/TCP", "0s", "app=web"])"},
      {"", "events",
       R"({"metadata":{"name":"e"},"involvedObject":{"kind":"Deployment","name":"web"},"reason":"R","message":"m","type":"Normal",
         "source":{"component":"op"},"firstTimestamp":"2026-11-21T05:00:00Z","lastTimestamp":"2026-11-21T05:50:00Z","count":3})",
       R"(["10m", "Normal", "R", "deployment/web", "", "op", "m", "60m", 3, "e"])"},
  };
  for (const auto& c : cases) {
    const KindInfo* k = r.byResource(c.group, "v1", c.plural);
    ASSERT_NE(k, nullptr);
    const Json t = toTable(*k, {Json::parse(c.object)}, Json::object(), now);
    EXPECT_EQ(t["rows"][0]["cells"], Json::parse(c.cells)) << c.plural;
    EXPECT_EQ(t["columnDefinitions"].size(), t["rows"][0]["cells"].size()) << c.plural;
  }
}

TEST(HumanDuration, MatchesKubectl) {
  const std::vector<std::pair<long, std::string>> cases = {{-5, "<invalid>"},
                                                           {-1, "0s"},
                                                           {0, "0s"},
                                                           {45, "45s"},
                                                           {119, "119s"},
                                                           {120, "2m"},
                                                           {310, "5m10s"},
                                                           {600, "10m"},
                                                           {3 * 3600 - 1, "179m"},
                                                           {3 * 3600, "3h"},
                                                           {3 * 3600 + 1800, "3h30m"},
                                                           {8 * 3600, "8h"},
                                                           {47 * 3600, "47h"},
                                                           {48 * 3600, "2d"},
                                                           {50 * 3600, "2d2h"},
                                                           {8 * 86400, "8d"},
                                                           {800 * 86400, "2y70d"},
                                                           {730 * 86400, "2y"},
                                                           {3000 * 86400, "8y"}};
  for (const auto& [s, want] : cases) EXPECT_EQ(humanDuration(seconds(s)), want) << s;
}

TEST(JsonPath, Subset) {
  const Json obj = Json::parse(R"({"spec":{"size":4,"list":[{"n":"a"},{"n":"b"}]},
    "status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Ready","status":"False"}]},
    "metadata":{"labels":{"app.kubernetes.io/name":"x"}}})");
  struct Case {
    const char* path;
    std::optional<Json> want;
  };
  const std::vector<Case> cases = {
      {".spec.size", Json(4)},
      {"{.spec.size}", Json(4)},
      {".spec.list[1].n", Json("b")},
      {".spec.list[-1].n", Json("b")},
      {".spec.list[*].n", Json::parse(R"(["a","b"])")},
      {R"(.status.conditions[?(@.type=="Ready")].status)", Json("False")},
      {".status.conditions[?(@.type=='Progressing')].status", Json("True")},
      {".metadata.labels['app.kubernetes.io/name']", Json("x")},
      {".metadata.labels.app\\.kubernetes\\.io/name", Json("x")},
      {".spec.missing", std::nullopt},
      {".spec.list[5]", std::nullopt},
      {".spec.list[x]", std::nullopt},
      {".spec.list[0", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(evalJsonPath(obj, c.path), c.want) << c.path;
}

}  // namespace
}  // namespace kubesim::schema

namespace kubesim::schema {
namespace {

TEST(Table, ArbitraryObjectsNeverThrow) {
  KindRegistry r;
  Json crd = Json::parse(
      R"({"metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "kind": "Gadget"}, "versions": [{"name": "v1", "served": true, "storage": true, "additionalPrinterColumns": [{"name": "I", "type": "integer", "jsonPath": ".spec.n"}, {"name": "D", "type": "date", "jsonPath": ".spec.n"}, {"name": "B", "type": "boolean", "jsonPath": ".spec"}, {"name": "S", "type": "string", "jsonPath": ".spec"}, {"name": "X", "type": "string", "jsonPath": "bad[[path"}], "schema": {"openAPIV3Schema": {"type": "object"}}}]}})");
  r.addCustom(kindsFromCrd(crd));
  const std::vector<Json> objects = {
      nullptr, 3, Json::array(),
      Json::parse(R"({"metadata": {"name": 1, "creationTimestamp": "garbage"}, "spec": {"n": 1e300,
        "replicas": -1e300, "ports": [1, {"port": "x"}], "selector": [1], "type": 3,
        "template": {"spec": {"containers": [1, {"name": 2}]}}}, "status": {"containerStatuses": [1],
        "readyReplicas": "x"}, "data": 1, "involvedObject": []})")};
  for (const KindInfo* k : r.all()) {
    EXPECT_NO_THROW({
      const Json t = toTable(*k, objects, Json::object(), std::chrono::system_clock::now());
      EXPECT_EQ(t["rows"].size(), objects.size());
    }) << k->plural;
  }
}

}  // namespace
}  // namespace kubesim::schema
