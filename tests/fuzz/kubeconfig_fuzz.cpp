// kubeconfig (operator/kube/kubeconfig.h): parseKubeconfig, the text-level reader behind
// loadKubeconfigFile and --kubeconfig. Input: the YAML. Relative file paths resolve against a
// directory that does not exist; absolute ones are read as production reads them (regular files
// only, bounded: bounded_file.h). Invariants: an accepted config has a server without a trailing
// slash, and a client certificate exactly when it has a client key.

#include <string>

#include "operator/kube/kubeconfig.h"
#include "tests/fuzz/fuzz_util.h"

using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const std::string text(tro::fuzz::asText(data, size));
  const auto config = tro::kube::parseKubeconfig(text, "/nonexistent/tro-fuzz");
  if (!config.ok()) return 0;
  require(!config->server.empty() && config->server.back() != '/');
  require(config->clientCertificatePem.empty() == config->clientKeyPem.empty());
  return 0;
}
