#pragma once
// ApiServerBackend: the production Backend, forwarding to kubesim's api::ApiServer. Kept apart
// from backend.h so that code using only the interface does not need kubesim_api at link time.

#include "kubesim/api/api_server.h"
#include "kubesim/http/backend.h"

namespace kubesim::http {

// Forwards to an api::ApiServer that must outlive it.
class ApiServerBackend final : public Backend {
 public:
  explicit ApiServerBackend(api::ApiServer& api) : api_(api) {}
  api::Response handle(const api::Request& request) override { return api_.handle(request); }
  bool isWatch(const api::Request& request) override { return api::ApiServer::isWatch(request); }
  Result<api::WatchPtr> watch(const api::Request& request) override { return api_.watch(request); }
  std::optional<api::UserInfo> authenticate(const std::string& token) override {
    return api_.authenticate(token);
  }

 private:
  api::ApiServer& api_;
};

}  // namespace kubesim::http
