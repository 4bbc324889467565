#pragma once
// The narrow seam between the client and the HTTP library. The only implementation that talks
// to a network lives in operator/kube/transport/ (cpprestsdk); tests use fakes.
//
// send():   one request, whole response. A non-2xx answer is still a response here (the caller
//           turns it into an Error with the Status body); only transport failures are errors.
// stream(): a long-running GET (watch). Opens the request and, on 2xx, returns a LineStream that
//           yields the body line by line as bytes arrive. On non-2xx it reads the body and
//           returns it as an HttpResponse inside the error path via StreamOpen::response.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "operator/kube/error.h"
#include "operator/kube/http.h"

namespace tro::kube {

class LineStream {
 public:
  virtual ~LineStream() = default;
  // Blocks for the next line (without its trailing newline). nullopt: the server ended the
  // stream cleanly. An error: the connection broke, timed out, or cancel() was called.
  virtual Result<std::optional<std::string>> nextLine() = 0;
  // Thread-safe; unblocks a pending nextLine(), which then returns a Cancelled error.
  virtual void cancel() = 0;
};
using LineStreamPtr = std::unique_ptr<LineStream>;

struct StreamOpen {
  LineStreamPtr stream;   // set when the server answered 2xx
  HttpResponse response;  // status and headers always; body only when not 2xx
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request,
                                    std::chrono::milliseconds timeout) = 0;
  virtual Result<StreamOpen> stream(const HttpRequest& request) = 0;
};
using TransportPtr = std::unique_ptr<Transport>;

}  // namespace tro::kube
