#pragma once
// The size of cpprestsdk's I/O thread pool, which drives every HTTP exchange of the operator
// (API server, Prometheus, webhooks, the probe and metrics listeners) asynchronously. No handler
// blocks on it (the operator's threads wait for their own requests), so kHttpThreads carry
// them all; cpprestsdk's default is 40. Call once, after the ShutdownSignal (the pool's threads
// must inherit the blocked signal mask) and before any HTTP; later calls do nothing.

#include <cstddef>

#include "operator/base/log.h"

namespace tro::app {

inline constexpr std::size_t kHttpThreads = 4;

void sizeHttpThreadPool(const base::Logger& log);

}  // namespace tro::app
