#include "operator/kube/transport/tls_verification.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <vector>

namespace tro::kube::transport {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

Error configError(const std::string& message) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "InvalidTLSConfig";
  e.message = message;
  ERR_clear_error();
  return e;
}

BioPtr memoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Result<std::vector<X509Ptr>> parseCertificates(const std::string& pem, const std::string& what) {
  std::vector<X509Ptr> certs;
  BioPtr bio = memoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the loop ends with a "no start line" error at the end of the buffer
  if (certs.empty()) return fail(configError(what + ": no PEM certificate found"));
  return certs;
}

Result<PkeyPtr> parseKey(const std::string& pem) {
  BioPtr bio = memoryBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return fail(configError("client key: no PEM private key found"));
  return key;
}

bool isIpLiteral(const std::string& host) {
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(host.c_str());
  if (ip == nullptr) return false;
  ASN1_OCTET_STRING_free(ip);
  return true;
}

std::string describeFailure(int err, const std::string& name) {
  switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "x509: certificate signed by unknown authority";
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return "x509: certificate is not valid for " + name;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "x509: certificate has expired or is not yet valid";
    default:
      return std::string("x509: ") + X509_verify_cert_error_string(err);
  }
}

int keepPreverified(int ok, X509_STORE_CTX*) { return ok; }

// Replaces X509_verify_cert for the context: the chain and the host name are checked by
// OpenSSL against our verify name. cpprestsdk's per-certificate callback (an RFC 2818 check
// against the URL's host) is dropped so that tlsServerName can differ from the URL's host.
int verifyCertificate(X509_STORE_CTX* store, void* arg) {
  auto* self = static_cast<TlsVerification*>(arg);
  const std::string& name = self->settings().verifyName;
  X509_STORE_CTX_set_verify_cb(store, &keepPreverified);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(store);
  if (isIpLiteral(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size());
  }
  const int ok = X509_verify_cert(store);
  if (ok <= 0) self->recordFailure(describeFailure(X509_STORE_CTX_get_error(store), name));
  return ok;
}

int sniIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// cpprestsdk sets SNI to the URL's host; when tlsServerName is set the ClientHello must carry
// that name instead, so it is replaced just before the handshake starts.
void overrideSni(const SSL* ssl, int where, int) {
  if ((where & SSL_CB_HANDSHAKE_START) == 0) return;
  auto* self = static_cast<TlsVerification*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), sniIndex()));
  if (self == nullptr) return;
  SSL_set_tlsext_host_name(const_cast<SSL*>(ssl), self->settings().serverNameIndication.c_str());
}

}  // namespace

Result<std::shared_ptr<TlsVerification>> TlsVerification::create(TlsSettings settings) {
  if (!settings.certificateAuthorityPem.empty()) {
    auto cas = parseCertificates(settings.certificateAuthorityPem, "certificate authority");
    if (!cas.ok()) return fail(cas.error());
  }
  if (settings.clientCertificatePem.empty() != settings.clientKeyPem.empty()) {
    return fail(configError("client certificate and client key must be set together"));
  }
  if (!settings.clientCertificatePem.empty()) {
    auto certs = parseCertificates(settings.clientCertificatePem, "client certificate");
    if (!certs.ok()) return fail(certs.error());
    auto key = parseKey(settings.clientKeyPem);
    if (!key.ok()) return fail(key.error());
  }
  return std::shared_ptr<TlsVerification>(new TlsVerification(std::move(settings)));
}

Result<void> TlsVerification::configure(ssl_ctx_st* ctx) {
  if (!settings_.certificateAuthorityPem.empty()) {
    auto cas = parseCertificates(settings_.certificateAuthorityPem, "certificate authority");
    if (!cas.ok()) return fail(cas.error());
    X509_STORE* store = X509_STORE_new();  // owned by ctx after SSL_CTX_set_cert_store
    for (auto& ca : cas.value()) X509_STORE_add_cert(store, ca.get());
    SSL_CTX_set_cert_store(ctx, store);
  }
  if (!settings_.clientCertificatePem.empty()) {
    auto certs = parseCertificates(settings_.clientCertificatePem, "client certificate");
    auto key = parseKey(settings_.clientKeyPem);
    if (!certs.ok()) return fail(certs.error());
    if (!key.ok()) return fail(key.error());
    if (SSL_CTX_use_certificate(ctx, certs.value().front().get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx, key.value().get()) != 1) {
      return fail(configError("client certificate and key do not match"));
    }
    for (size_t i = 1; i < certs.value().size(); ++i) {
      SSL_CTX_add1_chain_cert(ctx, certs.value()[i].get());
    }
  }
  if (settings_.insecureSkipVerify) return {};
  SSL_CTX_set_cert_verify_callback(ctx, &verifyCertificate, this);
  if (!settings_.serverNameIndication.empty()) {
    SSL_CTX_set_ex_data(ctx, sniIndex(), this);
    SSL_CTX_set_info_callback(ctx, &overrideSni);
  }
  return {};
}

std::string TlsVerification::takeFailure() {
  std::lock_guard lock(mu_);
  return std::exchange(failure_, std::string());
}

void TlsVerification::recordFailure(std::string message) {
  std::lock_guard lock(mu_);
  failure_ = std::move(message);
}

}  // namespace tro::kube::transport
