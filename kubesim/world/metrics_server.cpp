#include "kubesim/world/metrics_server.h"

#include <cpprest/http_listener.h>

#include "kubesim/world/world.h"

namespace kubesim::world {

namespace http = web::http;

class MetricsServer::Impl {
 public:
  Impl(World& world, int port)
      : world_(world),
        url_("http://127.0.0.1:" + std::to_string(port) + "/metrics"),
        listener_(utility::conversions::to_string_t(url_)) {
    listener_.support(http::methods::GET, [this](http::http_request req) { serve(req); });
  }
  ~Impl() {
    if (!open_) return;
    try {
      listener_.close().wait();
    } catch (const std::exception&) {
      // Closing a listener that failed mid-way has nothing left to release.
    }
  }

  Result<void> start() {
    try {
      listener_.open().wait();
      open_ = true;
      return {};
    } catch (const std::exception& e) {
      return fail(internalError("metrics listener on " + url_ + ": " + e.what()));
    }
  }

  const std::string& url() const { return url_; }

 private:
  void serve(http::http_request req) {
    http::http_response resp(http::status_codes::OK);
    resp.headers().add(U("Content-Type"), U("text/plain; version=0.0.4"));
    resp.set_body(world_.renderMetrics());
    req.reply(resp).then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (const std::exception&) {
        // The scraper went away; the next scrape gets a fresh answer.
      }
    });
  }

  World& world_;
  std::string url_;
  http::experimental::listener::http_listener listener_;
  bool open_ = false;
};

MetricsServer::MetricsServer(World& world, int port) : impl_(std::make_unique<Impl>(world, port)) {}
MetricsServer::~MetricsServer() = default;
Result<void> MetricsServer::start() { return impl_->start(); }
std::string MetricsServer::url() const { return impl_->url(); }

}  // namespace kubesim::world
