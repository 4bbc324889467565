// The only client-side file that includes cpprestsdk. Everything cpprestsdk throws is caught
// here and turned into an Error value.
#include "operator/kube/transport/cpprest_transport.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "operator/kube/base64.h"
#include "operator/kube/query.h"
#include "operator/kube/transport/bounded_sink.h"
#include "operator/kube/transport/connect_failure.h"
#include "operator/kube/transport/tls_verification.h"
#include "operator/kube/transport/token_source.h"

namespace tro::kube::transport {
namespace {

namespace http = web::http;
namespace client = web::http::client;
using std::chrono::milliseconds;

Error makeError(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

Error abortedRead(const std::string& what) {
  return makeError(ErrorKind::Cancelled, what + ": cancelled (reads aborted)");
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Failures that happen before any byte of the request reached the server. cpprestsdk (asio)
// reports a refused connect, and a broken pipe while writing the headers on a pooled connection
// the server had closed, as EHOSTUNREACH; neither request was processed.
bool isBeforeSend(const std::string& what, int code) {
  return contains(what, "Failed to connect") || contains(what, "Error resolving") ||
         contains(what, "handshake") || code == ECONNREFUSED || code == EHOSTUNREACH ||
         code == ENETUNREACH;
}

struct Shared {
  Shared(ClusterConfig c, HttpTransportOptions o)
      : config(std::move(c)), options(o), token(config.token, config.tokenFile) {}
  ClusterConfig config;
  HttpTransportOptions options;
  std::shared_ptr<TlsVerification> tls;  // null for plain http
  std::string host;                      // where requests go (IPv6 without brackets)
  int port = 0;
  TokenSource token;
};

// Maps a cpprestsdk exception to an Error; `what` names the request ("GET https://...").
Error mapFailure(const std::exception& ex, int code, Shared& shared, const std::string& what) {
  const std::string message = ex.what();
  if (code == ETIMEDOUT) {
    return makeError(ErrorKind::Timeout, what + ": timed out (" + message + ")");
  }
  if (code == ECANCELED || contains(message, "canceled") || contains(message, "cancelled")) {
    return makeError(ErrorKind::Cancelled, what + ": cancelled");
  }
  const std::string x509 = shared.tls ? shared.tls->takeFailure() : std::string();
  if (!x509.empty()) {
    return connectFailure(what + ": tls: failed to verify certificate of " + shared.config.server +
                          ": " + x509);
  }
  if (isBeforeSend(message, code)) return connectFailure(what + ": " + message);
  return connectionBroken(what + ": " + message);
}

// Runs `body`, turning every exception cpprestsdk may throw into an Error.
template <typename T, typename F>
Result<T> guarded(Shared& shared, const std::string& what, F&& body) {
  try {
    return body();
  } catch (const http::http_exception& e) {
    return fail(mapFailure(e, e.error_code().value(), shared, what));
  } catch (const pplx::task_canceled&) {
    return fail(makeError(ErrorKind::Cancelled, what + ": cancelled"));
  } catch (const std::exception& e) {
    return fail(mapFailure(e, 0, shared, what));
  }
}

std::map<std::string, std::string> lowerCasedHeaders(const http::http_headers& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) out[lower(name)] = value;
  return out;
}

// `status`: the answer's HTTP status when its headers arrived, else 0.
Error tooLarge(const std::string& what, size_t limit, int status) {
  Error e = makeError(ErrorKind::Decode, what + ": response body exceeds the limit of " +
                                             std::to_string(limit) + " bytes");
  e.reason = "ResponseTooLarge";
  e.code = status;
  return e;
}

// Cancels a request when its deadline passes, from a thread of its own that the destructor
// stops and joins (an exchange that ended first costs one thread start, nothing else).
class DeadlineTimer {
 public:
  DeadlineTimer(milliseconds after, pplx::cancellation_token_source cancel)
      : thread_([this, after, cancel](std::stop_token stop) mutable {
          std::mutex mu;
          std::condition_variable_any cv;
          std::unique_lock lock(mu);
          cv.wait_for(lock, stop, after, [] { return false; });
          if (stop.stop_requested()) return;
          expired_ = true;
          cancel.cancel();
        }) {}
  bool expired() const { return expired_.load(); }

 private:
  std::atomic<bool> expired_{false};
  std::jthread thread_;  // last: starts once expired_ exists
};

std::string bodyOf(http::http_response& response) {
  const std::vector<unsigned char> bytes = response.extract_vector().get();
  return std::string(bytes.begin(), bytes.end());
}

client::http_client_config clientConfig(const std::shared_ptr<Shared>& shared,
                                        milliseconds timeout) {
  client::http_client_config cfg;
  cfg.set_timeout(timeout);
  cfg.set_max_redirects(0);  // a 3xx is an answer: nothing follows it to another host
  const auto& tls = shared->tls;
  if (!tls) return cfg;
  cfg.set_validate_certificates(!tls->settings().insecureSkipVerify);
  cfg.set_ssl_context_callback([tls](boost::asio::ssl::context& ctx) {
    Result<void> configured = tls->configure(ctx.native_handle());
    if (!configured.ok()) {
      tls->recordFailure(configured.error().message);
      throw std::runtime_error(configured.error().message);  // cpprestsdk's error channel
    }
  });
  return cfg;
}

Result<http::http_request> buildRequest(Shared& shared, const HttpRequest& request) {
  Result<std::string> token = shared.token.current();
  if (!token.ok()) return fail(token.error());
  http::http_request out{http::method(request.method)};
  out.set_request_uri(web::uri(requestTarget(request)));
  std::string contentType = "application/json";
  for (const auto& [name, value] : request.headers) {
    if (lower(name) == "content-type") {
      contentType = value;
    } else {
      out.headers().add(name, value);
    }
  }
  if (!request.body.empty()) out.set_body(request.body, contentType);
  if (!token.value().empty()) {
    out.headers()["Authorization"] = "Bearer " + token.value();
  } else if (!shared.config.username.empty()) {
    out.headers()["Authorization"] =
        "Basic " + base64Encode(shared.config.username + ":" + shared.config.password);
  }
  out.headers()["User-Agent"] = shared.config.userAgent;
  return out;
}

class CpprestLineStream final : public LineStream {
 public:
  CpprestLineStream(std::unique_ptr<client::http_client> client,
                    pplx::cancellation_token_source cancel, http::http_response response,
                    std::shared_ptr<Shared> shared, std::string what, std::stop_token abort)
      : client_(std::move(client)),
        cancel_(std::move(cancel)),
        response_(std::move(response)),
        body_(response_.body()),
        shared_(std::move(shared)),
        what_(std::move(what)),
        onAbort_(std::move(abort), [this] { this->cancel(); }) {}
  ~CpprestLineStream() override { cancel(); }

  Result<std::optional<std::string>> nextLine() override {
    for (;;) {
      if (cancelled_) return fail(makeError(ErrorKind::Cancelled, what_ + ": cancelled"));
      Result<std::optional<std::string>> line = readLine();
      if (!line.ok() && cancelled_) {
        return fail(makeError(ErrorKind::Cancelled, what_ + ": cancelled"));
      }
      // Blank lines carry no event (keep-alives); skip them.
      if (!line.ok() || !line.value() || !line.value()->empty()) return line;
    }
  }

  void cancel() override {
    cancelled_ = true;
    cancel_.cancel();
  }

 private:
  Result<std::optional<std::string>> readLine() {
    return guarded<std::optional<std::string>>(*shared_, what_, [this] {
      concurrency::streams::container_buffer<std::string> buffer;
      body_.read_line(buffer).get();
      std::string line = std::move(buffer.collection());
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() && body_.is_eof()) return std::optional<std::string>();
      return std::optional<std::string>(std::move(line));
    });
  }

  std::unique_ptr<client::http_client> client_;  // the watch's own connection
  pplx::cancellation_token_source cancel_;
  http::http_response response_;
  concurrency::streams::istream body_;
  std::shared_ptr<Shared> shared_;
  std::string what_;
  std::atomic<bool> cancelled_{false};
  std::stop_callback<std::function<void()>> onAbort_;  // last: goes first, before what it uses
};

milliseconds watchTimeout(const HttpRequest& request, const HttpTransportOptions& options) {
  for (const auto& [name, value] : request.query) {
    if (name != "timeoutSeconds") continue;
    try {
      return std::chrono::seconds(std::stoll(value)) + options.watchTimeoutSlack;
    } catch (const std::exception&) {
      break;  // malformed: the server will reject it; use the default
    }
  }
  return options.defaultWatchTimeout + options.watchTimeoutSlack;
}

class CpprestTransport final : public Transport {
 public:
  explicit CpprestTransport(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  Result<HttpResponse> send(const HttpRequest& request, milliseconds timeout) override {
    const std::string what = describe(request);
    const std::stop_token abort = abortFor(request);
    if (abort.stop_requested()) return fail(abortedRead(what));
    if (Result<void> allowed = guard(what); !allowed.ok()) return fail(allowed.error());
    client::http_client& http = clientFor(timeout);
    const size_t limit = shared_->options.maxResponseBytes;
    auto sink = std::make_shared<BoundedSink>(limit);
    pplx::cancellation_token_source cancel;
    std::optional<DeadlineTimer> deadline;
    if (shared_->options.timeoutIsDeadline) deadline.emplace(timeout, cancel);
    int status = 0;  // once the headers are in: a body too large still has its status
    Result<HttpResponse> result =
        guarded<HttpResponse>(*shared_, what, [&]() -> Result<HttpResponse> {
          Result<http::http_request> built = buildRequest(*shared_, request);
          if (!built.ok()) return fail(built.error());
          built.value().set_response_stream(
              concurrency::streams::ostream(concurrency::streams::streambuf<uint8_t>(sink)));
          std::stop_callback onAbort(abort, [&cancel] { cancel.cancel(); });
          http::http_response response = http.request(built.value(), cancel.get_token()).get();
          HttpResponse out;
          out.status = status = response.status_code();
          out.headers = lowerCasedHeaders(response.headers());
          if (response.headers().content_length() > limit &&
              response.headers().has(http::header_names::content_length)) {
            cancel.cancel();
            return fail(tooLarge(what, limit, status));
          }
          response.content_ready().get();
          out.body = sink->take();
          return out;
        });
    if (result.ok()) return result;
    if (sink->exceeded()) return fail(tooLarge(what, limit, status));
    if (deadline && deadline->expired()) {
      return fail(makeError(ErrorKind::Timeout, what + ": exceeded its deadline of " +
                                                    std::to_string(timeout.count()) + "ms"));
    }
    return result;
  }

  Result<StreamOpen> stream(const HttpRequest& request) override {
    const std::string what = describe(request);
    const std::stop_token abort = shared_->options.abortReads;
    if (abort.stop_requested()) return fail(abortedRead(what));
    if (Result<void> allowed = guard(what); !allowed.ok()) return fail(allowed.error());
    return guarded<StreamOpen>(*shared_, what, [&]() -> Result<StreamOpen> {
      Result<http::http_request> built = buildRequest(*shared_, request);
      if (!built.ok()) return fail(built.error());
      auto http = std::make_unique<client::http_client>(
          web::uri(shared_->config.server),
          clientConfig(shared_, watchTimeout(request, shared_->options)));
      pplx::cancellation_token_source cancel;
      // Copied, not moved, into the stream below: the callback may still run until it is gone.
      std::stop_callback onAbort(abort, [&cancel] { cancel.cancel(); });
      http::http_response response = http->request(built.value(), cancel.get_token()).get();
      StreamOpen open;
      open.response.status = response.status_code();
      open.response.headers = lowerCasedHeaders(response.headers());
      if (open.response.status / 100 != 2) {
        open.response.body = bodyOf(response);
        return open;
      }
      open.stream = std::make_unique<CpprestLineStream>(std::move(http), cancel,
                                                        std::move(response), shared_, what, abort);
      return open;
    });
  }

 private:
  // Watches are GETs too; writes are never aborted.
  std::stop_token abortFor(const HttpRequest& request) const {
    if (shared_->options.abortAll.stop_possible()) return shared_->options.abortAll;
    const bool read = request.method == "GET" || request.method == "HEAD";
    return read ? shared_->options.abortReads : std::stop_token{};
  }

  Result<void> guard(const std::string& what) const {
    if (!shared_->options.destinationGuard) return {};
    Result<void> allowed = shared_->options.destinationGuard(shared_->host, shared_->port);
    if (allowed.ok()) return allowed;
    Error e = allowed.error();
    e.message = what + ": " + e.message;
    return fail(std::move(e));
  }

  std::string describe(const HttpRequest& request) const {
    return request.method + " " + shared_->config.server + requestTarget(request);
  }

  // One client (and connection pool) per distinct timeout: cpprestsdk fixes the timeout per
  // client. Clients are never removed, so references stay valid for the transport's lifetime.
  client::http_client& clientFor(milliseconds timeout) {
    std::lock_guard lock(mu_);
    auto& slot = clients_[timeout.count()];
    if (!slot) {
      slot = std::make_unique<client::http_client>(web::uri(shared_->config.server),
                                                   clientConfig(shared_, timeout));
    }
    return *slot;
  }

  std::shared_ptr<Shared> shared_;
  std::mutex mu_;
  std::map<milliseconds::rep, std::unique_ptr<client::http_client>> clients_;  // guarded by mu_
};

Error configError(std::string message) {
  Error e = makeError(ErrorKind::Config, std::move(message));
  e.reason = "InvalidClusterConfig";
  return e;
}

}  // namespace

Result<TransportPtr> makeHttpTransport(const ClusterConfig& config, HttpTransportOptions options) {
  web::uri server;
  try {
    server = web::uri(config.server);
  } catch (const std::exception& e) {
    return fail(configError("server URL \"" + config.server + "\": " + e.what()));
  }
  if (server.scheme() != "https" && server.scheme() != "http") {
    return fail(configError("server URL \"" + config.server + "\": scheme must be https or http"));
  }
  if (!config.token.empty() && !config.tokenFile.empty()) {
    return fail(configError("token and tokenFile are mutually exclusive"));
  }
  auto shared = std::make_shared<Shared>(config, options);
  shared->host = server.host();
  if (shared->host.size() > 2 && shared->host.front() == '[') {
    shared->host = shared->host.substr(1, shared->host.size() - 2);
  }
  shared->port = server.port() > 0 ? server.port() : (server.scheme() == "https" ? 443 : 80);
  if (server.scheme() == "https") {
    TlsSettings tls{config.certificateAuthorityPem,
                    config.insecureSkipTlsVerify,
                    config.tlsServerName.empty() ? shared->host : config.tlsServerName,
                    config.tlsServerName,
                    config.clientCertificatePem,
                    config.clientKeyPem};
    auto verification = TlsVerification::create(std::move(tls));
    if (!verification.ok()) return fail(verification.error());
    shared->tls = std::move(verification.value());
  }
  return TransportPtr(std::make_unique<CpprestTransport>(std::move(shared)));
}

}  // namespace tro::kube::transport
