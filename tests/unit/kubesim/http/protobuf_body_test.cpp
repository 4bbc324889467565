#include "kubesim/http/protobuf_body.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

// Bodies recorded from kubectl 1.32 (`-v=8` hex dumps).
std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(static_cast<char>(c));
  return out;
}

// kubectl create namespace y
const std::string kNamespace =
    bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, 0x4e,
           0x61, 0x6d, 0x65, 0x73, 0x70, 0x61, 0x63, 0x65, 0x12, 0x19, 0x0a, 0x11, 0x0a,
           0x01, 0x79, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38,
           0x00, 0x42, 0x00, 0x12, 0x00, 0x1a, 0x02, 0x0a, 0x00, 0x1a, 0x00, 0x22, 0x00});

// kubectl create configmap c1 --from-literal=a=1 --from-literal=b=2
const std::string kConfigMap = bytes(
    {0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, 0x43, 0x6f, 0x6e, 0x66,
     0x69, 0x67, 0x4d, 0x61, 0x70, 0x12, 0x24, 0x0a, 0x12, 0x0a, 0x02, 0x63, 0x31, 0x12, 0x00, 0x1a,
     0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x06, 0x0a, 0x01, 0x61,
     0x12, 0x01, 0x31, 0x12, 0x06, 0x0a, 0x01, 0x62, 0x12, 0x01, 0x32, 0x1a, 0x00, 0x22, 0x00});

TEST(ProtobufBody, NamespaceFromKubectlCreate) {
  auto j = protobufBodyToJson(kNamespace);
  ASSERT_TRUE(j.ok()) << j.error();
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"y"},
                                 "spec":{}})"));
}

TEST(ProtobufBody, ConfigMapFromKubectlCreate) {
  auto j = protobufBodyToJson(kConfigMap);
  ASSERT_TRUE(j.ok()) << j.error();
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},
                                 "data":{"a":"1","b":"2"}})"));
}

TEST(ProtobufBody, RejectsWhatItCannotRead) {
  const std::pair<std::string, std::string> cases[] = {
      {"{}", "envelope"},
      {kNamespace.substr(0, kNamespace.size() - 10), "malformed"},  // truncated
      {bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0e, 0x0a, 0x07, 0x61, 0x70,
              0x70, 0x73, 0x2f, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64}),
       "unsupported protobuf kind \"apps/v1/Pod\""},
      // The envelope alone: used to throw reading a typeMeta that was never there.
      {std::string("k8s\0", 4), "without typeMeta"},
      {bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff}), "malformed"},
  };
  for (const auto& [body, why] : cases) {
    auto j = protobufBodyToJson(body);
    ASSERT_FALSE(j.ok());
    EXPECT_NE(j.error().find(why), std::string::npos) << j.error();
  }
}

// Go's JSON encoder writes invalid UTF-8 in a string as U+FFFD; the transcoded body used to be
// unserialisable (nlohmann's dump throws on it) and took the request thread down.
TEST(ProtobufBody, InvalidUtf8InAStringBecomesTheReplacementCharacter) {
  const std::string body = bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31,
                                  0x12, 0x09, 0x43, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x4d, 0x61,
                                  0x70, 0x12, 0x06, 0x0a, 0x04, 0x0a, 0x02, 0x63, 0xff});
  auto j = protobufBodyToJson(body);
  ASSERT_TRUE(j.ok()) << j.error();
  EXPECT_EQ((*j)["metadata"]["name"], "c\xEF\xBF\xBD");
  api::Request r;
  r.method = "POST";
  r.headers["content-type"] = "application/vnd.kubernetes.protobuf";
  r.body = body;
  EXPECT_EQ(transcodeProtobufRequest(r), std::nullopt);
  EXPECT_EQ(Json::parse(r.body)["metadata"]["name"], "c\xEF\xBF\xBD");
}

TEST(ProtobufBody, TranscodeRequestRewritesBodyAndContentType) {
  api::Request r;
  r.method = "POST";
  r.headers["content-type"] = "application/vnd.kubernetes.protobuf";
  r.body = kConfigMap;
  EXPECT_EQ(transcodeProtobufRequest(r), std::nullopt);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(Json::parse(r.body)["data"]["b"], "2");

  api::Request json;
  json.headers["content-type"] = "application/json";
  json.body = "{}";
  EXPECT_EQ(transcodeProtobufRequest(json), std::nullopt);
  EXPECT_EQ(json.body, "{}");

  api::Request bad;
  bad.headers["content-type"] = "application/vnd.kubernetes.protobuf";
  bad.body = "nonsense";
  EXPECT_TRUE(transcodeProtobufRequest(bad).has_value());
  EXPECT_EQ(bad.body, "nonsense");
  EXPECT_EQ(bad.headers["content-type"], "application/vnd.kubernetes.protobuf");
}

}  // namespace
}  // namespace kubesim::http
