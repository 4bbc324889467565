#include "operator/kube/kubeconfig.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "operator/kube/base64.h"

namespace tro::kube {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // The pid keeps concurrent runs of this binary (other build directories) apart.
    dir_ = fs::path(::testing::TempDir()) /
           ("kube_kubeconfig_" + std::to_string(::getpid()) + "_" + std::string(info->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& relative, const std::string& content) {
    fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
    return path.string();
  }
  EnvLookup env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }

  fs::path dir_;
};

// "CA PEM" / "CERT PEM" / "KEY PEM" in base64.
const char* kConfig = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://127.0.0.1:6443/
    certificate-authority-data: Q0EgUEVN
    tls-server-name: kubernetes.default
- name: file-cluster
  cluster:
    server: https://[::1]:8443
    certificate-authority: certs/ca.crt
    insecure-skip-tls-verify: true
users:
- name: cert-user
  user:
    client-certificate-data: Q0VSVCBQRU0=
    client-key-data: S0VZIFBFTQ==
- name: token-user
  user:
    tokenFile: token
- name: exec-user
  user:
    exec:
      command: aws
contexts:
- name: dev
  context:
    cluster: dev-cluster
    user: cert-user
    namespace: shop
- name: files
  context:
    cluster: file-cluster
    user: token-user
- name: broken-cluster
  context:
    cluster: missing
    user: cert-user
- name: broken-user
  context:
    cluster: dev-cluster
    user: ghost
- name: exec
  context:
    cluster: dev-cluster
    user: exec-user
)";

TEST(Base64, DecodeTable) {
  EXPECT_EQ(base64Decode("Q0EgUEVN"), "CA PEM");
  EXPECT_EQ(base64Decode("S0VZIFBFTQ=="), "KEY PEM");
  EXPECT_EQ(base64Decode("Q0VS\nVCBQ\r\nRU0="), "CERT PEM");
  EXPECT_EQ(base64Decode(""), "");
  EXPECT_EQ(base64Decode("/+8="), "\xff\xef");
  EXPECT_EQ(base64Decode("Q0E"), std::nullopt);
  EXPECT_EQ(base64Decode("Q0E*"), std::nullopt);
  EXPECT_EQ(base64Decode("QQ==QQ=="), std::nullopt);
  EXPECT_EQ(base64Decode("Q==="), std::nullopt);
}

TEST_F(KubeconfigTest, CurrentContextWithInlineData) {
  auto config = parseKubeconfig(kConfig, dir_.string());
  ASSERT_TRUE(config.ok()) << config.error().toString();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->certificateAuthorityPem, "CA PEM");
  EXPECT_EQ(config->tlsServerName, "kubernetes.default");
  EXPECT_FALSE(config->insecureSkipTlsVerify);
  EXPECT_EQ(config->clientCertificatePem, "CERT PEM");
  EXPECT_EQ(config->clientKeyPem, "KEY PEM");
  EXPECT_TRUE(config->token.empty());
  EXPECT_TRUE(config->tokenFile.empty());
}

TEST_F(KubeconfigTest, NamedContextWithFilesRelativeToTheKubeconfig) {
  write("certs/ca.crt", "FILE CA");
  write("token", "t0k3n");
  std::string path = write("config", kConfig);
  auto config = loadKubeconfigFile(path, "files");
  ASSERT_TRUE(config.ok()) << config.error().toString();
  EXPECT_EQ(config->server, "https://[::1]:8443");
  EXPECT_EQ(config->certificateAuthorityPem, "FILE CA");
  EXPECT_TRUE(config->insecureSkipTlsVerify);
  EXPECT_EQ(config->tokenFile, (dir_ / "token").string());
  EXPECT_TRUE(config->clientCertificatePem.empty());
}

TEST_F(KubeconfigTest, ErrorsNameWhatIsMissing) {
  struct Case {
    std::string context;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"nope", "context \"nope\" not found"},
      {"broken-cluster", "cluster \"missing\" not found"},
      {"broken-user", "user \"ghost\" not found"},
      {"exec", "not supported"},
      {"files", "certs/ca.crt"},  // the CA file does not exist in this test
  };
  for (const auto& c : cases) {
    auto config = parseKubeconfig(kConfig, dir_.string(), c.context);
    ASSERT_FALSE(config.ok()) << c.context;
    EXPECT_EQ(config.error().kind, ErrorKind::Config);
    EXPECT_NE(config.error().message.find(c.fragment), std::string::npos) << config.error().message;
  }
  auto missingFile = loadKubeconfigFile((dir_ / "absent").string());
  ASSERT_FALSE(missingFile.ok());
  EXPECT_NE(missingFile.error().message.find("absent"), std::string::npos);
  auto badYaml = parseKubeconfig("clusters: [unclosed", "");
  ASSERT_FALSE(badYaml.ok());
  EXPECT_EQ(badYaml.error().kind, ErrorKind::Config);
  auto noCurrent = parseKubeconfig("apiVersion: v1\nclusters: []\n", "");
  ASSERT_FALSE(noCurrent.ok());
  EXPECT_NE(noCurrent.error().message.find("current-context"), std::string::npos);
  auto badData = parseKubeconfig(
      "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\n"
      "clusters: [{name: k, cluster: {server: 'https://x', certificate-authority-data: '!!'}}]\n",
      "");
  ASSERT_FALSE(badData.ok());
  EXPECT_NE(badData.error().message.find("base64"), std::string::npos);
}

TEST_F(KubeconfigTest, InClusterConfig) {
  write("var/run/secrets/kubernetes.io/serviceaccount/token", "sa-token");
  write("var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "SA CA");
  auto config = inClusterConfig(
      env({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}}),
      dir_.string());
  ASSERT_TRUE(config.ok()) << config.error().toString();
  EXPECT_EQ(config->server, "https://10.0.0.1:443");
  EXPECT_EQ(config->tokenFile,
            dir_.string() + "/var/run/secrets/kubernetes.io/serviceaccount/token");
  EXPECT_TRUE(config->token.empty());
  EXPECT_EQ(config->certificateAuthorityPem, "SA CA");

  auto v6 = inClusterConfig(
      env({{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}}),
      dir_.string());
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->server, "https://[fd00::1]:6443");
}

TEST_F(KubeconfigTest, InClusterConfigErrors) {
  auto notInCluster = inClusterConfig(env({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}}), dir_);
  ASSERT_FALSE(notInCluster.ok());
  EXPECT_NE(notInCluster.error().message.find("KUBERNETES_SERVICE_PORT"), std::string::npos);
  auto noToken = inClusterConfig(
      env({{"KUBERNETES_SERVICE_HOST", "h"}, {"KUBERNETES_SERVICE_PORT", "1"}}), dir_);
  ASSERT_FALSE(noToken.ok());
  EXPECT_NE(noToken.error().message.find("token"), std::string::npos);
}

TEST_F(KubeconfigTest, ResolutionOrder) {
  write("var/run/secrets/kubernetes.io/serviceaccount/token", "sa-token");
  write("var/run/secrets/kubernetes.io/serviceaccount/ca.crt", "SA CA");
  std::string explicitPath = write("explicit", std::string(kConfig));
  std::string other = std::string(kConfig);
  other.replace(other.find("127.0.0.1:6443"), 14, "10.9.9.9:1");
  std::string envPath = write("from-env", other);
  std::string home = (dir_ / "home").string();
  std::string homeConfig = other;
  homeConfig.replace(homeConfig.find("10.9.9.9:1"), 10, "10.8.8.8:2");
  write("home/.kube/config", homeConfig);
  std::map<std::string, std::string> all = {{"KUBECONFIG", envPath + ":/nonexistent"},
                                            {"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                                            {"KUBERNETES_SERVICE_PORT", "443"},
                                            {"HOME", home}};
  auto server = [&](const std::string& flag, const std::map<std::string, std::string>& vars,
                    const std::string& context = "") {
    auto config = loadClusterConfig(flag, context, env(vars), dir_.string());
    return config.ok() ? config->server : "error: " + config.error().message;
  };
  EXPECT_EQ(server(explicitPath, all), "https://127.0.0.1:6443");
  write("certs/ca.crt", "FILE CA");
  EXPECT_EQ(server(explicitPath, all, "files"), "https://[::1]:8443");
  EXPECT_EQ(server("", all, "files"), "https://[::1]:8443");
  EXPECT_NE(server("", all, "nope").find("context \"nope\" not found"), std::string::npos);
  EXPECT_EQ(server("", all), "https://10.9.9.9:1");
  auto noEnv = all;
  noEnv.erase("KUBECONFIG");
  EXPECT_EQ(server("", noEnv), "https://10.0.0.1:443");
  noEnv.erase("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(server("", noEnv), "https://10.8.8.8:2");
  EXPECT_EQ(server("", {}).rfind("error: ", 0), 0u);
}

}  // namespace
}  // namespace tro::kube
