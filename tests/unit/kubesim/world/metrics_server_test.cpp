#include "kubesim/world/metrics_server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kubesim/world/world.h"
#include "operator/base/simulated_clock.h"

namespace kubesim::world {
namespace {

// A free loopback port (bind to 0, read it back, release it).
int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Minimal HTTP/1.0 GET over loopback; returns the whole response.
std::string httpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  const std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(MetricsServerTest, ServesTheWorldsMetrics) {
  tro::base::SimulatedClock clock;
  api::ApiServer::Options o;
  o.clock = [&clock] { return clock.now(); };
  api::ApiServer server(o);
  World world(server, clock, WorldOptions{});
  const int port = freePort();
  MetricsServer metrics(world, port);
  auto started = metrics.start();
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(metrics.url(), "http://127.0.0.1:" + std::to_string(port) + "/metrics");
  const std::string resp = httpGet(port, "/metrics");
  EXPECT_NE(resp.find("200 OK"), std::string::npos) << resp;
  EXPECT_NE(resp.find("text/plain; version=0.0.4"), std::string::npos) << resp;
  EXPECT_NE(resp.find("# TYPE http_requests_total counter"), std::string::npos) << resp;
}

TEST(MetricsServerTest, PortInUseIsAnError) {
  tro::base::SimulatedClock clock;
  api::ApiServer server;
  World world(server, clock, WorldOptions{});
  const int port = freePort();
  MetricsServer first(world, port);
  ASSERT_TRUE(first.start().ok());
  MetricsServer second(world, port);
  EXPECT_FALSE(second.start().ok());
}

}  // namespace
}  // namespace kubesim::world
