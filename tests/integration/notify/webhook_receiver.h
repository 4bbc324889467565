#pragma once
// A tiny webhook receiver on 127.0.0.1 for integration tests: records every POST body and
// answers from a script of status codes (then 200). cpprestsdk stays inside the .cpp.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tro::testing {

class WebhookReceiver {
 public:
  // Listens on a free loopback port; nullptr with the reason in `error` when it cannot.
  static std::unique_ptr<WebhookReceiver> start(std::vector<int> answers, std::string& error);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url() const;  // http://127.0.0.1:<port>/hook
  std::vector<std::string> bodies() const;
  size_t count() const { return bodies().size(); }

 private:
  struct Impl;
  WebhookReceiver();
  int answer(std::string body);

  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::vector<int> answers_;         // guarded by mu_
  std::vector<std::string> bodies_;  // guarded by mu_
};

}  // namespace tro::testing
