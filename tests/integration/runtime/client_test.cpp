// The operator's production client stack against the real kubesim binary over HTTPS with token
// auth: every verb, typed errors as the real API server reports them, auth and TLS failures.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "operator/kube/resource.h"
#include "tests/integration/runtime/kubesim_server.h"

namespace tro::testing {
namespace {

using kube::ErrorKind;
using kube::Json;

kube::ResourceType configMaps() { return {"", "v1", "configmaps", "ConfigMap", true}; }

Json configMap(const std::string& name, const Json& labels = Json::object(),
               const Json& data = {{"k", "v"}}) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"labels", labels}}},
          {"data", data}};
}

class ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    server_ = KubesimServer::start({"--no-controllers"}, error);
    ASSERT_NE(server_, nullptr) << error;
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    auto config = server_->config();
    ASSERT_TRUE(config.ok()) << config.error().toString();
    config_ = *config;
    auto stack = connect(config_);
    ASSERT_TRUE(stack.ok()) << stack.error().toString();
    stack_ = std::move(stack).value();
    // A namespace per test keeps tests independent of each other's objects.
    auto created = createTestNamespace(
        api(), "it-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(created.ok()) << created.error().toString();
    ns_ = *created;
  }
  kube::ApiClient& api() { return *stack_->api; }

  // One kubesim for the suite (gtest keeps suite state in statics); stopped in TearDown.
  static std::unique_ptr<KubesimServer> server_;
  kube::ClusterConfig config_;
  std::unique_ptr<ClientStack> stack_;
  std::string ns_;
};

std::unique_ptr<KubesimServer> ClientTest::server_;

TEST_F(ClientTest, CreateGetDeleteWithTypedNotFoundAndAlreadyExists) {
  auto created = api().create(configMaps(), ns_, configMap("one"), {});
  ASSERT_TRUE(created.ok()) << created.error().toString();
  EXPECT_EQ((*created)["metadata"]["namespace"], ns_);
  EXPECT_FALSE((*created)["metadata"]["resourceVersion"].get<std::string>().empty());

  auto got = api().get(configMaps(), ns_, "one");
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ((*got)["data"], Json({{"k", "v"}}));
  EXPECT_EQ((*got)["metadata"]["uid"], (*created)["metadata"]["uid"]);

  auto again = api().create(configMaps(), ns_, configMap("one"), {});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(kube::isAlreadyExists(again.error())) << again.error().toString();
  EXPECT_EQ(again.error().code, 409);
  EXPECT_EQ(again.error().reason, "AlreadyExists");

  auto removed = api().remove(configMaps(), ns_, "one", {});
  ASSERT_TRUE(removed.ok()) << removed.error().toString();

  auto gone = api().get(configMaps(), ns_, "one");
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(kube::isNotFound(gone.error())) << gone.error().toString();
  EXPECT_EQ(gone.error().kind, ErrorKind::Api);
  EXPECT_EQ(gone.error().code, 404);
  auto removedAgain = api().remove(configMaps(), ns_, "one", {});
  ASSERT_FALSE(removedAgain.ok());
  EXPECT_TRUE(kube::isNotFound(removedAgain.error()));
}

TEST_F(ClientTest, ListFiltersByLabelSelectorAndPagesWithContinue) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        api()
            .create(configMaps(), ns_, configMap("a" + std::to_string(i), {{"app", "a"}}), {})
            .ok());
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        api()
            .create(configMaps(), ns_, configMap("b" + std::to_string(i), {{"app", "b"}}), {})
            .ok());
  }

  kube::ListOptions options;
  options.labelSelector = "app=a";
  options.limit = 2;
  std::vector<std::string> names;
  std::vector<size_t> pageSizes;
  for (int page = 0; page < 10; ++page) {
    auto list = api().list(configMaps(), ns_, options);
    ASSERT_TRUE(list.ok()) << list.error().toString();
    EXPECT_EQ((*list)["kind"], "ConfigMapList");
    pageSizes.push_back((*list)["items"].size());
    for (const auto& item : (*list)["items"]) {
      EXPECT_EQ(item["metadata"]["labels"]["app"], "a");
      names.push_back(item["metadata"]["name"]);
    }
    options.continueToken = (*list)["metadata"].value("continue", "");
    if (options.continueToken.empty()) break;
  }
  EXPECT_EQ(pageSizes, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(names, (std::vector<std::string>{"a0", "a1", "a2", "a3", "a4"}));

  kube::ListOptions other;
  other.labelSelector = "app=b";
  auto b = api().list(configMaps(), ns_, other);
  ASSERT_TRUE(b.ok()) << b.error().toString();
  EXPECT_EQ((*b)["items"].size(), 2u);
  EXPECT_FALSE((*b)["metadata"].contains("continue") &&
               !(*b)["metadata"]["continue"].get<std::string>().empty());
}

TEST_F(ClientTest, UpdateWithStaleResourceVersionIsConflict) {
  auto created = api().create(configMaps(), ns_, configMap("cm"), {});
  ASSERT_TRUE(created.ok()) << created.error().toString();

  Json fresh = *created;
  fresh["data"]["k"] = "v2";
  auto updated = api().update(configMaps(), ns_, fresh, {});
  ASSERT_TRUE(updated.ok()) << updated.error().toString();
  EXPECT_EQ((*updated)["data"]["k"], "v2");
  EXPECT_NE((*updated)["metadata"]["resourceVersion"], (*created)["metadata"]["resourceVersion"]);

  Json stale = *created;  // still carries the first resourceVersion
  stale["data"]["k"] = "v3";
  auto conflict = api().update(configMaps(), ns_, stale, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(kube::isConflict(conflict.error())) << conflict.error().toString();
  EXPECT_EQ(conflict.error().kind, ErrorKind::Api);
  EXPECT_EQ(conflict.error().code, 409);
  EXPECT_EQ(conflict.error().reason, "Conflict");

  auto got = api().get(configMaps(), ns_, "cm");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["k"], "v2");  // the stale write did not land
}

TEST_F(ClientTest, MergeAndJsonPatchesAndAFailingTestOperation) {
  ASSERT_TRUE(api().create(configMaps(), ns_, configMap("cm"), {}).ok());

  auto merged = api().patch(configMaps(), ns_, "cm", kube::PatchType::Merge,
                            R"({"data":{"added":"yes","k":null}})", {});
  ASSERT_TRUE(merged.ok()) << merged.error().toString();
  EXPECT_EQ((*merged)["data"], Json({{"added", "yes"}}));

  auto patched = api().patch(configMaps(), ns_, "cm", kube::PatchType::Json,
                             R"([{"op":"test","path":"/data/added","value":"yes"},)"
                             R"({"op":"replace","path":"/data/added","value":"no"}])",
                             {});
  ASSERT_TRUE(patched.ok()) << patched.error().toString();
  EXPECT_EQ((*patched)["data"]["added"], "no");

  // reference/real-apiserver-responses.md: a failed "test" is 422 Invalid.
  auto failed = api().patch(configMaps(), ns_, "cm", kube::PatchType::Json,
                            R"([{"op":"test","path":"/data/added","value":"yes"},)"
                            R"({"op":"replace","path":"/data/added","value":"never"}])",
                            {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::Api);
  EXPECT_EQ(failed.error().code, 422);
  EXPECT_EQ(failed.error().reason, "Invalid");
  EXPECT_TRUE(kube::isInvalid(failed.error()));

  auto got = api().get(configMaps(), ns_, "cm");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["added"], "no");
}

TEST_F(ClientTest, WrongTokenIsUnauthorized) {
  kube::ClusterConfig config = config_;
  config.token = "not-the-token";
  auto stack = connect(config);
  ASSERT_TRUE(stack.ok()) << stack.error().toString();
  auto got = stack.value()->api->get(configMaps(), ns_, "anything");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(kube::isUnauthorized(got.error())) << got.error().toString();
  EXPECT_EQ(got.error().kind, ErrorKind::Api);
  EXPECT_EQ(got.error().code, 401);
}

TEST_F(ClientTest, WrongCertificateAuthorityIsATransportErrorNamingX509) {
  // Any CA but kubesim's own: the system bundle cannot have signed kubesim's generated CA.
  const std::string otherCa = readFile("/etc/ssl/certs/ca-certificates.crt");
  if (otherCa.empty()) GTEST_SKIP() << "no system CA bundle to use as the wrong CA";
  kube::ClusterConfig config = config_;
  config.certificateAuthorityPem = otherCa;
  auto stack = connect(config);
  ASSERT_TRUE(stack.ok()) << stack.error().toString();
  auto got = stack.value()->api->get(configMaps(), ns_, "anything");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, ErrorKind::Transport) << got.error().toString();
  EXPECT_NE(got.error().message.find("x509"), std::string::npos) << got.error().message;
}

}  // namespace
}  // namespace tro::testing
