// The production client end to end against a minimal HTTP server on 127.0.0.1: address prefix,
// query encoding, bearer token from a file, and error classification over a real socket.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "controllers/analysis/prometheus_http.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;

int listenOnLoopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0)
    return -1;
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

// Answers every request with one canned response and records each request head.
class LoopbackServer {
 public:
  LoopbackServer(int status, std::string body) : status_(status), body_(std::move(body)) {
    fd_ = listenOnLoopback(port_);
    thread_ = std::jthread([this](std::stop_token stop) { serve(stop); });
  }
  ~LoopbackServer() {
    thread_.request_stop();
    thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> heads() {
    std::lock_guard l(mu_);
    return heads_;
  }

 private:
  void serve(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;  // re-check stop; not a synchronisation sleep
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(conn, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard l(mu_);
        heads_.push_back(head);
      }
      std::string out = "HTTP/1.1 " + std::to_string(status_) +
                        " X\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        "Content-Length: " +
                        std::to_string(body_.size()) + "\r\n\r\n" + body_;
      ssize_t written = ::write(conn, out.data(), out.size());
      (void)written;
      ::close(conn);
    }
  }

  int status_;
  std::string body_;
  int fd_ = -1;
  int port_ = 0;
  std::mutex mu_;
  std::vector<std::string> heads_;  // guarded by mu_
  std::jthread thread_;
};

std::string tempFile(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::ofstream(path) << content;
  return path.string();
}

AnalysisSpec spec(const std::string& address) {
  AnalysisSpec s;
  s.prometheusAddress = address;
  s.timeout = 5s;
  return s;
}

TEST(AnalysisPrometheusHttpTest, QueriesThroughPrefixWithBearerToken) {
  LoopbackServer server(200, R"({"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"deployment":"web"},"value":[1795240800,"0.5"]}]}})");
  ASSERT_TRUE(server.ok());
  AnalysisSpec s = spec(server.url() + "/prom/");
  s.bearerTokenFile = tempFile("analysis-token", "s3cret\n");
  auto client = makePrometheusClient(s);
  ASSERT_TRUE(client.ok()) << client.error().toString();
  auto result = (*client)->query("up{job=\"a b\"}", std::nullopt);
  ASSERT_TRUE(result.ok()) << result.error().toString();
  ASSERT_EQ(result->samples.size(), 1u);
  EXPECT_EQ(result->samples[0].value, 0.5);
  auto heads = server.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].rfind("GET /prom/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D&timeout=5s "
                           "HTTP/1.1\r\n",
                           0),
            0u)
      << heads[0];
  // cpprestsdk writes "Authorization:Bearer ..." without the optional space.
  EXPECT_NE(heads[0].find("Bearer s3cret\r\n"), std::string::npos) << heads[0];
  EXPECT_NE(heads[0].find("Authorization:"), std::string::npos) << heads[0];
  std::filesystem::remove(s.bearerTokenFile);
}

TEST(AnalysisPrometheusHttpTest, ClassifiesPrometheusErrors) {
  LoopbackServer server(400, R"({"status":"error","errorType":"bad_data","error":"parse error"})");
  ASSERT_TRUE(server.ok());
  auto client = makePrometheusClient(spec(server.url()));
  ASSERT_TRUE(client.ok());
  auto result = (*client)->query("up{", std::nullopt);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, PrometheusError::Kind::Prometheus);
  EXPECT_EQ(result.error().errorType, "bad_data");
  EXPECT_EQ(result.error().httpStatus, 400);
}

TEST(AnalysisPrometheusHttpTest, NobodyListeningIsUnreachable) {
  int port = 0;
  int fd = listenOnLoopback(port);
  ASSERT_GE(fd, 0);
  ::close(fd);  // the port is now (almost certainly) closed
  auto client = makePrometheusClient(spec("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_TRUE(client.ok());
  auto alerts = (*client)->alerts();
  ASSERT_FALSE(alerts.ok());
  EXPECT_EQ(alerts.error().kind, PrometheusError::Kind::Unreachable) << alerts.error().toString();
}

TEST(AnalysisPrometheusHttpTest, BadConfigurationIsAConfigError) {
  AnalysisSpec badCa = spec("https://prometheus:9090");
  badCa.caFile = "/nonexistent/ca.pem";
  auto a = makePrometheusClient(badCa);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, PrometheusError::Kind::Config);
  EXPECT_NE(a.error().message.find("/nonexistent/ca.pem"), std::string::npos);

  auto b = makePrometheusClient(spec("ftp://prometheus:9090"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind, PrometheusError::Kind::Config);

  AnalysisSpec badToken = spec("http://127.0.0.1:1");
  badToken.bearerTokenFile = "/nonexistent/token";
  auto c = makePrometheusClient(badToken);
  ASSERT_TRUE(c.ok());  // the token file is read per request, so rotation is picked up
  auto r = (*c)->query("up", std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, PrometheusError::Kind::Config) << r.error().toString();
}

}  // namespace
}  // namespace tro::controllers::analysis
