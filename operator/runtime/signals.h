#pragma once
// Turns SIGTERM/SIGINT into a stop request the rest of the program observes.
//
// The constructor blocks SIGTERM and SIGINT in the calling thread; threads created afterwards
// inherit the mask, so construct the ShutdownSignal in main() before starting any other thread
// (otherwise a thread that does not block them may take the signal and die by its default action).
// A private thread waits for the signals (sigtimedwait, re-checking its own stop_token every
// 100ms): the first one requests stop on token(); a second one exits the process at once with
// 128 + signal number (the usual "press Ctrl-C twice"). The mask is left in place on destruction.

#include <stop_token>
#include <thread>

#include "operator/base/log.h"

namespace tro::runtime {

class ShutdownSignal {
 public:
  explicit ShutdownSignal(base::Logger log);
  ~ShutdownSignal();  // stops and joins the waiting thread
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  // Requests stop without a signal (e.g. a fatal error elsewhere).
  void requestStop() { source_.request_stop(); }

 private:
  void wait(std::stop_token stop);

  base::Logger log_;
  std::stop_source source_;
  std::jthread waiter_;  // last: starts after the other members exist
};

}  // namespace tro::runtime
