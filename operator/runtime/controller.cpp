#include "operator/runtime/controller.h"

#include <exception>

namespace tro::runtime {

namespace {

double seconds(base::Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

Controller::Controller(ControllerOptions options, Reconciler& reconciler, const base::Clock& clock,
                       base::Logger log, StandardMetrics& metrics)
    : options_(std::move(options)),
      reconciler_(reconciler),
      clock_(clock),
      log_(log.withName(options_.name)),
      success_(metrics.reconcileTotal.labels({options_.name, "success"})),
      requeueAfter_(metrics.reconcileTotal.labels({options_.name, "requeue_after"})),
      error_(metrics.reconcileTotal.labels({options_.name, "error"})),
      errors_(metrics.reconcileErrors.labels({options_.name})),
      terminalErrors_(metrics.terminalReconcileErrors.labels({options_.name})),
      duration_(metrics.reconcileTime.labels({options_.name})),
      queue_(clock, WorkQueueOptions{.name = options_.name,
                                     .backoff = options_.backoff,
                                     .depth = &metrics.workqueueDepth.labels({options_.name}),
                                     .adds = &metrics.workqueueAdds.labels({options_.name})}) {}

Controller::~Controller() { stop(); }

void Controller::start() {
  log_.info("starting workers", {{"workers", options_.workers}});
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) {
      while (processNext(stop)) {
      }
    });
  }
}

void Controller::stop() {
  queue_.shutDown();
  for (auto& w : workers_) w.request_stop();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  if (!workers_.empty()) log_.info("all workers finished");
  workers_.clear();
}

bool Controller::processNext(std::stop_token stop) {
  std::optional<std::string> key = queue_.get(stop);
  if (!key) return false;
  const base::MonoTime start = clock_.monotonicNow();
  ReconcileResult result = runReconcile(*key, stop);
  duration_.observe(seconds(clock_.monotonicNow() - start));
  apply(*key, result);
  queue_.done(*key);
  return true;
}

ReconcileResult Controller::runReconcile(const std::string& key, std::stop_token stop) {
  // The reconciler is user code: an escaping exception must not kill the worker thread.
  try {
    return reconciler_.reconcile(key, stop);
  } catch (const std::exception& e) {
    return ReconcileResult::retryableError(std::string("reconciler threw: ") + e.what());
  } catch (...) {
    return ReconcileResult::retryableError("reconciler threw a non-standard exception");
  }
}

void Controller::apply(const std::string& key, const ReconcileResult& result) {
  switch (result.kind()) {
    case ReconcileResult::Kind::RequeueAfter:
      requeueAfter_.inc();
      queue_.forget(key);
      queue_.addAfter(key, result.after());
      log_.debug("reconciled, requeue after",
                 {{"key", key}, {"after_seconds", seconds(result.after())}});
      break;
    case ReconcileResult::Kind::WaitForChange:
      success_.inc();
      queue_.forget(key);
      log_.debug("reconciled", {{"key", key}});
      break;
    case ReconcileResult::Kind::RetryableError:
      error_.inc();
      errors_.inc();
      queue_.addRateLimited(key);
      log_.error(
          "reconcile failed, will retry",
          {{"key", key}, {"error", result.message()}, {"requeues", queue_.numRequeues(key)}});
      break;
    case ReconcileResult::Kind::TerminalError:
      error_.inc();
      errors_.inc();
      terminalErrors_.inc();
      queue_.forget(key);
      log_.error("reconcile failed, not retrying", {{"key", key}, {"error", result.message()}});
      break;
  }
}

}  // namespace tro::runtime
