#pragma once
// The one error type of the Kubernetes client. A non-2xx answer from the API server becomes an
// Error of kind Api carrying the server's Status (code, reason, message, causes), never a bare
// number. Transport failures (connection refused, TLS, timeout) and local failures (bad config,
// undecodable body) have their own kinds so callers can decide what is retryable.

#include <optional>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::kube {

enum class ErrorKind {
  Api,        // the server answered with a non-2xx status; see code/reason/status fields
  Transport,  // connection refused/reset, DNS, TLS handshake or verification failure
  Timeout,    // the request did not complete in time
  Decode,     // the body could not be parsed as expected
  Config,     // kubeconfig / in-cluster configuration problems
  Cancelled,  // the caller stopped the operation (shutdown)
};

struct StatusCause {
  std::string reason;  // e.g. FieldValueInvalid, FieldManagerConflict
  std::string message;
  std::string field;
  bool operator==(const StatusCause&) const = default;
};

struct Error {
  ErrorKind kind = ErrorKind::Api;
  int code = 0;         // HTTP status code for Api errors, 0 otherwise
  std::string reason;   // Status.reason: NotFound, AlreadyExists, Conflict, Invalid, Expired...
  std::string message;  // human-readable, with context prepended as it travels up
  std::vector<StatusCause> causes;
  std::optional<int> retryAfterSeconds;  // Retry-After header or Status.details.retryAfterSeconds

  // Prepends context ("list deployments in shop: ...") and returns *this, for chaining.
  Error& withContext(const std::string& context) {
    message = context + ": " + message;
    return *this;
  }
  std::string toString() const;  // "<reason> (<code>): <message>"
};

template <typename T>
using Result = base::Result<T, Error>;
using base::fail;

// Classification helpers, by the Kubernetes conventions (reason first, code as fallback).
bool isNotFound(const Error& e);
bool isAlreadyExists(const Error& e);
bool isConflict(const Error& e);  // 409 Conflict (stale resourceVersion, SSA conflicts)
bool isInvalid(const Error& e);   // 422
// 422 Invalid without causes: how the real API server answers a JSON patch whose `test` (or any
// other op) does not apply to the object as it is now, i.e. someone wrote first. A 422 that
// carries causes is a validation failure: the same write will fail again.
bool isPatchNotApplicable(const Error& e);
bool isGone(const Error& e);  // 410 Gone / Expired: the watch must relist
bool isTooManyRequests(const Error& e);
bool isUnauthorized(const Error& e);  // 401
bool isForbidden(const Error& e);     // 403
bool isServerError(const Error& e);   // 5xx
// Worth retrying with backoff: 429, 5xx, transport errors and timeouts.
bool isRetryable(const Error& e);

}  // namespace tro::kube
