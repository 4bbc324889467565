#pragma once
// Certificates generated at test time with the openssl CLI in a fresh temporary directory: a CA
// and a server certificate it signed (SAN IP:127.0.0.1, DNS:localhost), plus an unrelated CA.

#include <string>

namespace tro::kube::transport::testing {

struct TestPki {
  std::string dir;
  std::string caPem, otherCaPem;  // contents
  std::string serverCertFile, serverKeyFile;
};

// Aborts the test binary with a message when openssl is missing: the TLS tests cannot run then.
const TestPki& testPki();

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

}  // namespace tro::kube::transport::testing
