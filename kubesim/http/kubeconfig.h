#pragma once
// The kubeconfig kubesim writes for its clients: one cluster/user/context named "kubesim",
// namespace default, the CA inlined as certificate-authority-data and the bearer token.

#include <string>

#include "operator/base/result.h"

namespace kubesim::http {

struct KubeconfigParams {
  std::string serverUrl;  // https://127.0.0.1:PORT (or http:// in --plain-http mode)
  std::string caCertPem;  // empty in plain-HTTP mode
  std::string token;      // empty: no credentials (plain-HTTP mode)
};

std::string renderKubeconfig(const KubeconfigParams& params);

// Writes `content` to `path` atomically (temp file + rename), so a client polling for the file
// never reads half of it. Error: a message naming the path and errno text.
tro::base::Result<void, std::string> writeFileAtomically(const std::string& path,
                                                         const std::string& content);

}  // namespace kubesim::http
