#include "operator/kube/transport/connect_failure.h"

namespace tro::kube::transport {

Error connectFailure(std::string message) {
  Error e;
  e.kind = ErrorKind::Transport;
  e.reason = kConnectFailedReason;
  e.message = std::move(message);
  return e;
}

Error connectionBroken(std::string message) {
  Error e;
  e.kind = ErrorKind::Transport;
  e.message = std::move(message);
  return e;
}

bool isConnectFailure(const Error& e) {
  return e.kind == ErrorKind::Transport && e.reason == kConnectFailedReason;
}

}  // namespace tro::kube::transport
