#include "kubesim/http/tls_material.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <set>
#include <string>

#include "kubesim/http/openssl_ptr.h"

namespace kubesim::http {
namespace {

using std::chrono::system_clock;

const system_clock::time_point kNow = system_clock::from_time_t(1800000000);

TlsMaterial generated() {
  auto tls = generateTlsMaterial(kNow);
  EXPECT_TRUE(tls.ok()) << (tls.ok() ? "" : tls.error());
  return tls.ok() ? *tls : TlsMaterial{};
}

EvpPkeyPtr keyFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return EvpPkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// Verifies `leaf` against `ca` as a TLS server chain at time `at`; returns the X509 error code.
int verify(X509* leaf, X509* ca, std::time_t at) {
  X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca);
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  X509_STORE_CTX_set_time(ctx.get(), 0, at);
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

TEST(TlsMaterial, ServerCertificateVerifiesAgainstTheCa) {
  TlsMaterial tls = generated();
  X509Ptr ca = certFromPem(tls.caCertPem);
  X509Ptr server = certFromPem(tls.serverCertPem);
  ASSERT_TRUE(ca && server);
  EXPECT_EQ(verify(server.get(), ca.get(), system_clock::to_time_t(kNow)), X509_V_OK);
}

TEST(TlsMaterial, ValidityIsBackdatedAndLastsAYear) {
  TlsMaterial tls = generated();
  X509Ptr ca = certFromPem(tls.caCertPem);
  X509Ptr server = certFromPem(tls.serverCertPem);
  ASSERT_TRUE(ca && server);
  const std::time_t now = system_clock::to_time_t(kNow);
  // A client clock two minutes behind still accepts it; one just over a year ahead does not.
  EXPECT_EQ(verify(server.get(), ca.get(), now - 120), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), now + 364 * 86400), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), now + 366 * 86400), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(verify(server.get(), ca.get(), now - 3600), X509_V_ERR_CERT_NOT_YET_VALID);
}

TEST(TlsMaterial, ServerCertificateNamesLoopbackAndLocalhost) {
  X509Ptr server = certFromPem(generated().serverCertPem);
  ASSERT_TRUE(server);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "10.0.0.1", 0), 0);
  EXPECT_EQ(X509_check_host(server.get(), "example.com", 0, 0, nullptr), 0);
}

TEST(TlsMaterial, CaIsACaAndServerIsNot) {
  TlsMaterial tls = generated();
  X509Ptr ca = certFromPem(tls.caCertPem);
  X509Ptr server = certFromPem(tls.serverCertPem);
  ASSERT_TRUE(ca && server);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  // The server certificate cannot sign another server certificate into a valid chain.
  EXPECT_NE(verify(ca.get(), server.get(), system_clock::to_time_t(kNow)), X509_V_OK);
}

TEST(TlsMaterial, PrivateKeyMatchesServerCertificateAndIsP256) {
  TlsMaterial tls = generated();
  X509Ptr server = certFromPem(tls.serverCertPem);
  EvpPkeyPtr key = keyFromPem(tls.serverKeyPem);
  ASSERT_TRUE(server && key);
  EXPECT_EQ(X509_check_private_key(server.get(), key.get()), 1);
  EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 256);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
}

TEST(TlsMaterial, EachGenerationIsFresh) {
  TlsMaterial a = generated();
  TlsMaterial b = generated();
  EXPECT_NE(a.caCertPem, b.caCertPem);
  EXPECT_NE(a.serverKeyPem, b.serverKeyPem);
  X509Ptr serverA = certFromPem(a.serverCertPem);
  X509Ptr caB = certFromPem(b.caCertPem);
  ASSERT_TRUE(serverA && caB);
  EXPECT_NE(verify(serverA.get(), caB.get(), system_clock::to_time_t(kNow)), X509_V_OK);
}

}  // namespace
}  // namespace kubesim::http
