#pragma once
// When to send a request again, as a pure decision (client-go's rest.Request retry rules, made
// explicit). `attempt` is the 1-based number of the attempt that produced `outcome`.
//
// Rules, in order:
//  - never after config.maxAttempts attempts, and never for 2xx/3xx/4xx other than 429, nor for
//    Config, Decode or Cancelled errors;
//  - 429 Too Many Requests: any method (the server rejected the request before processing it);
//    waits Retry-After seconds when the header is present (capped at maxRetryAfter), else backs
//    off;
//  - "idempotent" methods (GET, HEAD, and PUT, whose resourceVersion precondition turns a replay
//    into a 409 instead of a second write): also 5xx, Timeout and Transport errors;
//  - POST, PATCH, DELETE: only 429 and connect failures (isConnectFailure: never sent). A
//    timeout or a connection broken after sending may have been processed, so it is not replayed.
// Backoff: initialBackoff * multiplier^(attempt-1), then * (1 + jitter * random()), capped at
// maxBackoff. random() must return a value in [0, 1); tests inject a fixed one.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "operator/kube/error.h"
#include "operator/kube/http.h"

namespace tro::kube::transport {

struct RetryConfig {
  int maxAttempts = 5;  // total, including the first attempt
  std::chrono::milliseconds initialBackoff{250};
  std::chrono::milliseconds maxBackoff{std::chrono::seconds(30)};
  double multiplier = 2.0;
  double jitter = 0.2;                     // fraction of the delay added at most
  std::chrono::seconds maxRetryAfter{60};  // a larger Retry-After is clamped to this
  std::function<double()> random;          // [0, 1); empty = no jitter
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  std::string reason;  // why (not) retried, for logs: "429 Retry-After 3s", "POST not idempotent"
};

RetryDecision decide(const HttpRequest& request, const Result<HttpResponse>& outcome, int attempt,
                     const RetryConfig& config);

// The Retry-After header in delta-seconds; nullopt when absent or malformed. The HTTP-date form
// is not used by kube-apiserver. Also read by AdaptiveConcurrencyTransport.
std::optional<int> retryAfterSeconds(const HttpResponse& response);

// The backoff delay after attempt `attempt` (>= 1), jitter included.
std::chrono::milliseconds backoffDelay(int attempt, const RetryConfig& config);

}  // namespace tro::kube::transport
