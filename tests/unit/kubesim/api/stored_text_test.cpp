#include "kubesim/api/stored_text.h"

#include <gtest/gtest.h>

#include <limits>

#include "kubesim/patch/json_text.h"
#include "kubesim/patch/managed_fields.h"

namespace kubesim::api {
namespace {

// What a response carried before: a rendered copy (served apiVersion and kind, fieldsV1
// unpacked), dumped.
std::string rendered(const Json& stored, const std::string& apiVersion, const std::string& kind) {
  Json out = stored;
  patch::unpackManagedFields(out);
  out["apiVersion"] = apiVersion;
  out["kind"] = kind;
  return patch::compactJson(out);
}

std::string direct(const Json& stored, const std::string& apiVersion, const std::string& kind) {
  std::string out;
  appendStoredText(out, stored, apiVersion, kind);
  return out;
}

Json packed(Json object) {
  patch::packManagedFields(object);
  return object;
}

TEST(StoredText, SameBytesAsDumpingARenderedCopy) {
  const Json managed = Json::parse(R"([
      {"manager": "kubectl", "operation": "Update", "apiVersion": "apps/v1",
       "time": "2026-12-03T10:00:00Z", "fieldsType": "FieldsV1",
       "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                    "f:spec": {"f:replicas": {}}}},
      {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status",
       "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:replicas": {}}}}])");
  const Json cases[] = {
      // A Deployment as stored: apiVersion and kind present, managedFields packed.
      packed(Json{{"apiVersion", "apps/v1"},
                  {"kind", "Deployment"},
                  {"metadata",
                   {{"name", "web"},
                    {"namespace", "default"},
                    {"labels", {{"app", "web"}}},
                    {"managedFields", managed},
                    {"resourceVersion", "1042"}}},
                  {"spec", {{"replicas", 3}, {"paused", false}, {"ratio", 0.25}}},
                  {"status", {{"conditions", Json::array({{{"type", "Available"}}})}}}}),
      // Served under another version; keys sorting before, between and after apiVersion/kind.
      Json{{"aaa", 1},
           {"apiVersion", "v0"},
           {"b", nullptr},
           {"kind", "Old"},
           {"metadata", {{"name", "x"}}},
           {"zzz", {-7, 1.5e300, "t\u00e9xt", "tab\tquote\"\\"}}},
      // No apiVersion or kind stored at all, no metadata.
      Json{{"data", {{"k", "v"}}}},
      Json{{"zz", Json::object()}},
      Json::object(),
      // managedFields that are not what kubesim stores: written as they are.
      Json{{"metadata", {{"managedFields", "odd"}}}},
      Json{{"metadata", {{"managedFields", {7, {{"fieldsV1", {1, 2}}}}}}}},
      // Escapes, control characters, unsigned and extreme integers, keys that need escaping.
      Json{{"s", "a\nb\u0001c\u001fd\u007f\u00e9\"\\"},
           {"n",
            {0, -1, std::numeric_limits<std::int64_t>::min(),
             std::numeric_limits<std::uint64_t>::max(), 1e-7, -0.0, true, false}},
           {"k\"ey\u0002", {{"\u00e9", nullptr}}}},
      // A string that is not UTF-8 is written with U+FFFD either way.
      Json{{"metadata", {{"annotations", {{"a", std::string("\xff\xfe", 2)}}}}}},
  };
  for (const Json& stored : cases) {
    SCOPED_TRACE(stored.dump(-1, ' ', false, Json::error_handler_t::replace));
    EXPECT_EQ(direct(stored, "apps/v1", "Deployment"), rendered(stored, "apps/v1", "Deployment"));
  }
}

TEST(StoredText, AppendsToWhatIsAlreadyThere) {
  std::string out = "[";
  appendStoredText(out, Json{{"a", 1}}, "v1", "ConfigMap");
  EXPECT_EQ(out, R"([{"a":1,"apiVersion":"v1","kind":"ConfigMap"})");
}

}  // namespace
}  // namespace kubesim::api
