#pragma once
// Transport errors come in two kinds that matter for retrying writes: the request provably never
// reached the server (DNS, connection refused, TLS handshake), or the connection broke after
// (part of) the request was sent, when the server may have processed it. The former is tagged
// with reason kConnectFailedReason on an ErrorKind::Transport error.

#include <string>

#include "operator/kube/error.h"

namespace tro::kube::transport {

inline constexpr const char* kConnectFailedReason = "ConnectFailed";

// A Transport error whose request was never sent.
Error connectFailure(std::string message);
// A Transport error after the request may have been sent (reset, broken pipe, short read).
Error connectionBroken(std::string message);

bool isConnectFailure(const Error& e);

}  // namespace tro::kube::transport
