#pragma once
// MetricsServer: serves World::renderMetrics() as GET /metrics (text/plain; version=0.0.4) on
// 127.0.0.1:<port> with cpprestsdk's listener (the only file that includes cpprestsdk). Port 0 is
// not supported by the listener; pick a free port. Stops on destruction.

#include <memory>
#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim::world {

class World;

class MetricsServer {
 public:
  // Binds in start(); failures (port in use) come back as an error.
  MetricsServer(World& world, int port);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  Result<void> start();
  std::string url() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kubesim::world
