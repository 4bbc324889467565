// The pushed-webhook server (Alertmanager's receiver): only a POST to its path with the right
// bearer token and a bounded Content-Length reaches the handler; every answer is counted.

#include "operator/runtime/webhook_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "tests/support/free_port.h"
#include "tests/support/http_get.h"

namespace tro::runtime {
namespace {

using testing::httpRequest;

class WebhookServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::freeLoopbackPort();
    auto server = WebhookServer::start(
        {"127.0.0.1:" + std::to_string(port_), "/alertmanager", "s3cret", 1024},
        [this](std::string_view body) -> WebhookAnswer {
          std::lock_guard lock(mu_);
          bodies_.emplace_back(body);
          if (body == "bad") return {400, "bad payload"};
          return {200, "ok"};
        },
        registry_.counter("requests_total", "test", {"result"}));
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(server).value();
  }

  double count(const std::string& result) {
    return registry_.counter("requests_total", "test", {"result"}).labels({result}).value();
  }
  size_t handled() {
    std::lock_guard lock(mu_);
    return bodies_.size();
  }

  Registry registry_;
  std::uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<std::string> bodies_;  // guarded by mu_
  std::unique_ptr<WebhookServer> server_;
};

TEST_F(WebhookServerTest, OnlyAnAuthorizedBoundedPostReachesTheHandler) {
  const std::string auth = "Authorization: Bearer s3cret\r\n";
  struct Case {
    const char* name;
    std::string method;
    std::string path;
    std::string headers;
    std::string body;
    int status;
    const char* result;
  };
  const std::vector<Case> cases = {
      {"no token", "POST", "/alertmanager", "", "{}", 401, "unauthorized"},
      {"wrong token", "POST", "/alertmanager", "Authorization: Bearer s3creT\r\n", "{}", 401,
       "unauthorized"},
      {"token as a prefix", "POST", "/alertmanager", "Authorization: Bearer s3cret-more\r\n", "{}",
       401, "unauthorized"},
      {"basic auth", "POST", "/alertmanager", "Authorization: Basic czNjcmV0\r\n", "{}", 401,
       "unauthorized"},
      {"GET", "GET", "/alertmanager", auth, "", 405, "method"},
      {"other path", "POST", "/other", auth, "{}", 404, "not_found"},
      {"declared too large", "POST", "/alertmanager", auth + "Content-Length: 1025\r\n",
       std::string(1025, 'x'), 413, "too_large"},
      {"refused by the handler", "POST", "/alertmanager", auth, "bad", 400, "malformed"},
      {"accepted", "POST", "/alertmanager", auth, "{\"version\":\"4\"}", 200, "accepted"},
  };
  for (const auto& c : cases) {
    auto reply = httpRequest(port_, c.method, c.path, c.headers, c.body);
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.body;
  }
  EXPECT_EQ(handled(), 2u) << "only the last two reached the handler";
  EXPECT_EQ(count("unauthorized"), 4);
  EXPECT_EQ(count("method"), 1);
  EXPECT_EQ(count("not_found"), 1);
  EXPECT_EQ(count("too_large"), 1);
  EXPECT_EQ(count("malformed"), 1);
  EXPECT_EQ(count("accepted"), 1);
}

TEST(WebhookServerStart, RefusesAnEmptyTokenAndABadAddress) {
  Registry registry;
  auto& family = registry.counter("c", "c", {"result"});
  auto handler = [](std::string_view) { return WebhookAnswer{}; };
  EXPECT_FALSE(WebhookServer::start({"127.0.0.1:9", "/a", ""}, handler, family).ok());
  EXPECT_FALSE(WebhookServer::start({"nonsense", "/a", "t"}, handler, family).ok());
}

TEST(SameSecret, ComparesWholeValues) {
  EXPECT_TRUE(sameSecret("abc", "abc"));
  EXPECT_FALSE(sameSecret("abd", "abc"));
  EXPECT_FALSE(sameSecret("ab", "abc"));
  EXPECT_FALSE(sameSecret("abcd", "abc"));
  EXPECT_FALSE(sameSecret("", ""));
}

}  // namespace
}  // namespace tro::runtime
