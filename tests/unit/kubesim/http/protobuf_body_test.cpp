#include "kubesim/http/protobuf_body.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <random>
#include <string_view>

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

// kubectl auth can-i create deployments -n default
const std::string kAccessReview = bytes(
    {0x6b, 0x38, 0x73, 0x00, 0x0a, 0x32, 0x0a, 0x17, 0x61, 0x75, 0x74, 0x68, 0x6f, 0x72, 0x69, 0x7a,
     0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6b, 0x38, 0x73, 0x2e, 0x69, 0x6f, 0x2f, 0x76, 0x31, 0x12,
     0x17, 0x53, 0x65, 0x6c, 0x66, 0x53, 0x75, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x41, 0x63, 0x63, 0x65,
     0x73, 0x73, 0x52, 0x65, 0x76, 0x69, 0x65, 0x77, 0x12, 0x4a, 0x0a, 0x10, 0x0a, 0x00, 0x12, 0x00,
     0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x2c, 0x0a, 0x2a,
     0x0a, 0x07, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x12, 0x06, 0x63, 0x72, 0x65, 0x61, 0x74,
     0x65, 0x1a, 0x04, 0x61, 0x70, 0x70, 0x73, 0x22, 0x00, 0x2a, 0x0b, 0x64, 0x65, 0x70, 0x6c, 0x6f,
     0x79, 0x6d, 0x65, 0x6e, 0x74, 0x73, 0x32, 0x00, 0x3a, 0x00, 0x1a, 0x08, 0x08, 0x00, 0x12, 0x00,
     0x1a, 0x00, 0x20, 0x00, 0x1a, 0x00, 0x22, 0x00});

// kubectl create rolebinding rb2 --role=reader --serviceaccount=default:robot --user=alice
const std::string kRoleBinding = bytes(
    {0x6b, 0x38, 0x73, 0x00, 0x0a, 0x2b, 0x0a, 0x1c, 0x72, 0x62, 0x61, 0x63, 0x2e, 0x61, 0x75, 0x74,
     0x68, 0x6f, 0x72, 0x69, 0x7a, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6b, 0x38, 0x73, 0x2e, 0x69,
     0x6f, 0x2f, 0x76, 0x31, 0x12, 0x0b, 0x52, 0x6f, 0x6c, 0x65, 0x42, 0x69, 0x6e, 0x64, 0x69, 0x6e,
     0x67, 0x12, 0x90, 0x01, 0x0a, 0x13, 0x0a, 0x03, 0x72, 0x62, 0x32, 0x12, 0x00, 0x1a, 0x00, 0x22,
     0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x2a, 0x0a, 0x04, 0x55, 0x73, 0x65,
     0x72, 0x12, 0x19, 0x72, 0x62, 0x61, 0x63, 0x2e, 0x61, 0x75, 0x74, 0x68, 0x6f, 0x72, 0x69, 0x7a,
     0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6b, 0x38, 0x73, 0x2e, 0x69, 0x6f, 0x1a, 0x05, 0x61, 0x6c,
     0x69, 0x63, 0x65, 0x22, 0x00, 0x12, 0x22, 0x0a, 0x0e, 0x53, 0x65, 0x72, 0x76, 0x69, 0x63, 0x65,
     0x41, 0x63, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x12, 0x00, 0x1a, 0x05, 0x72, 0x6f, 0x62, 0x6f, 0x74,
     0x22, 0x07, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x1a, 0x29, 0x0a, 0x19, 0x72, 0x62, 0x61,
     0x63, 0x2e, 0x61, 0x75, 0x74, 0x68, 0x6f, 0x72, 0x69, 0x7a, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e,
     0x6b, 0x38, 0x73, 0x2e, 0x69, 0x6f, 0x12, 0x04, 0x52, 0x6f, 0x6c, 0x65, 0x1a, 0x06, 0x72, 0x65,
     0x61, 0x64, 0x65, 0x72, 0x1a, 0x00, 0x22, 0x00});

// kubectl create clusterrole agg --aggregation-rule=team=ops
const std::string kClusterRole = bytes(
    {0x6b, 0x38, 0x73, 0x00, 0x0a, 0x2b, 0x0a, 0x1c, 0x72, 0x62, 0x61, 0x63, 0x2e, 0x61, 0x75, 0x74,
     0x68, 0x6f, 0x72, 0x69, 0x7a, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2e, 0x6b, 0x38, 0x73, 0x2e, 0x69,
     0x6f, 0x2f, 0x76, 0x31, 0x12, 0x0b, 0x43, 0x6c, 0x75, 0x73, 0x74, 0x65, 0x72, 0x52, 0x6f, 0x6c,
     0x65, 0x12, 0x26, 0x0a, 0x13, 0x0a, 0x03, 0x61, 0x67, 0x67, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00,
     0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x1a, 0x0f, 0x0a, 0x0d, 0x0a, 0x0b, 0x0a, 0x04,
     0x74, 0x65, 0x61, 0x6d, 0x12, 0x03, 0x6f, 0x70, 0x73, 0x1a, 0x00, 0x22, 0x00});

// kubectl create serviceaccount sa2
const std::string kServiceAccount =
    bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0x14, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x0e, 0x53, 0x65,
           0x72, 0x76, 0x69, 0x63, 0x65, 0x41, 0x63, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x12, 0x15,
           0x0a, 0x13, 0x0a, 0x03, 0x73, 0x61, 0x32, 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a,
           0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x1a, 0x00, 0x22, 0x00});

// Hex as kubectl -v=9 dumps it (-v=8 cuts long bodies short).
std::string fromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=8080
const std::string kDeployment = fromHex(
    "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412be010a1f0a0377656212001a0022002a"
    "003200380042005a0a0a036170701203776562128c010803120c0a0a0a0361707012037765621a720a1c0a00"
    "12001a0022002a003200380042005a0a0a036170701203776562125212340a056e67696e78120a6e67696e78"
    "3a312e32372a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a0032004200"
    "4a0052005800600068008201008a01009a0100c2010022020a00280038001a0c080010001800200028003800"
    "1a002200");

// kubectl create service nodeport np2 --tcp=80:8080 --node-port=30080
const std::string kNodePortService = fromHex(
    "6b3873000a0d0a027631120753657276696365126a0a1f0a036e703212001a0022002a003200380042005a0a"
    "0a0361707012036e703212430a1d0a0738302d38303830120354435018502207080010903f1a002880eb0112"
    "0a0a0361707012036e70321a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200");

// kubectl create token robot --duration=1h
const std::string kTokenRequest = fromHex(
    "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565"
    "7374121d0a100a0012001a0022002a00320038004200120320901c1a040a0012001a002200");

// kubectl auth can-i --list -n default
const std::string kRulesReview = fromHex(
    "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a656374"
    "52756c657352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04"
    "180022001a002200");

TEST(ProtobufBody, NamespaceFromKubectlCreate) {
  auto j = protobufBodyToJson(kNamespace);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(
      *j,
      Json::parse(
          R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"y","creationTimestamp":null},
                                 "spec":{}})"));
}

TEST(ProtobufBody, ConfigMapFromKubectlCreate) {
  auto j = protobufBodyToJson(kConfigMap);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(
      *j,
      Json::parse(
          R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1","creationTimestamp":null},
                                 "data":{"a":"1","b":"2"}})"));
}

TEST(ProtobufBody, SelfSubjectAccessReviewFromKubectlAuthCanI) {
  auto j = protobufBodyToJson(kAccessReview);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion":"authorization.k8s.io/v1",
    "kind":"SelfSubjectAccessReview","metadata":{"creationTimestamp":null},
    "spec":{"resourceAttributes":{"namespace":"default","verb":"create","group":"apps",
                                  "resource":"deployments"}},
    "status":{"allowed":false}})"));
}

TEST(ProtobufBody, RbacObjectsAndServiceAccountsFromKubectlCreate) {
  auto rb = protobufBodyToJson(kRoleBinding);
  ASSERT_TRUE(rb.ok()) << rb.error().message;
  EXPECT_EQ(*rb, Json::parse(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
    "metadata":{"name":"rb2","creationTimestamp":null},
    "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},
                {"kind":"ServiceAccount","name":"robot","namespace":"default"}],
    "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}})"));
  auto cr = protobufBodyToJson(kClusterRole);
  ASSERT_TRUE(cr.ok()) << cr.error().message;
  EXPECT_EQ(*cr, Json::parse(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
    "metadata":{"name":"agg","creationTimestamp":null},
    "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"team":"ops"}}]}})"));
  auto sa = protobufBodyToJson(kServiceAccount);
  ASSERT_TRUE(sa.ok()) << sa.error().message;
  EXPECT_EQ(*sa, Json::parse(R"({"apiVersion":"v1","kind":"ServiceAccount",
    "metadata":{"name":"sa2","creationTimestamp":null}})"));
}

// The expectation is kubectl's own JSON of the same object (--dry-run=client -o json): a pod
// template's zero scalars dropped, its empty structs kept, IntOrString and int32 read right.
TEST(ProtobufBody, DeploymentFromKubectlCreateIsWhatKubectlWouldSendAsJson) {
  auto j = protobufBodyToJson(kDeployment);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web",
    "creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{
    "matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{
    "app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{
    "containerPort":8080}],"resources":{}}]}},"strategy":{}},"status":{}})"));
}

TEST(ProtobufBody, ServiceFromKubectlCreateIsWhatKubectlWouldSendAsJson) {
  auto j = protobufBodyToJson(kNodePortService);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"kind":"Service","apiVersion":"v1","metadata":{"name":"np2",
    "creationTimestamp":null,"labels":{"app":"np2"}},"spec":{"ports":[{"name":"80-8080",
    "protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"np2"},
    "type":"NodePort"},"status":{"loadBalancer":{}}})"));
}

// A length-delimited protobuf field (wire type 2): tag, varint length, payload.
std::string lengthDelimited(std::uint32_t number, const std::string& payload) {
  std::string out;
  for (std::uint64_t v : {(std::uint64_t{number} << 3) | 2, std::uint64_t{payload.size()}}) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }
  return out + payload;
}

// `kubectl create quota q --hard=pods=10`'s object, built from core/v1 generated.proto's field
// numbers: ResourceQuota {1: metadata {1: name}, 2: spec {1: hard map<string, Quantity {1:
// string}>}} in the envelope {1: typeMeta {1: apiVersion, 2: kind}, 2: raw}.
TEST(ProtobufBody, TokenRequestFromKubectlCreateToken) {
  auto j = protobufBodyToJson(kTokenRequest);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
      "metadata": {"creationTimestamp": null}, "spec": {"expirationSeconds": 3600},
      "status": {"expirationTimestamp": null}})"));
}

TEST(ProtobufBody, SelfSubjectRulesReviewFromKubectlAuthCanIList) {
  auto j = protobufBodyToJson(kRulesReview);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion": "authorization.k8s.io/v1",
      "kind": "SelfSubjectRulesReview", "metadata": {"creationTimestamp": null},
      "spec": {"namespace": "default"}, "status": {"incomplete": false}})"));
}

// meta/v1 DeleteOptions in any group version (helm uninstall sends one with propagationPolicy);
// gracePeriodSeconds is a pointer, so a 0 sent is kept.
TEST(ProtobufBody, DeleteOptionsFromItsFieldNumbers) {
  const std::string typeMeta = lengthDelimited(1, "v1") + lengthDelimited(2, "DeleteOptions");
  const std::string options =
      std::string("\x08\x00", 2) + lengthDelimited(4, "Background") + lengthDelimited(5, "All");
  const std::string body =
      std::string("k8s\0", 4) + lengthDelimited(1, typeMeta) + lengthDelimited(2, options);
  auto j = protobufBodyToJson(body);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion": "v1", "kind": "DeleteOptions",
      "gracePeriodSeconds": 0, "propagationPolicy": "Background", "dryRun": ["All"]})"));
  const std::string inApps =
      std::string("k8s\0", 4) +
      lengthDelimited(1, lengthDelimited(1, "apps/v1") + lengthDelimited(2, "DeleteOptions")) +
      lengthDelimited(2, lengthDelimited(4, "Foreground"));
  auto apps = protobufBodyToJson(inApps);
  ASSERT_TRUE(apps.ok()) << apps.error().message;
  EXPECT_EQ((*apps)["propagationPolicy"], "Foreground");
}

TEST(ProtobufBody, ResourceQuotaFromItsFieldNumbers) {
  const std::string metadata = lengthDelimited(1, lengthDelimited(1, "q"));
  const std::string hardEntry =
      lengthDelimited(1, "pods") + lengthDelimited(2, lengthDelimited(1, "10"));
  const std::string spec = lengthDelimited(2, lengthDelimited(1, hardEntry));
  const std::string typeMeta = lengthDelimited(1, "v1") + lengthDelimited(2, "ResourceQuota");
  const std::string body =
      std::string("k8s\0", 4) + lengthDelimited(1, typeMeta) + lengthDelimited(2, metadata + spec);
  auto j = protobufBodyToJson(body);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(*j, Json::parse(R"({"apiVersion": "v1", "kind": "ResourceQuota",
      "metadata": {"name": "q"}, "spec": {"hard": {"pods": "10"}}})"));
}

// Every prefix of a real body is refused or read, never misread into something else: a cut
// inside a length-delimited field is malformed.
TEST(ProtobufBody, EveryTruncationOfADeploymentIsRefusedWithoutACrash) {
  for (std::size_t n = 0; n < kDeployment.size(); ++n) {
    auto j = protobufBodyToJson(kDeployment.substr(0, n));
    if (j.ok()) continue;  // a cut between top-level fields is a shorter, valid message
    EXPECT_FALSE(j.error().unsupportedKind) << n;
  }
}

// Thousands of mutations of real kubectl bodies (bytes flipped, inserted and removed; lengths
// made huge; fields renumbered): each is read into a JSON object that serialises, or refused with
// a reason. Never a crash, a hang or an exception (the fuzz target kubesim_protobuf_body goes
// further; this runs in every build).
TEST(ProtobufBody, MutatedBodiesAreReadOrRefusedNeverMisbehave) {
  std::mt19937 random(20261204);
  const std::string seeds[] = {kDeployment, kNodePortService, kNamespace,
                               kConfigMap,  kAccessReview,    kRoleBinding};
  int read = 0;
  int refused = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string body = seeds[i % std::size(seeds)];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const std::size_t at = random() % body.size();
      switch (random() % 5) {
        case 0:
          body[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          body.insert(at, 1, static_cast<char>(random() % 256));
          break;
        case 2:
          body.erase(at, 1 + random() % 8);
          break;
        case 3:  // a length of 2^62
          body.insert(at, std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x40", 9));
          break;
        default:  // a field number past any table, wire type 2
          body.insert(at, std::string("\xfa\xff\xff\x0f\x01x", 6));
          break;
      }
    }
    auto j = protobufBodyToJson(body);
    if (j.ok()) {
      ASSERT_TRUE(j->is_object());
      EXPECT_NO_THROW(j->dump()) << i;
      ++read;
    } else {
      EXPECT_FALSE(j.error().message.empty()) << i;
      ++refused;
    }
  }
  // Both outcomes occur: the mutations reach past the envelope.
  EXPECT_GT(read, 100);
  EXPECT_GT(refused, 100);
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
    EXPECT_NE(j.error().message.find(why), std::string::npos) << j.error().message;
    EXPECT_EQ(j.error().unsupportedKind, why.starts_with("unsupported")) << why;
  }
}

// Go's JSON encoder writes invalid UTF-8 in a string as U+FFFD; the transcoded body used to be
// unserialisable (nlohmann's dump throws on it) and took the request thread down.
TEST(ProtobufBody, InvalidUtf8InAStringBecomesTheReplacementCharacter) {
  const std::string body = bytes({0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31,
                                  0x12, 0x09, 0x43, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x4d, 0x61,
                                  0x70, 0x12, 0x06, 0x0a, 0x04, 0x0a, 0x02, 0x63, 0xff});
  auto j = protobufBodyToJson(body);
  ASSERT_TRUE(j.ok()) << j.error().message;
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
