#pragma once
// A Controller runs N worker threads that take keys from its WorkQueue and call the Reconciler,
// then apply the ReconcileResult to the queue:
//   requeueAfter  -> forget + addAfter      waitForChange -> forget
//   retryableError -> addRateLimited        terminalError -> forget (logged and counted)
// A reconciler that throws is treated as a retryable error. Each reconcile is counted in
// controller_runtime_reconcile_total{controller,result} (success | requeue_after | error), errors
// in controller_runtime_reconcile_errors_total, and timed (Clock) in reconcile_time_seconds.
// The queue guarantees a key is never on two workers at once.
// stop() (also run by the destructor): shuts the queue down, lets in-flight reconciles finish
// (their stop_token is requested so long waits can end early), joins the workers.

#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "operator/base/clock.h"
#include "operator/base/log.h"
#include "operator/runtime/metrics_standard.h"
#include "operator/runtime/reconcile.h"
#include "operator/runtime/work_queue.h"

namespace tro::runtime {

struct ControllerOptions {
  std::string name;  // the "controller" label and the logger name
  int workers = 1;
  BackoffOptions backoff;
};

class Controller {
 public:
  // `reconciler`, `clock` and `metrics` must outlive the controller.
  Controller(ControllerOptions options, Reconciler& reconciler, const base::Clock& clock,
             base::Logger log, StandardMetrics& metrics);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Event handlers enqueue keys here (add / addUrgent / addAfter).
  WorkQueue& queue() { return queue_; }

  void start();  // starts the workers; call once
  void stop();   // idempotent

  // Takes one key, reconciles it and applies the result; false once the queue is shut down.
  // Workers loop on it; tests may call it directly instead of start().
  bool processNext(std::stop_token stop);

 private:
  ReconcileResult runReconcile(const std::string& key, std::stop_token stop);
  void apply(const std::string& key, const ReconcileResult& result);

  const ControllerOptions options_;
  Reconciler& reconciler_;
  const base::Clock& clock_;
  const base::Logger log_;
  Counter& success_;
  Counter& requeueAfter_;
  Counter& error_;
  Counter& errors_;
  Counter& terminalErrors_;
  Histogram& duration_;
  WorkQueue queue_;
  std::vector<std::jthread> workers_;
};

}  // namespace tro::runtime
