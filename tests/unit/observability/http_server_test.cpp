#include "operator/runtime/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpprest/http_client.h>
#include <atomic>

namespace tro::runtime {
namespace {

// A port that was free a moment ago: bind port 0, read the port back, release it.
int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct Response {
  int status;
  std::string contentType;
  std::string body;
};

Response fetch(int port, const std::string& path) {
  web::http::client::http_client client("http://127.0.0.1:" + std::to_string(port));
  auto resp = client.request(web::http::methods::GET, path).get();
  return {resp.status_code(), resp.headers().content_type(), resp.extract_utf8string(true).get()};
}

TEST(BindAddressTest, Parses) {
  struct Case {
    std::string in;
    bool ok;
    std::string host;
    int port;
  };
  for (const auto& c : std::vector<Case>{{":8080", true, "0.0.0.0", 8080},
                                         {"127.0.0.1:8081", true, "127.0.0.1", 8081},
                                         {"localhost:9090", true, "localhost", 9090},
                                         {"[::1]:8080", true, "::1", 8080},
                                         {"8080", false, "", 0},
                                         {":0", false, "", 0},
                                         {":65536", false, "", 0},
                                         {":http", false, "", 0},
                                         {"::1:8080", false, "", 0},
                                         {"", false, "", 0}}) {
    auto r = parseBindAddress(c.in);
    ASSERT_EQ(r.ok(), c.ok) << c.in;
    if (!c.ok) {
      EXPECT_NE(r.error().find(c.in), std::string::npos) << r.error();
      continue;
    }
    EXPECT_EQ(r->host, c.host) << c.in;
    EXPECT_EQ(r->port, c.port) << c.in;
  }
}

TEST(HealthChecksTest, ReadyOnlyWhenEveryCheckPasses) {
  HealthChecks checks;
  EXPECT_TRUE(checks.evaluate().ready);
  bool synced = false;
  checks.addReadinessCheck("ping", [] { return true; });
  checks.addReadinessCheck("informers", [&] { return synced; });
  auto o = checks.evaluate();
  EXPECT_FALSE(o.ready);
  EXPECT_EQ(o.failing, std::vector<std::string>{"informers"});
  EXPECT_EQ(o.body, "[+]ping ok\n[-]informers failed\nreadyz check failed\n");
  synced = true;
  o = checks.evaluate();
  EXPECT_TRUE(o.ready);
  EXPECT_EQ(o.body, "ok\n");
}

TEST(HttpServerTest, ServesMetricsHealthAndReadiness) {
  Registry registry;
  registry.counter("hits_total", "Hits.").labels({}).inc(2);
  HealthChecks checks;
  std::atomic<bool> synced{false};
  checks.addReadinessCheck("informers", [&] { return synced.load(); });
  int port = freePort();
  auto server = HttpServer::start("127.0.0.1:" + std::to_string(port), &registry, &checks);
  ASSERT_TRUE(server.ok()) << server.error();
  EXPECT_EQ((*server)->address().port, port);

  Response m = fetch(port, "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.contentType, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(m.body, "# HELP hits_total Hits.\n# TYPE hits_total counter\nhits_total 2\n");

  Response h = fetch(port, "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "ok\n");

  Response notReady = fetch(port, "/readyz");
  EXPECT_EQ(notReady.status, 500);
  EXPECT_NE(notReady.body.find("[-]informers failed"), std::string::npos) << notReady.body;

  synced = true;
  Response ready = fetch(port, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ok\n");

  EXPECT_EQ(fetch(port, "/nope").status, 404);
}

TEST(HttpServerTest, WithoutRegistryThereIsNoMetricsRoute) {
  int port = freePort();
  auto server = HttpServer::start("127.0.0.1:" + std::to_string(port), nullptr, nullptr);
  ASSERT_TRUE(server.ok()) << server.error();
  EXPECT_EQ(fetch(port, "/metrics").status, 404);
  EXPECT_EQ(fetch(port, "/readyz").status, 200);
}

TEST(HttpServerTest, StopsListeningWhenDestroyed) {
  int port = freePort();
  {
    auto server = HttpServer::start("127.0.0.1:" + std::to_string(port), nullptr, nullptr);
    ASSERT_TRUE(server.ok()) << server.error();
    EXPECT_EQ(fetch(port, "/healthz").status, 200);
  }
  EXPECT_THROW(fetch(port, "/healthz"), web::http::http_exception);
}

TEST(HttpServerTest, PortInUseIsAnError) {
  int port = freePort();
  auto first = HttpServer::start("127.0.0.1:" + std::to_string(port), nullptr, nullptr);
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = HttpServer::start("127.0.0.1:" + std::to_string(port), nullptr, nullptr);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find(std::to_string(port)), std::string::npos) << second.error();
}

TEST(HttpServerTest, MalformedAddressIsAnError) {
  auto server = HttpServer::start("nonsense", nullptr, nullptr);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().find("nonsense"), std::string::npos);
}

}  // namespace
}  // namespace tro::runtime
