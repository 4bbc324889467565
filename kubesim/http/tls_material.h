#pragma once
// TLS material generated at start-up: an EC P-256 CA and a server certificate it signs, valid for
// 127.0.0.1, ::1 and localhost. Validity is one year, backdated a few minutes so that clients
// with a slightly late clock still accept it. Everything is PEM text, ready for a kubeconfig's
// certificate-authority-data and for loading into an SSL context from memory.
// Caveat: nothing is persisted; a restarted kubesim has a new CA, so clients need a new kubeconfig.

#include <chrono>
#include <string>

#include "operator/base/result.h"

namespace kubesim::http {

struct TlsMaterial {
  std::string caCertPem;
  std::string serverCertPem;
  std::string serverKeyPem;  // PKCS#8 private key of the server certificate
};

// `now` is the notional issue time (validity starts a few minutes before it). Errors carry the
// failing OpenSSL step and its error queue.
tro::base::Result<TlsMaterial, std::string> generateTlsMaterial(
    std::chrono::system_clock::time_point now);

}  // namespace kubesim::http
