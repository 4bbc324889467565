#pragma once
// A real HTTPS server on 127.0.0.1 (cpprestsdk http_listener) for the transport tests, scripted
// by path:
//   /ok          200, body "hello", header "X-Custom: yes"
//   /gone        410 with a Status body
//   /watch       200 chunked; the test writes lines with pushLine() and ends with endWatch()
//   /hang        no answer until release() (or destruction)
// Every request's method, path, query, body and headers (lower-cased names) are recorded.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tro::kube::transport::testing {

struct SeenRequest {
  std::string method;
  std::string path;
  std::string query;  // as received, still percent-encoded
  std::string body;
  std::map<std::string, std::string> headers;
};

class HttpsTestServer {
 public:
  HttpsTestServer(const std::string& certFile, const std::string& keyFile);
  ~HttpsTestServer();

  std::string url() const;  // https://127.0.0.1:<port>
  std::vector<SeenRequest> seen();

  // Blocks until a /watch request is open (false after a 10 s safety deadline).
  bool waitForWatch();
  void pushLine(const std::string& line);
  void endWatch();
  void release();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A loopback port nobody listens on (bound, then closed).
int unusedPort();

}  // namespace tro::kube::transport::testing
