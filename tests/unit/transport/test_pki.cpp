#include "test_pki.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tro::kube::transport::testing {
namespace {

void run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
    std::cerr << "test PKI: command failed: " << command << "\n";
    std::abort();
  }
}

// Removes the directory when the test binary exits.
struct TempDir {
  explicit TempDir(std::string p) : path(std::move(p)) {}
  TempDir(const TempDir&) = delete;
  std::string path;
  ~TempDir() {
    std::error_code ignored;  // best effort: a leftover temp dir must not fail the tests
    std::filesystem::remove_all(path, ignored);
  }
};

TempDir makeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tro-transport-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  return TempDir{pattern};
}

TestPki generate(const std::string& dir) {
  TestPki pki;
  pki.dir = dir;
  const std::string d = pki.dir + "/";
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  run("openssl req -x509 " + key + " -keyout " + d + "ca.key -out " + d +
      "ca.crt -days 2 -subj /CN=tro-test-ca");
  run("openssl req -x509 " + key + " -keyout " + d + "other.key -out " + d +
      "other.crt -days 2 -subj /CN=tro-other-ca");
  run("openssl req " + key + " -keyout " + d + "server.key -out " + d +
      "server.csr -subj /CN=tro-test-server");
  writeFile(d + "ext.cnf", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run("openssl x509 -req -in " + d + "server.csr -CA " + d + "ca.crt -CAkey " + d +
      "ca.key -CAcreateserial -days 2 -extfile " + d + "ext.cnf -out " + d + "server.crt");
  pki.caPem = readFile(d + "ca.crt");
  pki.otherCaPem = readFile(d + "other.crt");
  pki.serverCertFile = d + "server.crt";
  pki.serverKeyFile = d + "server.key";
  return pki;
}

}  // namespace

const TestPki& testPki() {
  static const TempDir dir = makeTempDir();
  static const TestPki pki = generate(dir.path);
  return pki;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace tro::kube::transport::testing
