#include "kubesim/http/server.h"

#include <cpprest/http_listener.h>
#include <algorithm>
#include <boost/asio/ssl.hpp>
#include <cctype>
#include <chrono>
#include <exception>
#include <list>
#include <mutex>

#include "kubesim/http/free_port.h"
#include "kubesim/http/protobuf_body.h"
#include "kubesim/http/request_target.h"
#include "kubesim/http/watch_stream.h"

namespace kubesim::http {

namespace listener = web::http::experimental::listener;
using tro::base::fail;

namespace {

constexpr int kOpenAttempts = 5;
constexpr std::chrono::milliseconds kStopDrainLimit{2000};  // for all open watches together

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string headerOf(const api::Response& response, const std::string& name) {
  for (const auto& [n, v] : response.headers) {
    if (lower(n) == lower(name)) return v;
  }
  return {};
}

void configureTls(boost::asio::ssl::context& ctx, const TlsMaterial& tls) {
  ctx.set_options(boost::asio::ssl::context::default_workarounds |
                  boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                  boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
  ctx.use_certificate_chain(boost::asio::buffer(tls.serverCertPem));
  ctx.use_private_key(boost::asio::buffer(tls.serverKeyPem), boost::asio::ssl::context::pem);
}

std::string hostForUrl(const std::string& bind) {
  return bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Backend& backend, const tro::base::Clock& clock, Logger& log)
      : options_(std::move(options)), backend_(backend), clock_(clock), log_(log) {}
  ~Impl() { stop(); }

  tro::base::Result<void, std::string> open();
  void stop();
  std::uint16_t port() const { return port_; }
  std::string url() const {
    return std::string(options_.plainHttp ? "http" : "https") + "://" + hostForUrl(options_.bind) +
           ":" + std::to_string(port_);
  }
  std::size_t activeWatches() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& w : watches_) n += w->done() ? 0 : 1;
    return n;
  }

 private:
  tro::base::Result<void, std::string> openOn(std::uint16_t port);
  void onRequest(web::http::http_request request);
  void serve(web::http::http_request& request);
  api::Request decode(const web::http::http_request& request) const;
  // Reads the body within the limit; nullopt when it is too large.
  std::optional<std::string> readBody(web::http::http_request& request) const;
  void reply(web::http::http_request& request, const api::Response& response) const;
  void serveWatch(web::http::http_request& request, const api::Request& apiRequest);

  const ServerOptions options_;
  Backend& backend_;
  const tro::base::Clock& clock_;
  Logger& log_;
  std::uint16_t port_ = 0;
  std::unique_ptr<listener::http_listener> listener_;

  mutable std::mutex mutex_;
  bool stopping_ = false;                            // guarded by mutex_
  std::list<std::unique_ptr<WatchStream>> watches_;  // guarded by mutex_
};

tro::base::Result<void, std::string> Server::Impl::open() {
  if (!options_.plainHttp) {
    try {  // fail at start, not on the first connection, when the material is unusable
      boost::asio::ssl::context probe(boost::asio::ssl::context::tls_server);
      configureTls(probe, options_.tls);
    } catch (const std::exception& e) {
      return fail(std::string("loading TLS certificate and key: ") + e.what());
    }
  }
  std::string lastError;
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    std::uint16_t port = options_.port;
    if (port == 0) {
      auto free = findFreePort(options_.bind);
      if (!free) return fail(free.error());
      port = *free;
    }
    auto opened = openOn(port);
    if (opened) return {};
    lastError = opened.error();
    if (options_.port != 0) break;  // a fixed port will not become free by retrying
  }
  return fail(lastError);
}

tro::base::Result<void, std::string> Server::Impl::openOn(std::uint16_t port) {
  port_ = port;
  listener::http_listener_config config;
  config.set_timeout(utility::seconds(3600));
  if (!options_.plainHttp) {
    config.set_ssl_context_callback(
        [tls = options_.tls](boost::asio::ssl::context& ctx) { configureTls(ctx, tls); });
  }
  try {
    listener_ =
        std::make_unique<listener::http_listener>(utility::conversions::to_string_t(url()), config);
    listener_->support([this](web::http::http_request request) { onRequest(request); });
    listener_->open().wait();
    return {};
  } catch (const std::exception& e) {
    listener_.reset();
    return fail("listening on " + url() + ": " + e.what());
  }
}

void Server::Impl::stop() {
  std::list<std::unique_ptr<WatchStream>> streams;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    streams.swap(watches_);
  }
  for (auto& s : streams) s->requestStop();
  // Each pump closes its body; the last chunk then goes out asynchronously. Closing the listener
  // first would cut it off, so a client would see a broken stream instead of a clean end.
  const auto drainUntil = std::chrono::steady_clock::now() + kStopDrainLimit;
  for (auto& s : streams) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        drainUntil - std::chrono::steady_clock::now());
    if (!s->waitSent(std::max(left, std::chrono::milliseconds(0)))) {
      log_.log(LogLevel::Debug, "a watch response was still being sent at stop");
    }
  }
  streams.clear();  // joins every pump thread
  if (listener_) {
    try {
      listener_->close().wait();
    } catch (const std::exception& e) {
      log_.log(LogLevel::Error, std::string("closing listener: ") + e.what());
    }
  }
}

void Server::Impl::onRequest(web::http::http_request request) {
  try {
    serve(request);
  } catch (const std::exception& e) {
    log_.log(LogLevel::Error, std::string("request failed: ") + e.what());
    try {
      reply(request, internalErrorResponse(e.what()));
    } catch (const std::exception& again) {  // typically: the client is already gone
      log_.log(LogLevel::Debug, std::string("could not answer: ") + again.what());
    }
  }
}

void Server::Impl::serve(web::http::http_request& request) {
  api::Request apiRequest = decode(request);
  const TokenReviewer review = [this](const std::string& token) {
    return backend_.authenticate(token);
  };
  if (auto early = frontResponse(apiRequest, options_.front, review)) {
    reply(request, *early);
    return;
  }
  auto body = readBody(request);
  if (!body) {
    reply(request, tooLargeResponse(options_.front.maxBodyBytes));
    return;
  }
  apiRequest.body = std::move(*body);
  if (auto kept = transcodeProtobufRequest(apiRequest)) {
    if (!kept->unsupportedKind) {
      reply(request, undecodableBodyResponse(kept->message));
      return;
    }
    log_.log(LogLevel::Debug, "protobuf body passed on untranscoded: " + kept->message);
  }
  if (backend_.isWatch(apiRequest)) {
    serveWatch(request, apiRequest);
    return;
  }
  reply(request, backend_.handle(apiRequest));
}

api::Request Server::Impl::decode(const web::http::http_request& request) const {
  const web::uri& uri = request.request_uri();
  std::string target = utility::conversions::to_utf8string(uri.path());
  if (!uri.query().empty()) target += "?" + utility::conversions::to_utf8string(uri.query());
  RequestTarget parsed = parseRequestTarget(target);
  api::Request out;
  out.method = utility::conversions::to_utf8string(request.method());
  out.path = std::move(parsed.path);
  out.query = std::move(parsed.query);
  for (const auto& [name, value] : request.headers()) {
    out.headers[lower(utility::conversions::to_utf8string(name))] =
        utility::conversions::to_utf8string(value);
  }
  return out;
}

std::optional<std::string> Server::Impl::readBody(web::http::http_request& request) const {
  const std::size_t limit = options_.front.maxBodyBytes;
  if (request.headers().content_length() > limit) return std::nullopt;
  std::vector<unsigned char> bytes = request.extract_vector().get();
  if (bytes.size() > limit) return std::nullopt;
  return std::string(bytes.begin(), bytes.end());
}

void Server::Impl::reply(web::http::http_request& request, const api::Response& response) const {
  log_.log(LogLevel::Debug, request.method() + " " + request.request_uri().to_string() + " -> " +
                                std::to_string(response.status));
  web::http::http_response out(static_cast<web::http::status_code>(response.status));
  std::string contentType = headerOf(response, "Content-Type");
  if (contentType.empty()) contentType = "application/json";
  out.set_body(response.body, contentType);
  out.headers().set_content_type(contentType);
  for (const auto& [name, value] : response.headers) {
    if (lower(name) != "content-type") out.headers().add(name, value);
  }
  request.reply(out).wait();
}

void Server::Impl::serveWatch(web::http::http_request& request, const api::Request& apiRequest) {
  auto watch = backend_.watch(apiRequest);
  if (!watch) {
    reply(request, api::Response{watch.error().code,
                                 {{"Content-Type", "application/json"}},
                                 watch.error().toStatus().dump()});
    return;
  }
  WatchStream::Buffer body;
  web::http::http_response out(web::http::status_codes::OK);
  out.set_body(concurrency::streams::istream(body), "application/json");
  out.headers().set_content_type("application/json");
  const auto now = clock_.monotonicNow();
  WatchStream::Limits limits{now + options_.maxWatchDuration, options_.stalledWatchLimit};
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      (*watch)->cancel();
      reply(request, internalErrorResponse("the server is shutting down"));
      return;
    }
    watches_.remove_if([](const auto& w) { return w->done(); });  // joins finished pumps
    watches_.push_back(
        std::make_unique<WatchStream>(std::move(*watch), body, limits, clock_, log_));
    watches_.back()->attachReply(request.reply(out));
  }
  log_.log(LogLevel::Debug, "WATCH " + request.request_uri().to_string());
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

tro::base::Result<std::unique_ptr<Server>, std::string> Server::start(ServerOptions options,
                                                                      Backend& backend,
                                                                      const tro::base::Clock& clock,
                                                                      Logger& log) {
  auto impl = std::make_unique<Impl>(std::move(options), backend, clock, log);
  if (auto opened = impl->open(); !opened) return fail(opened.error());
  return std::make_unique<Server>(std::move(impl));
}

std::uint16_t Server::port() const { return impl_->port(); }
std::string Server::url() const { return impl_->url(); }
std::size_t Server::activeWatches() const { return impl_->activeWatches(); }
void Server::stop() { impl_->stop(); }

}  // namespace kubesim::http
