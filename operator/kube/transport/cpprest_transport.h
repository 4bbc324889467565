#pragma once
// The Transport that talks to a real API server over HTTP(S), implemented with cpprestsdk
// (which only cpprest_transport.cpp includes).
//  - TLS: the server must chain to ClusterConfig::certificateAuthorityPem (or the system store)
//    and be valid for tlsServerName, else the URL's host; insecureSkipTlsVerify turns both off.
//    A failed verification is a Transport error "x509: ... (<server>)".
//  - Auth: "Authorization: Bearer <token>"; a tokenFile is re-read whenever its size or mtime
//    changes, so rotated service-account tokens are picked up.
//  - send(): one request, the given timeout (no activity for that long = ErrorKind::Timeout).
//    Errors before the request was sent are tagged with isConnectFailure() (see retry_policy.h).
//  - stream(): a dedicated connection whose timeout is the query's timeoutSeconds + 30s
//    (10 minutes without one); the LineStream yields each line as soon as it arrives.
//  - abortReads (HttpTransportOptions): once requested, reads (GET, HEAD: watches too) fail
//    with ErrorKind::Cancelled, those in flight at once (their connections are dropped), so a
//    shutdown is not held for minutes by an API server that accepted a list or watch and hangs.
//    Writes are left alone: a lease release or a last status write may still need them.
//  - Bounds (HttpTransportOptions): send() keeps at most maxResponseBytes of a body; past that
//    the connection is dropped and the call fails with ErrorKind::Decode, reason
//    "ResponseTooLarge" (a Content-Length over the limit fails before any body byte is read).
//    With timeoutIsDeadline the timeout bounds the whole exchange (connect, headers, body), so a
//    server that drips a byte at a time cannot hold a request past it; otherwise cpprestsdk's
//    timeout is per step (it restarts at every read). Redirects are never followed: a 3xx is an
//    answer like any other.
//  - destinationGuard: asked before every request (and every watch) where it would go; an
//    error refuses the request before any connection is made (operator/kube/destination_policy.h).
// Thread-safe: send() and stream() may be called concurrently.

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include "operator/kube/cluster_config.h"
#include "operator/kube/transport.h"

namespace tro::kube::transport {

struct HttpTransportOptions {
  std::chrono::seconds watchTimeoutSlack{30};
  std::chrono::seconds defaultWatchTimeout{std::chrono::minutes(10)};
  std::stop_token abortReads;  // default: never requested
  std::stop_token abortAll;    // like abortReads, for every method (a webhook POST at shutdown)
  size_t maxResponseBytes = 256u << 20;
  bool timeoutIsDeadline = false;
  std::function<Result<void>(const std::string& host, int port)> destinationGuard;
};

// Config error when the server URL or the TLS material cannot be used.
Result<TransportPtr> makeHttpTransport(const ClusterConfig& config,
                                       HttpTransportOptions options = {});

}  // namespace tro::kube::transport
