// Server over real loopback sockets with a fake Backend: HTTPS with the generated CA, auth, body
// limit, pass-through of request and response values, and chunked watch streaming (per-line
// flush, end on finish/stop/deadline/vanished client). Time-based limits use a SimulatedClock.

#include "kubesim/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "tests/support/eventually.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <boost/asio/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <nlohmann/json.hpp>

#include "operator/base/simulated_clock.h"

namespace kubesim::http {
namespace {

using namespace std::chrono_literals;
using web::http::methods;
using web::http::client::http_client;
using web::http::client::http_client_config;

constexpr auto kDeadline = 20s;

// State shared by the test and the FakeWatch the server owns.
struct WatchState {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> lines;
  bool finished = false;
  bool cancelled = false;

  void push(std::string line) {
    std::lock_guard l(mu);
    lines.push_back(std::move(line));
    cv.notify_all();
  }
  void finish() {
    std::lock_guard l(mu);
    finished = true;
    cv.notify_all();
  }
  bool waitCancelled() {
    std::unique_lock l(mu);
    return cv.wait_for(l, kDeadline, [&] { return cancelled; });
  }
};

class FakeWatch final : public api::Watch {
 public:
  explicit FakeWatch(std::shared_ptr<WatchState> s) : s_(std::move(s)) {}
  std::optional<std::string> nextLine(std::chrono::milliseconds wait) override {
    std::unique_lock l(s_->mu);
    s_->cv.wait_for(l, wait, [&] { return !s_->lines.empty() || s_->finished || s_->cancelled; });
    if (s_->lines.empty() || s_->cancelled) return std::nullopt;
    std::string line = std::move(s_->lines.front());
    s_->lines.pop_front();
    return line;
  }
  bool finished() const override {
    std::lock_guard l(s_->mu);
    return s_->cancelled || (s_->finished && s_->lines.empty());
  }
  void cancel() override {
    std::lock_guard l(s_->mu);
    s_->cancelled = true;
    s_->cv.notify_all();
  }

 private:
  std::shared_ptr<WatchState> s_;
};

class FakeBackend final : public Backend {
 public:
  api::Response handle(const api::Request& request) override {
    std::lock_guard l(mu_);
    requests_.push_back(request);
    if (request.path == "/throw") throw std::runtime_error("backend exploded");
    return response_;
  }
  bool isWatch(const api::Request& request) override { return request.query.count("watch") > 0; }
  Result<api::WatchPtr> watch(const api::Request& request) override {
    std::lock_guard l(mu_);
    requests_.push_back(request);
    if (watchError_) return fail(*watchError_);
    return api::WatchPtr(std::make_unique<FakeWatch>(watchState_));
  }

  std::mutex mu_;
  std::vector<api::Request> requests_;  // guarded by mu_
  api::Response response_{200, {{"Content-Type", "application/json"}}, "{}"};
  std::optional<ApiError> watchError_;
  std::shared_ptr<WatchState> watchState_ = std::make_shared<WatchState>();
};

class ServerTest : public ::testing::Test {
 protected:
  void startServer(bool plainHttp) {
    auto tls = generateTlsMaterial(std::chrono::system_clock::now());
    ASSERT_TRUE(tls.ok());
    tls_ = *tls;
    ServerOptions options;
    options.plainHttp = plainHttp;
    options.tls = tls_;
    options.front = FrontOptions{"tok", 1024};
    options.maxWatchDuration = 60s;
    options.stalledWatchLimit = 10s;
    auto server = Server::start(options, backend_, clock_, log_);
    ASSERT_TRUE(server.ok()) << server.error();
    server_ = std::move(*server);
  }

  http_client client(bool trustCa = true) {
    http_client_config config;
    config.set_timeout(std::chrono::seconds(20));
    if (trustCa) {
      config.set_ssl_context_callback([ca = tls_.caCertPem](boost::asio::ssl::context& ctx) {
        ctx.add_certificate_authority(boost::asio::buffer(ca));
      });
    }
    return http_client(server_->url(), config);
  }

  web::http::http_response send(const web::http::method& method, const std::string& target,
                                const std::string& token = "tok", const std::string& body = "",
                                const std::string& contentType = "application/json") {
    web::http::http_request request(method);
    request.set_request_uri(target);
    if (!token.empty()) request.headers().add("Authorization", "Bearer " + token);
    if (!body.empty()) request.set_body(body, contentType);
    return client().request(request).get();
  }

  tro::base::SimulatedClock clock_;
  Logger log_{LogLevel::Error};
  FakeBackend backend_;
  TlsMaterial tls_;
  std::unique_ptr<Server> server_;
};

// Reads one line of a streamed body, failing the test instead of hanging.
std::optional<std::string> readLine(concurrency::streams::istream& body) {
  auto task = std::async(std::launch::async, [&body] {
    concurrency::streams::container_buffer<std::string> line;
    const std::size_t n = body.read_line(line).get();
    return std::make_pair(n, line.collection());
  });
  if (task.wait_for(kDeadline) != std::future_status::ready) {
    ADD_FAILURE() << "no line within the deadline";
    body.close().wait();
    return std::nullopt;
  }
  auto [n, text] = task.get();
  if (n == 0 && body.is_eof()) return std::nullopt;
  return text;
}

TEST_F(ServerTest, ServesHttpsVerifiedByTheGeneratedCa) {
  startServer(false);
  EXPECT_EQ(server_->url(), "https://127.0.0.1:" + std::to_string(server_->port()));
  auto response = send(methods::GET, "/version", "");
  EXPECT_EQ(response.status_code(), 200);
  EXPECT_EQ(nlohmann::json::parse(response.extract_utf8string().get())["minor"], "32");
  EXPECT_THROW(client(false).request(methods::GET, "/version").get(), std::exception);
}

TEST_F(ServerTest, RejectsMissingAndWrongTokensWith401Status) {
  startServer(false);
  for (const std::string token : {"", "wrong"}) {
    auto response = send(methods::GET, "/api/v1/namespaces", token);
    EXPECT_EQ(response.status_code(), 401);
    auto status = nlohmann::json::parse(response.extract_utf8string().get());
    EXPECT_EQ(status["reason"], "Unauthorized");
    EXPECT_EQ(status["code"], 401);
  }
  std::lock_guard l(backend_.mu_);
  EXPECT_TRUE(backend_.requests_.empty());
}

TEST_F(ServerTest, PassesDecodedRequestsAndResponsesThrough) {
  startServer(false);
  backend_.response_ = {201,
                        {{"Content-Type", "application/json"}, {"Warning", "299 - \"careful\""}},
                        R"({"kind":"ConfigMap"})"};
  auto response = send(methods::POST,
                       "/api/v1/namespaces/default/configmaps?fieldManager=a%20b&labelSelector="
                       "app%3Dweb",
                       "tok", R"({"kind":"ConfigMap"})");
  EXPECT_EQ(response.status_code(), 201);
  EXPECT_EQ(response.headers().content_type(), "application/json");
  EXPECT_EQ(response.headers()["Warning"], "299 - \"careful\"");
  EXPECT_EQ(response.extract_utf8string().get(), R"({"kind":"ConfigMap"})");

  std::lock_guard l(backend_.mu_);
  ASSERT_EQ(backend_.requests_.size(), 1u);
  const api::Request& seen = backend_.requests_[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/api/v1/namespaces/default/configmaps");
  EXPECT_EQ(seen.query, (std::multimap<std::string, std::string>{{"fieldManager", "a b"},
                                                                 {"labelSelector", "app=web"}}));
  EXPECT_EQ(seen.headers.at("content-type"), "application/json");
  EXPECT_EQ(seen.body, R"({"kind":"ConfigMap"})");
}

TEST_F(ServerTest, OversizedBodyIs413AndNeverReachesTheBackend) {
  startServer(false);
  auto response = send(methods::POST, "/api/v1/namespaces", "tok", std::string(2000, ' '));
  EXPECT_EQ(response.status_code(), 413);
  EXPECT_EQ(nlohmann::json::parse(response.extract_utf8string().get())["reason"],
            "RequestEntityTooLarge");
  std::lock_guard l(backend_.mu_);
  EXPECT_TRUE(backend_.requests_.empty());
}

// A protobuf body that does not decode is the front's 400; a well-formed one of a kind without a
// table goes on as it came (the API core answers 415); neither is misread.
TEST_F(ServerTest, MalformedProtobufIs400AndAnUnknownKindIsPassedOnUnread) {
  startServer(false);
  const std::string truncated("k8s\0\x0a\x15\x0a\x07", 8);
  auto response = send(methods::POST, "/api/v1/namespaces", "tok", truncated,
                       "application/vnd.kubernetes.protobuf");
  EXPECT_EQ(response.status_code(), 400);
  auto status = nlohmann::json::parse(response.extract_utf8string().get());
  EXPECT_EQ(status["reason"], "BadRequest");
  EXPECT_NE(status["message"].get<std::string>().find("malformed protobuf envelope"),
            std::string::npos)
      << status;
  {
    std::lock_guard l(backend_.mu_);
    EXPECT_TRUE(backend_.requests_.empty());
  }
  // typeMeta {apiVersion: "x/v1", kind: "Gadget"}, raw empty.
  const std::string gadget("k8s\0\x0a\x0e\x0a\x04x/v1\x12\x06Gadget", 20);
  backend_.response_ = {415, {{"Content-Type", "application/json"}}, "{}"};
  EXPECT_EQ(send(methods::POST, "/apis/x/v1/gadgets", "tok", gadget,
                 "application/vnd.kubernetes.protobuf")
                .status_code(),
            415);
  std::lock_guard l(backend_.mu_);
  ASSERT_EQ(backend_.requests_.size(), 1u);
  EXPECT_EQ(backend_.requests_[0].body, gadget);
  EXPECT_EQ(backend_.requests_[0].headers.at("content-type"),
            "application/vnd.kubernetes.protobuf");
}

TEST_F(ServerTest, BackendExceptionBecomes500AndServerKeepsServing) {
  startServer(false);
  auto response = send(methods::GET, "/throw");
  EXPECT_EQ(response.status_code(), 500);
  EXPECT_EQ(nlohmann::json::parse(response.extract_utf8string().get())["reason"], "InternalError");
  EXPECT_EQ(send(methods::GET, "/api").status_code(), 200);
}

TEST_F(ServerTest, WatchErrorIsAStatusResponse) {
  startServer(false);
  backend_.watchError_ = ApiError{404,
                                  "NotFound",
                                  "the server could not find the requested "
                                  "resource",
                                  {},
                                  {},
                                  {},
                                  {},
                                  {}};
  auto response = send(methods::GET, "/apis/x/v1/things?watch=1");
  EXPECT_EQ(response.status_code(), 404);
  EXPECT_EQ(nlohmann::json::parse(response.extract_utf8string().get())["reason"], "NotFound");
}

TEST_F(ServerTest, WatchStreamsEachLineAsSoonAsItExistsThenEnds) {
  startServer(false);
  auto state = backend_.watchState_;
  auto response = send(methods::GET, "/api/v1/namespaces?watch=1");
  ASSERT_EQ(response.status_code(), 200);  // headers arrive before any event
  EXPECT_EQ(response.headers().content_type(), "application/json");
  auto body = response.body();
  state->push(R"({"type":"ADDED","object":{"n":1}})");
  EXPECT_EQ(readLine(body), R"({"type":"ADDED","object":{"n":1}})");
  state->push(R"({"type":"MODIFIED","object":{"n":2}})");  // produced only after line 1 arrived
  EXPECT_EQ(readLine(body), R"({"type":"MODIFIED","object":{"n":2}})");
  state->finish();
  EXPECT_EQ(readLine(body), std::nullopt);
}

TEST_F(ServerTest, StopEndsOpenWatches) {
  startServer(false);
  auto response = send(methods::GET, "/api/v1/namespaces?watch=1");
  ASSERT_EQ(response.status_code(), 200);
  auto body = response.body();
  backend_.watchState_->push("{}");
  EXPECT_EQ(readLine(body), "{}");
  EXPECT_EQ(server_->activeWatches(), 1u);
  server_->stop();
  EXPECT_TRUE(backend_.watchState_->waitCancelled());
  EXPECT_EQ(readLine(body), std::nullopt);
}

TEST_F(ServerTest, WatchEndsAtMaxDuration) {
  startServer(false);
  auto response = send(methods::GET, "/api/v1/namespaces?watch=1");
  ASSERT_EQ(response.status_code(), 200);
  auto body = response.body();
  backend_.watchState_->push("{}");
  EXPECT_EQ(readLine(body), "{}");
  clock_.advance(61s);
  EXPECT_TRUE(backend_.watchState_->waitCancelled());
  EXPECT_EQ(readLine(body), std::nullopt);
}

// A raw plain-HTTP client: shows the chunked framing, then vanishes mid-stream.
TEST_F(ServerTest, WatchOfAVanishedClientIsCancelled) {
  startServer(true);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request =
      "GET /api/v1/pods?watch=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n\r\n";
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  backend_.watchState_->push(R"({"type":"ADDED"})");
  std::string received;
  char buf[4096];
  while (received.find("ADDED") == std::string::npos) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0) << received;
    received.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_NE(received.find("Transfer-Encoding: chunked"), std::string::npos) << received;
  ::close(fd);

  // Keep producing while time passes until the server notices nobody reads any more.
  const auto giveUp = std::chrono::steady_clock::now() + kDeadline;
  bool cancelled = false;
  while (!cancelled && std::chrono::steady_clock::now() < giveUp) {
    backend_.watchState_->push(R"({"type":"MODIFIED"})");
    clock_.advance(3s);
    std::unique_lock l(backend_.watchState_->mu);
    cancelled = backend_.watchState_->cv.wait_for(l, 200ms,
                                                  [&] { return backend_.watchState_->cancelled; });
  }
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(tro::testing::eventually([&] { return server_->activeWatches() == 0; }));
}

}  // namespace
}  // namespace kubesim::http
