#include "operator/kube/transport/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include "operator/kube/transport/connect_failure.h"

namespace tro::kube::transport {
namespace {

bool isReplaySafe(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT";
}

RetryDecision retryAfter(int attempt, const RetryConfig& config, std::optional<int> seconds,
                         std::string why) {
  if (!seconds) return {true, backoffDelay(attempt, config), std::move(why)};
  const auto wait = std::min(std::chrono::seconds(*seconds), config.maxRetryAfter);
  return {true, std::chrono::duration_cast<std::chrono::milliseconds>(wait),
          why + " Retry-After " + std::to_string(*seconds) + "s"};
}

RetryDecision decideOnResponse(const HttpRequest& request, const HttpResponse& response,
                               int attempt, const RetryConfig& config) {
  const std::string status = std::to_string(response.status);
  if (response.status == 429) {
    return retryAfter(attempt, config, retryAfterSeconds(response), status);
  }
  if (response.status < 500) return {false, {}, status + " is final"};
  if (!isReplaySafe(request.method))
    return {false, {}, status + ": " + request.method + " may have been processed"};
  return retryAfter(attempt, config, retryAfterSeconds(response), status);
}

RetryDecision decideOnError(const HttpRequest& request, const Error& error, int attempt,
                            const RetryConfig& config) {
  if (error.kind != ErrorKind::Transport && error.kind != ErrorKind::Timeout) {
    return {false, {}, "error is not retryable"};
  }
  if (isConnectFailure(error)) return {true, backoffDelay(attempt, config), "could not connect"};
  if (!isReplaySafe(request.method)) {
    return {false, {}, request.method + " may have been processed"};
  }
  return {true, backoffDelay(attempt, config),
          error.kind == ErrorKind::Timeout ? "timeout" : "transport error"};
}

}  // namespace

std::optional<int> retryAfterSeconds(const HttpResponse& response) {
  const std::string value = response.header("retry-after");
  int seconds = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, seconds);
  if (value.empty() || ec != std::errc() || ptr != end || seconds < 0) return std::nullopt;
  return seconds;
}

std::chrono::milliseconds backoffDelay(int attempt, const RetryConfig& config) {
  const double base = static_cast<double>(config.initialBackoff.count()) *
                      std::pow(config.multiplier, std::max(0, attempt - 1));
  const double cap = static_cast<double>(config.maxBackoff.count());
  double delay = std::min(base, cap);
  if (config.random) delay *= 1.0 + config.jitter * std::clamp(config.random(), 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(std::min(delay, cap)));
}

RetryDecision decide(const HttpRequest& request, const Result<HttpResponse>& outcome, int attempt,
                     const RetryConfig& config) {
  if (attempt >= config.maxAttempts) {
    return {false, {}, "gave up after " + std::to_string(attempt) + " attempts"};
  }
  if (outcome.ok()) return decideOnResponse(request, outcome.value(), attempt, config);
  return decideOnError(request, outcome.error(), attempt, config);
}

}  // namespace tro::kube::transport
