#include "kubesim/http/tls_material.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <utility>
#include <vector>

#include "kubesim/http/openssl_ptr.h"

namespace kubesim::http {
namespace {

using tro::base::fail;
using StrResult = tro::base::Result<void, std::string>;

constexpr auto kBackdate = std::chrono::minutes(5);
constexpr auto kValidity = std::chrono::hours(24 * 365);

std::string failure(const std::string& step) { return step + ": " + drainOpenSslErrors(); }

EvpPkeyPtr newP256Key() { return EvpPkeyPtr(EVP_EC_gen("P-256")); }

StrResult addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return fail(failure(std::string("adding extension ") + OBJ_nid2sn(nid) + "=" + value));
  return {};
}

StrResult setRandomSerial(X509* cert) {
  BignumPtr bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr)
    return fail(failure("setting serial number"));
  return {};
}

StrResult setValidity(X509* cert, std::chrono::system_clock::time_point now) {
  const std::time_t from = std::chrono::system_clock::to_time_t(now - kBackdate);
  const std::time_t to = std::chrono::system_clock::to_time_t(now + kValidity);
  if (!ASN1_TIME_set(X509_getm_notBefore(cert), from) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert), to))
    return fail(failure("setting validity"));
  return {};
}

StrResult setSubjectCn(X509* cert, const char* cn) {
  X509_NAME* name = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(cn), -1, -1, 0) != 1)
    return fail(failure("setting subject"));
  return {};
}

struct CertSpec {
  const char* commonName;
  EVP_PKEY* key;        // the certificate's own key
  X509* issuer;         // null: self-signed
  EVP_PKEY* issuerKey;  // signing key
  std::vector<std::pair<int, const char*>> extensions;
};

tro::base::Result<X509Ptr, std::string> makeCert(const CertSpec& spec,
                                                 std::chrono::system_clock::time_point now) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
    return fail(failure("creating certificate"));
  if (auto r = setRandomSerial(cert.get()); !r) return fail(r.error());
  if (auto r = setValidity(cert.get(), now); !r) return fail(r.error());
  if (auto r = setSubjectCn(cert.get(), spec.commonName); !r) return fail(r.error());
  X509* issuer = spec.issuer != nullptr ? spec.issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1 ||
      X509_set_pubkey(cert.get(), spec.key) != 1)
    return fail(failure("setting issuer and public key"));
  for (const auto& [nid, value] : spec.extensions) {
    if (auto r = addExtension(cert.get(), issuer, nid, value); !r) return fail(r.error());
  }
  if (X509_sign(cert.get(), spec.issuerKey, EVP_sha256()) == 0)
    return fail(failure("signing certificate"));
  return cert;
}

}  // namespace

tro::base::Result<TlsMaterial, std::string> generateTlsMaterial(
    std::chrono::system_clock::time_point now) {
  EvpPkeyPtr caKey = newP256Key();
  EvpPkeyPtr serverKey = newP256Key();
  if (!caKey || !serverKey) return fail(failure("generating P-256 key"));

  auto ca = makeCert({"kubesim-ca",
                      caKey.get(),
                      nullptr,
                      caKey.get(),
                      {{NID_basic_constraints, "critical,CA:TRUE"},
                       {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"}}},
                     now);
  if (!ca) return fail("CA certificate: " + ca.error());
  auto server = makeCert({"kubesim",
                          serverKey.get(),
                          ca->get(),
                          caKey.get(),
                          {{NID_basic_constraints, "critical,CA:FALSE"},
                           {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                           {NID_ext_key_usage, "serverAuth"},
                           {NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"},
                           {NID_authority_key_identifier, "keyid:always"}}},
                         now);
  if (!server) return fail("server certificate: " + server.error());

  TlsMaterial out{certToPem(ca->get()), certToPem(server->get()), keyToPem(serverKey.get())};
  if (out.caCertPem.empty() || out.serverCertPem.empty() || out.serverKeyPem.empty())
    return fail(failure("encoding PEM"));
  return out;
}

}  // namespace kubesim::http
