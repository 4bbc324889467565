// HttpTransportOptions::abortReads against a real HTTPS server on 127.0.0.1: a read the server
// holds, a watch being opened and a watch being read all return Cancelled as soon as reads are
// aborted (a shutdown must not wait on a hung API server), while writes still go through.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stop_token>
#include <thread>

#include "https_test_server.h"
#include "operator/kube/transport/cpprest_transport.h"
#include "test_pki.h"
#include "tests/support/eventually.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using testing::HttpsTestServer;
using testing::testPki;

HttpRequest request(std::string method, std::string path) {
  return HttpRequest{std::move(method), std::move(path), {}, {}, ""};
}

class AbortReadsTest : public ::testing::Test {
 protected:
  AbortReadsTest() : server_(testPki().serverCertFile, testPki().serverKeyFile) {}
  ~AbortReadsTest() override { server_.release(); }

  TransportPtr transport() {
    ClusterConfig c;
    c.server = server_.url();
    c.certificateAuthorityPem = testPki().caPem;
    HttpTransportOptions options;
    options.abortReads = abort_.get_token();
    Result<TransportPtr> t = makeHttpTransport(c, options);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().toString());
    return t.ok() ? std::move(t).value() : nullptr;
  }
  // Waits (10 s deadline) until the server has received `count` requests.
  bool serverSaw(size_t count) {
    return tro::testing::eventually([&] { return server_.seen().size() >= count; }, 10s);
  }

  HttpsTestServer server_;
  std::stop_source abort_;
};

TEST_F(AbortReadsTest, AHeldGetReturnsCancelledWhenReadsAreAborted) {
  auto t = transport();
  auto result =
      std::async(std::launch::async, [&] { return t->send(request("GET", "/hang"), 60s); });
  ASSERT_TRUE(serverSaw(1));
  EXPECT_EQ(result.wait_for(100ms), std::future_status::timeout) << "the server should hold it";
  abort_.request_stop();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready) << "the GET was not abandoned";
  Result<HttpResponse> r = result.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::Cancelled) << r.error().toString();
}

TEST_F(AbortReadsTest, AWatchBeingOpenedReturnsCancelled) {
  auto t = transport();
  auto result = std::async(std::launch::async, [&] { return t->stream(request("GET", "/hang")); });
  ASSERT_TRUE(serverSaw(1));
  abort_.request_stop();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready) << "the watch open was not abandoned";
  Result<StreamOpen> open = result.get();
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().kind, ErrorKind::Cancelled) << open.error().toString();
}

TEST_F(AbortReadsTest, AnOpenWatchReturnsCancelled) {
  auto t = transport();
  Result<StreamOpen> open = t->stream(request("GET", "/watch"));
  ASSERT_TRUE(open.ok()) << open.error().toString();
  ASSERT_NE(open->stream, nullptr);
  ASSERT_TRUE(server_.waitForWatch());
  LineStream& stream = *open->stream;
  auto result = std::async(std::launch::async, [&] { return stream.nextLine(); });
  abort_.request_stop();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready) << "nextLine() was not unblocked";
  Result<std::optional<std::string>> line = result.get();
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().kind, ErrorKind::Cancelled) << line.error().toString();
  server_.endWatch();
}

TEST_F(AbortReadsTest, AfterAbortReadsFailAtOnceAndWritesStillGo) {
  auto t = transport();
  abort_.request_stop();
  Result<HttpResponse> read = t->send(request("GET", "/ok"), 5s);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ErrorKind::Cancelled);
  Result<StreamOpen> watch = t->stream(request("GET", "/watch"));
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.error().kind, ErrorKind::Cancelled);
  EXPECT_TRUE(server_.seen().empty()) << "an aborted read was sent";

  Result<HttpResponse> write = t->send(request("PUT", "/ok"), 5s);
  ASSERT_TRUE(write.ok()) << write.error().toString();
  EXPECT_EQ(write->status, 200);
  ASSERT_EQ(server_.seen().size(), 1u);
  EXPECT_EQ(server_.seen()[0].method, "PUT");
}

TEST_F(AbortReadsTest, WithoutAbortReadsWork) {
  Result<HttpResponse> r = transport()->send(request("GET", "/ok"), 5s);
  ASSERT_TRUE(r.ok()) << r.error().toString();
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace tro::kube::transport
