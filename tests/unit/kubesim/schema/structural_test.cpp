#include "kubesim/schema/structural.h"

#include <gtest/gtest.h>

#include "kubesim/schema/go_format.h"

namespace kubesim::schema {
namespace {

// The Gadget schema of reference §4.
Json gadgetSchema() {
  return Json::parse(R"({"type": "object", "properties": {
    "spec": {"type": "object", "required": ["size"], "properties": {
      "size": {"type": "integer", "minimum": 0},
      "color": {"type": "string", "default": "blue", "enum": ["blue", "red"]}}},
    "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}})");
}

TEST(StructuralValidate, ReproducesReference10Exactly) {
  const Json obj = Json::parse(R"({"apiVersion": "example.test/v1", "kind": "Gadget",
    "metadata": {"name": "g2", "namespace": "default"}, "spec": {"size": -1, "color": "pink"}})");
  auto causes = validate(obj, gadgetSchema());
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0], (Cause{"FieldValueNotSupported",
                              "Unsupported value: \"pink\": supported values: \"blue\", \"red\"",
                              "spec.color"}));
  EXPECT_EQ(causes[1],
            (Cause{"FieldValueInvalid",
                   "Invalid value: 0: spec.size in body should be greater than or equal to 0",
                   "spec.size"}));
  const Json status = invalidError("Gadget", "example.test", "g2", causes).toStatus();
  const Json expected = Json::parse(R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Gadget.example.test \"g2\" is invalid: [spec.color: Unsupported value: \"pink\": supported values: \"blue\", \"red\", spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 0]",
 "reason": "Invalid",
 "details": {"name": "g2", "group": "example.test", "kind": "Gadget", "causes": [
   {"reason": "FieldValueNotSupported", "message": "Unsupported value: \"pink\": supported values: \"blue\", \"red\"", "field": "spec.color"},
   {"reason": "FieldValueInvalid", "message": "Invalid value: 0: spec.size in body should be greater than or equal to 0", "field": "spec.size"}]},
 "code": 422})");
  EXPECT_EQ(status, expected);
}

TEST(StructuralValidate, SingleCauseMessageHasNoBrackets) {
  const ApiError e =
      invalidError("ConfigMap", "", "x", {Cause{"FieldValueRequired", "Required value", "data"}});
  EXPECT_EQ(e.message, "ConfigMap \"x\" is invalid: data: Required value");
  EXPECT_EQ(e.detailsGroup, "");
  EXPECT_EQ(e.code, 422);
}

struct ValidateCase {
  const char* name;
  const char* schema;
  const char* value;
  std::vector<Cause> expected;
};

class ValidateTable : public ::testing::TestWithParam<ValidateCase> {};

TEST_P(ValidateTable, Causes) {
  const auto& c = GetParam();
  EXPECT_EQ(validate(Json::parse(c.value), Json::parse(c.schema)), c.expected) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidateTable,
    ::testing::Values(
        ValidateCase{"valid",
                     R"({"type":"object","properties":{"a":{"type":"integer"}}})",
                     R"({"a":3})",
                     {}},
        ValidateCase{
            "type mismatch",
            R"({"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}})",
            R"({"spec":{"size":"string"}})",
            {{"FieldValueInvalid",
              "Invalid value: \"string\": spec.size in body must be of type integer: "
              "\"string\"",
              "spec.size"}}},
        ValidateCase{
            "float is not integer",
            R"({"type":"object","properties":{"a":{"type":"integer"}}})",
            R"({"a":1.5})",
            {{"FieldValueInvalid",
              "Invalid value: \"number\": a in body must be of type integer: \"number\"", "a"}}},
        ValidateCase{"integer is a number",
                     R"({"type":"object","properties":{"a":{"type":"number"}}})",
                     R"({"a":2})",
                     {}},
        ValidateCase{
            "required",
            R"({"type":"object","properties":{"spec":{"type":"object","required":["size"]}}})",
            R"({"spec":{}})",
            {{"FieldValueRequired", "Required value", "spec.size"}}},
        ValidateCase{"maximum",
                     R"({"type":"object","properties":{"n":{"type":"number","maximum":2.5}}})",
                     R"({"n":3})",
                     {{"FieldValueInvalid",
                       "Invalid value: 2.5: n in body should be less than or equal to 2.5", "n"}}},
        ValidateCase{
            "exclusive minimum",
            R"({"type":"object","properties":{"n":{"type":"integer","minimum":1,"exclusiveMinimum":true}}})",
            R"({"n":1})",
            {{"FieldValueInvalid", "Invalid value: 1: n in body should be greater than 1", "n"}}},
        ValidateCase{
            "pattern",
            R"({"type":"object","properties":{"s":{"type":"string","pattern":"^[a-z]+$"}}})",
            R"({"s":"A1"})",
            {{"FieldValueInvalid", "Invalid value: \"A1\": s in body should match '^[a-z]+$'",
              "s"}}},
        ValidateCase{"maxLength",
                     R"({"type":"object","properties":{"s":{"type":"string","maxLength":2}}})",
                     R"({"s":"abc"})",
                     {{"FieldValueInvalid",
                       "Invalid value: 2: s in body should be at most 2 chars long", "s"}}},
        ValidateCase{"minLength counts runes",
                     R"({"type":"object","properties":{"s":{"type":"string","minLength":2}}})",
                     R"({"s":"é"})",
                     {{"FieldValueInvalid",
                       "Invalid value: 2: s in body should be at least 2 chars long", "s"}}},
        ValidateCase{
            "minItems and nested item path",
            R"({"type":"object","properties":{"l":{"type":"array","minItems":3,"items":{"type":"integer","maximum":5}}}})",
            R"({"l":[1,9]})",
            {{"FieldValueInvalid", "Invalid value: 3: l in body should have at least 3 items", "l"},
             {"FieldValueInvalid",
              "Invalid value: 5: l[1] in body should be less than or equal to 5", "l[1]"}}},
        ValidateCase{
            "list-type set: each item once",
            R"({"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}})",
            R"({"l":["a","b","a","b","c"]})",
            {{"FieldValueDuplicate", "Duplicate value: \"a\"", "l[2]"},
             {"FieldValueDuplicate", "Duplicate value: \"b\"", "l[3]"}}},
        ValidateCase{"maxItems",
                     R"({"type":"object","properties":{"l":{"type":"array","maxItems":1}}})",
                     R"({"l":[1,2]})",
                     {{"FieldValueInvalid",
                       "Invalid value: 1: l in body should have at most 1 items", "l"}}},
        ValidateCase{
            "maxProperties and minProperties",
            R"({"type":"object","properties":{"m":{"type":"object","maxProperties":1,"additionalProperties":{"type":"string"}},"e":{"type":"object","minProperties":1}}})",
            R"({"m":{"a":"1","b":"2"},"e":{}})",
            {{"FieldValueInvalid", "Invalid value: 1: e in body should have at least 1 properties",
              "e"},
             {"FieldValueInvalid", "Invalid value: 1: m in body should have at most 1 properties",
              "m"}}},
        ValidateCase{
            "int-or-string accepts both",
            R"({"type":"object","properties":{"a":{"x-kubernetes-int-or-string":true},"b":{"x-kubernetes-int-or-string":true}}})",
            R"({"a":1,"b":"25%"})",
            {}},
        ValidateCase{"nullable",
                     R"({"type":"object","properties":{"a":{"type":"string","nullable":true}}})",
                     R"({"a":null})",
                     {}},
        ValidateCase{
            "null not nullable",
            R"({"type":"object","properties":{"a":{"type":"string"}}})",
            R"({"a":null})",
            {{"FieldValueInvalid",
              "Invalid value: \"null\": a in body must be of type string: \"null\"", "a"}}},
        ValidateCase{
            "map values",
            R"({"type":"object","properties":{"m":{"type":"object","additionalProperties":{"type":"string"}}}})",
            R"({"m":{"k":1}})",
            {{"FieldValueInvalid",
              "Invalid value: \"integer\": m.k in body must be of type string: \"integer\"",
              "m.k"}}},
        ValidateCase{"integer enum",
                     R"({"type":"object","properties":{"n":{"type":"integer","enum":[1,2]}}})",
                     R"({"n":3})",
                     {{"FieldValueNotSupported",
                       "Unsupported value: 3: supported values: \"1\", \"2\"", "n"}}},
        ValidateCase{"bad pattern never rejects",
                     R"({"type":"object","properties":{"s":{"type":"string","pattern":"(["}}})",
                     R"({"s":"x"})",
                     {}}));

TEST(StructuralDefaults, FillsMissingRecursively) {
  Json obj = Json::parse(R"({"spec": {"size": 3}})");
  applyDefaults(obj, gadgetSchema());
  EXPECT_EQ(obj, Json::parse(R"({"spec": {"size": 3, "color": "blue"}})"));
  Json keep = Json::parse(R"({"spec": {"size": 3, "color": "red"}})");
  applyDefaults(keep, gadgetSchema());
  EXPECT_EQ(keep["spec"]["color"], "red");
}

TEST(StructuralDefaults, DefaultsInsideArraysAndMapsAndNestedDefaults) {
  const Json schema = Json::parse(R"({"type":"object","properties":{
    "list":{"type":"array","items":{"type":"object","properties":{"p":{"type":"integer","default":80}}}},
    "map":{"type":"object","additionalProperties":{"type":"object","properties":{"on":{"type":"boolean","default":true}}}},
    "outer":{"type":"object","default":{},"properties":{"inner":{"type":"string","default":"x"}}}}})");
  Json obj = Json::parse(R"({"list":[{},{"p":1}],"map":{"a":{}}})");
  applyDefaults(obj, schema);
  EXPECT_EQ(
      obj,
      Json::parse(R"({"list":[{"p":80},{"p":1}],"map":{"a":{"on":true}},"outer":{"inner":"x"}})"));
}

TEST(StructuralUnknown, ReportsPathsAndSkipsRootMeta) {
  const Json obj =
      Json::parse(R"({"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"x"},
    "spec":{"size":1,"x":1,"nested":{"deep":2}},"extra":true})");
  EXPECT_EQ(unknownFields(obj, gadgetSchema()),
            (std::vector<std::string>{"extra", "spec.nested", "spec.x"}));
}

TEST(StructuralUnknown, PreserveUnknownFieldsAndArraysAndMaps) {
  const Json schema = Json::parse(R"({"type":"object","properties":{
    "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
    "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
    "labels":{"type":"object","additionalProperties":{"type":"string"}}}})");
  const Json obj =
      Json::parse(R"({"free":{"anything":{"goes":1}},"items":[{"name":"a"},{"name":"b","bogus":1}],
    "labels":{"any":"key"}})");
  EXPECT_EQ(unknownFields(obj, schema), (std::vector<std::string>{"items[1].bogus"}));
}

TEST(StructuralPrune, DropsUnknownKeepsKnown) {
  Json obj = Json::parse(
      R"({"apiVersion":"v","kind":"K","metadata":{"name":"x"},"spec":{"size":1,"x":1},"extra":1})");
  prune(obj, gadgetSchema());
  EXPECT_EQ(obj, Json::parse(
                     R"({"apiVersion":"v","kind":"K","metadata":{"name":"x"},"spec":{"size":1}})"));
}

TEST(StructuralPrune, DropsNullsOfNonNullableFieldsSoDefaultsApply) {
  const Json schema = Json::parse(R"({"type":"object","properties":{
    "a":{"type":"string","default":"x"},"b":{"type":"string","nullable":true},
    "free":{"x-kubernetes-preserve-unknown-fields":true},
    "m":{"type":"object","additionalProperties":{"type":"integer"}}}})");
  Json obj = Json::parse(R"({"a":null,"b":null,"free":null,"m":{"k":null,"j":1}})");
  prune(obj, schema);
  EXPECT_EQ(obj, Json::parse(R"({"b":null,"free":null,"m":{"j":1}})"));
  applyDefaults(obj, schema);
  EXPECT_EQ(obj["a"], "x");
  EXPECT_TRUE(validate(obj, schema).empty());
}

TEST(StructuralValidate, SameFieldErrorsInGoOpenApiOrder) {
  const Json schema = Json::parse(
      R"({"type":"object","properties":{"s":{"type":"string","maxLength":1,"enum":["a"]}}})");
  const auto causes = validate(Json::parse(R"({"s":"bb"})"), schema);
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0].reason, "FieldValueInvalid");
  EXPECT_EQ(causes[1].reason, "FieldValueNotSupported");
}

TEST(StructuralErrors, StrictDecodingMessage) {
  const ApiError e = strictDecodingError({"spec.x", "spec.y"});
  EXPECT_EQ(e.code, 400);
  EXPECT_EQ(e.reason, "BadRequest");
  EXPECT_EQ(e.message, "strict decoding error: unknown field \"spec.x\", unknown field \"spec.y\"");
}

TEST(GoFormat, FloatsAsGoPrintsThem) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0, "0"},           {1, "1"},       {2.5, "2.5"},
      {100000, "100000"}, {1e6, "1e+06"}, {0.0001, "0.0001"},
      {0.00001, "1e-05"}, {-3, "-3"},     {1234567, "1.234567e+06"}};
  for (const auto& [v, s] : cases) EXPECT_EQ(detail::goFloat(v), s) << v;
  EXPECT_EQ(detail::goQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

}  // namespace
}  // namespace kubesim::schema
