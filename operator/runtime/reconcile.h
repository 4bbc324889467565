#pragma once
// What a reconcile asks the controller to do next, as an explicit value (controller-runtime's
// Result/TerminalError, kube-rs' Action):
//   requeueAfter(d)       come back after d even if nothing changes (backoff is reset);
//   waitForChange()       done; only a watch event brings the key back (backoff is reset);
//   retryableError(msg)   failed, retry with the key's exponential backoff;
//   terminalError(msg)    failed in a way retrying cannot fix: recorded, not retried.
// Reconcile is level-based: the key is a namespaced name ("ns/name"), and the reconciler reads the
// state it needs instead of relying on which event enqueued the key.

#include <stop_token>
#include <string>
#include <utility>

#include "operator/base/clock.h"

namespace tro::runtime {

class ReconcileResult {
 public:
  enum class Kind { RequeueAfter, WaitForChange, RetryableError, TerminalError };

  static ReconcileResult requeueAfter(base::Duration d) {
    return ReconcileResult(Kind::RequeueAfter, d, {});
  }
  static ReconcileResult waitForChange() {
    return ReconcileResult(Kind::WaitForChange, base::Duration::zero(), {});
  }
  static ReconcileResult retryableError(std::string message) {
    return ReconcileResult(Kind::RetryableError, base::Duration::zero(), std::move(message));
  }
  static ReconcileResult terminalError(std::string message) {
    return ReconcileResult(Kind::TerminalError, base::Duration::zero(), std::move(message));
  }

  Kind kind() const { return kind_; }
  base::Duration after() const { return after_; }          // RequeueAfter only
  const std::string& message() const { return message_; }  // errors only
  bool isError() const { return kind_ == Kind::RetryableError || kind_ == Kind::TerminalError; }

 private:
  ReconcileResult(Kind kind, base::Duration after, std::string message)
      : kind_(kind), after_(after), message_(std::move(message)) {}

  Kind kind_;
  base::Duration after_;
  std::string message_;
};

class Reconciler {
 public:
  virtual ~Reconciler() = default;
  // Converges the object named by `key`. Called for one key by at most one thread at a time.
  // `stop` is requested when the process is shutting down and the reconcile should wrap up.
  virtual ReconcileResult reconcile(const std::string& key, std::stop_token stop) = 0;
};

}  // namespace tro::runtime
