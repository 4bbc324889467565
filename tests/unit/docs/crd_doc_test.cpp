// Every field of the CRDs' openAPIV3Schema (under spec and status; the TelemetryRollout's and
// the ClusterTelemetryRollout's) has a row in docs/reference/telemetryrollout.md, every row names
// a field of a schema, and each row's type and default agree with the schema. The cluster CRD's
// schema is the namespaced one plus exactly its own fields.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

constexpr const char* kCrd = "crds/telemetryrollouts.rollout.telemetry.io.yaml";
constexpr const char* kClusterCrd = "crds/clustertelemetryrollouts.rollout.telemetry.io.yaml";
constexpr const char* kPage = "docs/reference/telemetryrollout.md";

struct SchemaField {
  std::string type;          // "object", "array", "string", ...; "" when the schema gives none
  std::string defaultValue;  // scalar default as YAML text, "" when none
};

// Walks properties (and array items, written "[]") below `prefix`. Maps (additionalProperties)
// are leaves: their keys are user data, not fields.
void walk(const YAML::Node& schema, const std::string& prefix,
          std::map<std::string, SchemaField>& out) {
  if (!schema.IsMap()) return;
  if (auto props = schema["properties"]; props && props.IsMap()) {
    for (const auto& p : props) {
      std::string path = prefix + "." + p.first.as<std::string>();
      const YAML::Node& field = p.second;
      SchemaField f;
      if (field["type"]) f.type = field["type"].as<std::string>();
      if (field["default"] && field["default"].IsScalar())
        f.defaultValue = field["default"].as<std::string>();
      out[path] = f;
      walk(field, path, out);
    }
  }
  if (auto items = schema["items"]; items && items.IsMap()) walk(items, prefix + "[]", out);
}

struct Loaded {
  std::map<std::string, SchemaField> fields;
  std::string error;
};

Loaded schemaFields(const char* path = kCrd) {
  Loaded out;
  try {
    YAML::Node crd = YAML::LoadFile(sourcePath(path).string());
    for (const auto& version : crd["spec"]["versions"]) {
      const YAML::Node root = version["schema"]["openAPIV3Schema"]["properties"];
      for (const char* top : {"spec", "status"}) {
        if (root[top]) walk(root[top], top, out.fields);
      }
    }
  } catch (const YAML::Exception& e) {
    out.error = std::string("cannot read ") + path + ": " + e.what();
  }
  return out;
}

struct DocField {
  std::string type;
  std::string defaultCell;
  std::string line;
};

// Rows of the field tables (header "Field"): `path` | type | default | validation | meaning.
std::map<std::string, DocField> documentedFields(const std::string& page) {
  std::map<std::string, DocField> out;
  for (const auto& row : tableRows(page)) {
    if (row.header != "Field" || row.cells.size() < 3) continue;
    for (const auto& span : codeSpans(row.cells[0])) {
      out[span] = {row.cells[1], row.cells[2], row.line};
    }
  }
  return out;
}

std::set<std::string> keys(const auto& map) {
  std::set<std::string> out;
  for (const auto& [k, v] : map) out.insert(k);
  return out;
}

TEST(CrdDoc, ClusterSchemaIsTheNamespacedOnePlusItsOwnFields) {
  Loaded namespaced = schemaFields();
  Loaded cluster = schemaFields(kClusterCrd);
  ASSERT_TRUE(namespaced.error.empty()) << namespaced.error;
  ASSERT_TRUE(cluster.error.empty()) << cluster.error;
  std::map<std::string, SchemaField> extra;
  for (const auto& [path, field] : cluster.fields) {
    auto same = namespaced.fields.find(path);
    if (same == namespaced.fields.end()) {
      extra[path] = field;
    } else {
      EXPECT_EQ(field.type, same->second.type) << path;
      EXPECT_EQ(field.defaultValue, same->second.defaultValue) << path;
    }
  }
  EXPECT_TRUE(missingFrom(keys(namespaced.fields), keys(cluster.fields)).empty());
  EXPECT_EQ(keys(extra), (std::set<std::string>{
                             "spec.namespaceSelector", "spec.namespaceSelector.matchExpressions",
                             "spec.namespaceSelector.matchExpressions[].key",
                             "spec.namespaceSelector.matchExpressions[].operator",
                             "spec.namespaceSelector.matchExpressions[].values",
                             "spec.namespaceSelector.matchLabels", "status.targets[].namespace"}));
}

TEST(CrdDoc, SchemaFieldsAndReferenceAgree) {
  Loaded schema = schemaFields();
  ASSERT_TRUE(schema.error.empty()) << schema.error;
  Loaded cluster = schemaFields(kClusterCrd);
  ASSERT_TRUE(cluster.error.empty()) << cluster.error;
  schema.fields.insert(cluster.fields.begin(), cluster.fields.end());
  ASSERT_GT(schema.fields.size(), 40u) << "the schema walk found too few fields in " << kCrd;
  auto page = readFile(sourcePath(kPage));
  ASSERT_TRUE(page.ok()) << page.error().message;
  auto documented = documentedFields(*page);

  auto undocumented = missingFrom(keys(schema.fields), keys(documented));
  EXPECT_TRUE(undocumented.empty()) << "fields of " << kCrd << " missing from the field tables of "
                                    << kPage << ": " << joined(undocumented);
  auto unknown = missingFrom(keys(documented), keys(schema.fields));
  EXPECT_TRUE(unknown.empty()) << "fields documented in " << kPage << " but not in " << kCrd << ": "
                               << joined(unknown);

  for (const auto& [path, field] : schema.fields) {
    auto doc = documented.find(path);
    if (doc == documented.end()) continue;
    if (!field.type.empty()) {
      EXPECT_EQ(doc->second.type.rfind(field.type, 0), 0u)
          << kPage << ": type of `" << path << "` should start with \"" << field.type
          << "\" (the schema's type); row: " << doc->second.line;
    }
    if (!field.defaultValue.empty()) {
      EXPECT_NE(doc->second.defaultCell.find(field.defaultValue), std::string::npos)
          << kPage << ": default of `" << path << "` should show \"" << field.defaultValue
          << "\" (the schema's default); row: " << doc->second.line;
    }
  }
}

TEST(CrdDoc, WalkNamesArrayItemsAndSkipsMaps) {
  YAML::Node schema = YAML::Load(R"(
properties:
  steps:
    type: array
    items:
      type: object
      properties:
        pause: {type: object, properties: {duration: {type: string, default: 1m}}}
  matchLabels: {type: object, additionalProperties: {type: string}}
)");
  std::map<std::string, SchemaField> fields;
  walk(schema, "spec", fields);
  EXPECT_EQ(keys(fields),
            (std::set<std::string>{"spec.matchLabels", "spec.steps", "spec.steps[].pause",
                                   "spec.steps[].pause.duration"}));
  EXPECT_EQ(fields["spec.steps[].pause.duration"].defaultValue, "1m");
  EXPECT_EQ(fields["spec.steps"].type, "array");
}

}  // namespace
}  // namespace tro::docs
