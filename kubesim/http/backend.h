#pragma once
// Backend: what the HTTP front needs from the API core. ApiServerBackend (api_backend.h) adapts
// kubesim's api::ApiServer; tests substitute fakes to drive streaming and error paths
// deterministically.

#include <optional>
#include <string>

#include "kubesim/api/api_server.h"  // api::Watch (header-only use)
#include "kubesim/api/request.h"

namespace kubesim::http {

class Backend {
 public:
  virtual ~Backend() = default;
  // Every non-watch request; must not throw (the server still guards against it).
  virtual api::Response handle(const api::Request& request) = 0;
  virtual bool isWatch(const api::Request& request) = 0;
  virtual Result<api::WatchPtr> watch(const api::Request& request) = 0;
  // The user of a bearer token the API core issued (a ServiceAccount token), or nullopt. The
  // kubeconfig's admin token is the front's own and never reaches this.
  virtual std::optional<api::UserInfo> authenticate(const std::string& token) {
    (void)token;
    return std::nullopt;
  }
};

}  // namespace kubesim::http
