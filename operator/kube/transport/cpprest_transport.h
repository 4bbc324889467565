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
// Thread-safe: send() and stream() may be called concurrently.

#include <chrono>
#include <stop_token>

#include "operator/kube/cluster_config.h"
#include "operator/kube/transport.h"

namespace tro::kube::transport {

struct HttpTransportOptions {
  std::chrono::seconds watchTimeoutSlack{30};
  std::chrono::seconds defaultWatchTimeout{std::chrono::minutes(10)};
  std::stop_token abortReads;  // default: never requested
};

// Config error when the server URL or the TLS material cannot be used.
Result<TransportPtr> makeHttpTransport(const ClusterConfig& config,
                                       HttpTransportOptions options = {});

}  // namespace tro::kube::transport
