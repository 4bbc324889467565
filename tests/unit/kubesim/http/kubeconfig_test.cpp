#include "kubesim/http/kubeconfig.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kubesim::http {
namespace {

std::string decodeBase64(const std::string& s) {
  std::string out(s.size(), '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return "<invalid>";
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '\0') out.pop_back();  // base64 padding
  return out;
}

TEST(Kubeconfig, HasOneContextNamedKubesimWithServerCaAndToken) {
  const std::string ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  YAML::Node k = YAML::Load(renderKubeconfig({"https://127.0.0.1:6443", ca, "t0k:en\"x"}));
  EXPECT_EQ(k["apiVersion"].as<std::string>(), "v1");
  EXPECT_EQ(k["kind"].as<std::string>(), "Config");
  EXPECT_EQ(k["current-context"].as<std::string>(), "kubesim");
  ASSERT_EQ(k["clusters"].size(), 1u);
  EXPECT_EQ(k["clusters"][0]["name"].as<std::string>(), "kubesim");
  EXPECT_EQ(k["clusters"][0]["cluster"]["server"].as<std::string>(), "https://127.0.0.1:6443");
  EXPECT_EQ(
      decodeBase64(k["clusters"][0]["cluster"]["certificate-authority-data"].as<std::string>()),
      ca);
  EXPECT_EQ(k["users"][0]["user"]["token"].as<std::string>(), "t0k:en\"x");
  const YAML::Node ctx = k["contexts"][0];
  EXPECT_EQ(ctx["name"].as<std::string>(), "kubesim");
  EXPECT_EQ(ctx["context"]["cluster"].as<std::string>(), "kubesim");
  EXPECT_EQ(ctx["context"]["user"].as<std::string>(), "kubesim");
  EXPECT_EQ(ctx["context"]["namespace"].as<std::string>(), "default");
}

TEST(Kubeconfig, PlainHttpHasNoCertificateAuthorityNorToken) {
  YAML::Node k = YAML::Load(renderKubeconfig({"http://127.0.0.1:8080", "", ""}));
  EXPECT_FALSE(k["clusters"][0]["cluster"]["certificate-authority-data"].IsDefined());
  EXPECT_TRUE(k["users"][0]["user"].IsMap());
  EXPECT_FALSE(k["users"][0]["user"]["token"].IsDefined());
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kubesim-kc-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(TempDir, WriteFileAtomicallyReplacesContentAndIsPrivate) {
  const std::string path = (dir_ / "kubeconfig").string();
  ASSERT_TRUE(writeFileAtomically(path, "first").ok());
  ASSERT_TRUE(writeFileAtomically(path, "second").ok());
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "second");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);  // no temp left
}

TEST_F(TempDir, WriteFileAtomicallyReportsAMissingDirectory) {
  auto r = writeFileAtomically((dir_ / "missing" / "kubeconfig").string(), "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("missing"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace kubesim::http
