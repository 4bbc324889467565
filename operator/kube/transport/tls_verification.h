#pragma once
// TLS settings of the client transport applied to an OpenSSL context (internal to the transport;
// no cpprestsdk or OpenSSL headers here). The server certificate is verified by OpenSSL's own
// chain and host-name checks against `verifyName` (ClusterConfig::tlsServerName, else the URL's
// host), replacing cpprestsdk's check, which only knows the URL's host. The last verification
// failure is remembered so that a failed handshake can be reported as "x509: certificate signed
// by unknown authority" rather than cpprestsdk's "Error in SSL handshake".
// Caveat: the remembered failure is per transport; with concurrent failing handshakes the
// messages may be swapped between them (they are then almost always the same message).

#include <memory>
#include <mutex>
#include <string>

#include "operator/kube/error.h"

struct ssl_ctx_st;  // SSL_CTX

namespace tro::kube::transport {

struct TlsSettings {
  std::string certificateAuthorityPem;  // empty: the system trust store
  bool insecureSkipVerify = false;
  std::string verifyName;            // host name or IP literal the certificate must be valid for
  std::string serverNameIndication;  // sent in the ClientHello when set
  std::string clientCertificatePem;  // with clientKeyPem: mutual TLS
  std::string clientKeyPem;
};

class TlsVerification {
 public:
  // Parses the PEM material up front so that bad configuration is a Config error at start-up,
  // not a handshake failure later.
  static Result<std::shared_ptr<TlsVerification>> create(TlsSettings settings);

  // Applies the settings to a fresh context. The context keeps a pointer to this object: it must
  // outlive every connection made with the context.
  Result<void> configure(ssl_ctx_st* ctx);

  // The verification failure recorded since the last call, as a Go-like "x509: ..." message;
  // empty when none.
  std::string takeFailure();
  void recordFailure(std::string message);
  const TlsSettings& settings() const { return settings_; }

 private:
  explicit TlsVerification(TlsSettings settings) : settings_(std::move(settings)) {}
  TlsSettings settings_;
  std::mutex mu_;
  std::string failure_;  // guarded by mu_
};

}  // namespace tro::kube::transport
