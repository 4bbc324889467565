#pragma once
// Internal to the runtime's cpprestsdk servers (http_server.cpp, webhook_server.cpp): answering a
// request whose client may already be gone. An unobserved failed pplx task terminates the
// process, and a reply fails whenever a client hangs up early; observe it, nobody is left to
// answer.

#include <cpprest/http_msg.h>

#include <string>
#include <utility>

namespace tro::runtime::detail {

inline void reply(const web::http::http_request& request, web::http::status_code code,
                  std::string body, std::string contentType = "text/plain; charset=utf-8") {
  request.reply(code, std::move(body), std::move(contentType)).then([](pplx::task<void> t) {
    try {
      t.get();
    } catch (const std::exception&) {
      // The client went away before the answer was written.
    }
  });
}

}  // namespace tro::runtime::detail
