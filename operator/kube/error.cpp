#include "operator/kube/error.h"

namespace tro::kube {

std::string Error::toString() const {
  std::string head = reason.empty() ? std::string("Error") : reason;
  if (code != 0) head += " (" + std::to_string(code) + ")";
  return head + ": " + message;
}

bool isNotFound(const Error& e) {
  return e.kind == ErrorKind::Api && (e.reason == "NotFound" || e.code == 404);
}
bool isAlreadyExists(const Error& e) {
  return e.kind == ErrorKind::Api && e.reason == "AlreadyExists";
}
bool isConflict(const Error& e) {
  return e.kind == ErrorKind::Api && e.code == 409 && e.reason != "AlreadyExists";
}
bool isInvalid(const Error& e) {
  return e.kind == ErrorKind::Api && (e.reason == "Invalid" || e.code == 422);
}
bool isPatchNotApplicable(const Error& e) { return isInvalid(e) && e.causes.empty(); }
bool isGone(const Error& e) {
  return e.kind == ErrorKind::Api && (e.code == 410 || e.reason == "Expired" || e.reason == "Gone");
}
bool isTooManyRequests(const Error& e) {
  return e.kind == ErrorKind::Api && (e.code == 429 || e.reason == "TooManyRequests");
}
bool isUnauthorized(const Error& e) { return e.kind == ErrorKind::Api && e.code == 401; }
bool isForbidden(const Error& e) { return e.kind == ErrorKind::Api && e.code == 403; }
bool isServerError(const Error& e) { return e.kind == ErrorKind::Api && e.code >= 500; }
bool isRetryable(const Error& e) {
  return e.kind == ErrorKind::Transport || e.kind == ErrorKind::Timeout || isTooManyRequests(e) ||
         isServerError(e);
}

}  // namespace tro::kube
