#include "https_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpprest/http_listener.h>
#include <cpprest/producerconsumerstream.h>
#include <boost/asio/ssl/context.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace tro::kube::transport::testing {

namespace http = web::http;
using Buffer = concurrency::streams::producer_consumer_buffer<uint8_t>;

int unusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct HttpsTestServer::Impl {
  std::string url;
  std::optional<http::experimental::listener::http_listener> listener;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<SeenRequest> seen;
  std::optional<Buffer> watch;
  std::vector<http::http_request> hanging;
  // Every reply in flight. Teardown waits for them before it closes the listener: cpprest's
  // server must not be stopped while a connection is still writing (or, after a keep-alive
  // reply, reading the next request of a client that has gone), or a pool thread answers that
  // request through a server object already deleted (a rare SEGFAULT under load). Replies also
  // close their connection, so no connection waits for a next request.
  std::vector<pplx::task<void>> replies;

  void reply(http::http_request& request, http::http_response response) {
    response.headers().add("Connection", "close");
    replies.push_back(request.reply(response));
  }

  void handle(http::http_request request) {
    const std::vector<unsigned char> body = request.extract_vector().get();
    SeenRequest s{request.method(),
                  request.relative_uri().path(),
                  request.relative_uri().query(),
                  std::string(body.begin(), body.end()),
                  {}};
    for (const auto& [name, value] : request.headers()) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      s.headers[lower] = value;
    }
    std::unique_lock lock(mu);
    seen.push_back(s);
    if (s.path == "/ok") {
      http::http_response response(http::status_codes::OK);
      response.headers().add("X-Custom", "yes");
      response.set_body(std::string("hello"), "text/plain");
      reply(request, response);
    } else if (s.path == "/gone") {
      http::http_response response(http::status_codes::Gone);
      response.set_body(std::string(R"({"kind":"Status","code":410,"reason":"Expired"})"),
                        "application/json");
      reply(request, response);
    } else if (s.path == "/watch") {
      watch.emplace();
      http::http_response response(http::status_codes::OK);
      response.set_body(concurrency::streams::istream(watch->create_istream()), "application/json");
      reply(request, response);
      cv.notify_all();
    } else if (s.path == "/hang") {
      hanging.push_back(request);
    } else {
      reply(request, http::http_response(http::status_codes::NotFound));
    }
  }
};

HttpsTestServer::HttpsTestServer(const std::string& certFile, const std::string& keyFile)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = "https://127.0.0.1:" + std::to_string(unusedPort());
  http::experimental::listener::http_listener_config config;
  config.set_ssl_context_callback([certFile, keyFile](boost::asio::ssl::context& ctx) {
    ctx.set_options(boost::asio::ssl::context::default_workarounds);
    ctx.use_certificate_chain_file(certFile);
    ctx.use_private_key_file(keyFile, boost::asio::ssl::context::pem);
  });
  impl_->listener.emplace(web::uri(impl_->url), config);
  impl_->listener->support([impl = impl_.get()](http::http_request r) { impl->handle(r); });
  impl_->listener->open().wait();
}

HttpsTestServer::~HttpsTestServer() {
  release();
  endWatch();
  std::vector<pplx::task<void>> replies;
  {
    std::lock_guard lock(impl_->mu);
    replies.swap(impl_->replies);
  }
  for (auto& sent : replies) {
    try {
      sent.wait();
    } catch (const std::exception&) {
      // The client went away before the reply was written (an aborted read): nothing to wait for.
    }
  }
  impl_->listener->close().wait();
}

std::string HttpsTestServer::url() const { return impl_->url; }

std::vector<SeenRequest> HttpsTestServer::seen() {
  std::lock_guard lock(impl_->mu);
  return impl_->seen;
}

bool HttpsTestServer::waitForWatch() {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, std::chrono::seconds(10),
                            [this] { return impl_->watch.has_value(); });
}

void HttpsTestServer::pushLine(const std::string& line) {
  std::lock_guard lock(impl_->mu);
  const std::string data = line + "\n";
  impl_->watch->putn_nocopy(reinterpret_cast<const uint8_t*>(data.data()), data.size()).wait();
  impl_->watch->sync().wait();  // hand the bytes to the listener now, as one chunk
}

void HttpsTestServer::endWatch() {
  std::lock_guard lock(impl_->mu);
  if (impl_->watch) impl_->watch->close(std::ios_base::out).wait();
}

void HttpsTestServer::release() {
  std::vector<http::http_request> pending;
  {
    std::lock_guard lock(impl_->mu);
    pending.swap(impl_->hanging);
  }
  for (auto& r : pending) {
    http::http_response response(http::status_codes::OK);
    response.headers().add("Connection", "close");
    try {
      r.reply(response).wait();
    } catch (const std::exception&) {
      // The client gave up on the held request (an aborted read): nothing to answer.
    }
  }
}

}  // namespace tro::kube::transport::testing
