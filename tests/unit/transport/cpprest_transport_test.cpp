#include "operator/kube/transport/cpprest_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "https_test_server.h"
#include "operator/kube/transport/connect_failure.h"
#include "test_pki.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using testing::HttpsTestServer;
using testing::testPki;

HttpRequest get(std::string path) { return HttpRequest{"GET", std::move(path), {}, {}, ""}; }

class CpprestTransportTest : public ::testing::Test {
 protected:
  CpprestTransportTest() : server_(testPki().serverCertFile, testPki().serverKeyFile) {}

  ClusterConfig config() const {
    ClusterConfig c;
    c.server = server_.url();
    c.certificateAuthorityPem = testPki().caPem;
    c.token = "secret-token";
    c.userAgent = "tro-test/1.0";
    return c;
  }

  TransportPtr transport(const ClusterConfig& c) {
    Result<TransportPtr> t = makeHttpTransport(c);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().toString());
    return t.ok() ? std::move(t).value() : nullptr;
  }

  HttpsTestServer server_;
};

TEST_F(CpprestTransportTest, RightCaSucceedsAndSendsAuthAndUserAgent) {
  auto t = transport(config());
  HttpRequest request = get("/ok");
  request.query = {{"labelSelector", "app in (a,b)"}};
  Result<HttpResponse> r = t->send(request, 5s);
  ASSERT_TRUE(r.ok()) << r.error().toString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("x-custom"), "yes");
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/ok");
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer secret-token");
  EXPECT_EQ(seen[0].headers["user-agent"], "tro-test/1.0");
  EXPECT_EQ(seen[0].query, "labelSelector=app%20in%20%28a%2Cb%29");
}

TEST_F(CpprestTransportTest, SendsTheBodyWithItsContentType) {
  auto t = transport(config());
  HttpRequest request{
      "PATCH",
      "/ok",
      {{"fieldManager", "tro"}},
      {{"Content-Type", "application/merge-patch+json"}, {"Accept", "application/json"}},
      R"({"spec":{"replicas":2}})"};
  Result<HttpResponse> r = t->send(request, 5s);
  ASSERT_TRUE(r.ok()) << r.error().toString();
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PATCH");
  EXPECT_EQ(seen[0].query, "fieldManager=tro");
  EXPECT_EQ(seen[0].body, R"({"spec":{"replicas":2}})");
  EXPECT_EQ(seen[0].headers["content-type"], "application/merge-patch+json");
  EXPECT_EQ(seen[0].headers["accept"], "application/json");
}

TEST_F(CpprestTransportTest, WrongCaFailsWithAClearError) {
  ClusterConfig c = config();
  c.certificateAuthorityPem = testPki().otherCaPem;
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Transport);
  EXPECT_TRUE(isConnectFailure(r.error()));
  EXPECT_NE(r.error().message.find("x509: certificate signed by unknown authority"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find(server_.url()), std::string::npos) << r.error().message;
  EXPECT_TRUE(server_.seen().empty());
}

TEST_F(CpprestTransportTest, HostNameMismatchFails) {
  ClusterConfig c = config();
  c.tlsServerName = "wrong.example";
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Transport);
  EXPECT_NE(r.error().message.find("x509: certificate is not valid for wrong.example"),
            std::string::npos)
      << r.error().message;
}

TEST_F(CpprestTransportTest, TlsServerNameInTheCertificateSucceeds) {
  ClusterConfig c = config();
  c.tlsServerName = "localhost";  // the URL says 127.0.0.1; the name is verified instead
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_TRUE(r.ok()) << r.error().toString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(CpprestTransportTest, InsecureSkipsVerification) {
  ClusterConfig c = config();
  c.certificateAuthorityPem = testPki().otherCaPem;
  c.insecureSkipTlsVerify = true;
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_TRUE(r.ok()) << r.error().toString();
  EXPECT_EQ(r->status, 200);
}

TEST_F(CpprestTransportTest, TokenFileIsReReadWhenItChanges) {
  const std::string file = testPki().dir + "/token";
  testing::writeFile(file, "first-token\n");
  ClusterConfig c = config();
  c.token.clear();
  c.tokenFile = file;
  auto t = transport(c);
  ASSERT_TRUE(t->send(get("/ok"), 5s).ok());
  testing::writeFile(file, "the-rotated-token");
  ASSERT_TRUE(t->send(get("/ok"), 5s).ok());
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer first-token");
  EXPECT_EQ(seen[1].headers["authorization"], "Bearer the-rotated-token");
}

TEST_F(CpprestTransportTest, MissingTokenFileIsAConfigError) {
  ClusterConfig c = config();
  c.token.clear();
  c.tokenFile = testPki().dir + "/does-not-exist";
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Config);
}

TEST_F(CpprestTransportTest, SlowAnswerTimesOut) {
  Result<HttpResponse> r = transport(config())->send(get("/hang"), 300ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Timeout) << r.error().toString();
  server_.release();
}

TEST_F(CpprestTransportTest, ConnectionRefusedIsAConnectFailure) {
  ClusterConfig c = config();
  c.server = "https://127.0.0.1:" + std::to_string(testing::unusedPort());
  Result<HttpResponse> r = transport(c)->send(get("/ok"), 5s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Transport);
  EXPECT_TRUE(isConnectFailure(r.error())) << r.error().toString();
}

TEST_F(CpprestTransportTest, StreamDeliversEachLineAsItArrives) {
  auto t = transport(config());
  HttpRequest request = get("/watch");
  request.query = {{"watch", "true"}, {"timeoutSeconds", "60"}};
  Result<StreamOpen> open = t->stream(request);
  ASSERT_TRUE(open.ok()) << open.error().toString();
  ASSERT_NE(open->stream, nullptr);
  EXPECT_EQ(open->response.status, 200);
  ASSERT_TRUE(server_.waitForWatch());
  // Each line is read while the response is still open: the next is written only after.
  for (const std::string line : {R"({"type":"ADDED"})", R"({"type":"MODIFIED"})"}) {
    server_.pushLine(line);
    Result<std::optional<std::string>> got = open->stream->nextLine();
    ASSERT_TRUE(got.ok()) << got.error().toString();
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ(**got, line);
  }
  server_.endWatch();
  Result<std::optional<std::string>> end = open->stream->nextLine();
  ASSERT_TRUE(end.ok()) << end.error().toString();
  EXPECT_FALSE(end->has_value());
}

TEST_F(CpprestTransportTest, CancelUnblocksAPendingRead) {
  auto t = transport(config());
  Result<StreamOpen> open = t->stream(get("/watch"));
  ASSERT_TRUE(open.ok()) << open.error().toString();
  ASSERT_TRUE(server_.waitForWatch());
  LineStream& stream = *open->stream;
  std::promise<void> reading;
  auto result = std::async(std::launch::async, [&] {
    reading.set_value();
    return stream.nextLine();
  });
  reading.get_future().wait();
  stream.cancel();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready) << "nextLine() was not unblocked";
  Result<std::optional<std::string>> got = result.get();
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind, ErrorKind::Cancelled);
}

TEST_F(CpprestTransportTest, StreamNonSuccessReturnsTheBody) {
  Result<StreamOpen> open = transport(config())->stream(get("/gone"));
  ASSERT_TRUE(open.ok()) << open.error().toString();
  EXPECT_EQ(open->stream, nullptr);
  EXPECT_EQ(open->response.status, 410);
  EXPECT_NE(open->response.body.find("Expired"), std::string::npos);
}

TEST(MakeHttpTransport, RejectsBadConfiguration) {
  ClusterConfig c;
  c.server = "ftp://example";
  EXPECT_FALSE(makeHttpTransport(c).ok());
  c.server = "https://127.0.0.1:1";
  c.certificateAuthorityPem = "not a certificate";
  Result<TransportPtr> t = makeHttpTransport(c);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::Config);
  c.certificateAuthorityPem.clear();
  c.token = "a";
  c.tokenFile = "/b";
  EXPECT_FALSE(makeHttpTransport(c).ok());
}

}  // namespace
}  // namespace tro::kube::transport
