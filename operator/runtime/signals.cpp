#include "operator/runtime/signals.h"

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <system_error>

namespace tro::runtime {

namespace {

sigset_t shutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Runs before the waiter thread starts (member initialiser order), so it inherits the mask.
base::Logger blockSignals(base::Logger log) {
  sigset_t set = shutdownSignals();
  if (int rc = pthread_sigmask(SIG_BLOCK, &set, nullptr); rc != 0) {
    log.error("cannot block SIGTERM/SIGINT; signals will use their default action",
              {{"error", std::generic_category().message(rc)}});
  }
  return log;
}

}  // namespace

ShutdownSignal::ShutdownSignal(base::Logger log)
    : log_(blockSignals(std::move(log))), waiter_([this](std::stop_token s) { wait(s); }) {}

ShutdownSignal::~ShutdownSignal() {
  waiter_.request_stop();
  waiter_.join();
}

void ShutdownSignal::wait(std::stop_token stop) {
  const sigset_t set = shutdownSignals();
  const timespec tick{0, 100'000'000};  // how often the thread notices its own stop request
  int received = 0;
  while (!stop.stop_requested()) {
    int sig = sigtimedwait(&set, nullptr, &tick);
    if (sig < 0) {
      if (errno != EAGAIN && errno != EINTR) {
        log_.error("waiting for signals failed",
                   {{"error", std::generic_category().message(errno)}});
        return;
      }
      continue;
    }
    if (++received > 1) {
      log_.error("second signal, exiting immediately", {{"signal", sig}});
      std::_Exit(128 + sig);
    }
    log_.info("signal received, shutting down", {{"signal", sig}});
    source_.request_stop();
  }
}

}  // namespace tro::runtime
