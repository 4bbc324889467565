// kubesim: the local Kubernetes API server (see kubesim/CMakeLists.txt for the layers).
// Start-up order matters to clients: the kubeconfig is written and the "serving on" line printed
// only once the listener accepts connections, so a client that waits for either can connect.

#include <malloc.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/http/api_backend.h"
#include "kubesim/http/flags.h"
#include "kubesim/http/free_port.h"
#include "kubesim/http/kubeconfig.h"
#include "kubesim/http/ops_backend.h"
#include "kubesim/http/server.h"
#include "kubesim/http/tls_material.h"
#if KUBESIM_HAS_WORLD
#include "kubesim/world/metrics_server.h"
#include "kubesim/world/world.h"
#endif

namespace {

using kubesim::http::LogLevel;

std::string randomToken() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

// Blocks SIGINT/SIGTERM in this thread and in every thread started later, so that sigwait()
// below is their only receiver.
sigset_t blockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a vanished client must not kill the server
  return set;
}

#if KUBESIM_HAS_WORLD
// The simulated cluster and its apps' metrics endpoint. Destroy in reverse order of creation
// (metrics before world).
struct SimulatedCluster {
  std::unique_ptr<kubesim::world::World> world;
  std::unique_ptr<kubesim::world::MetricsServer> metrics;
};

constexpr int kMetricsOpenAttempts = 5;

// Starts the metrics server on flags.metricsPort, or on a free port when it is 0 (retrying when
// another process takes the probed port first). Returns the port, or 0 after logging the error.
std::uint16_t startMetrics(SimulatedCluster& cluster, const kubesim::http::Flags& flags,
                           kubesim::http::Logger& log) {
  std::string lastError;
  for (int attempt = 0; attempt < kMetricsOpenAttempts; ++attempt) {
    std::uint16_t port = flags.metricsPort;
    if (port == 0) {
      auto free = kubesim::http::findFreePort("127.0.0.1");
      if (!free) {
        lastError = free.error();
        continue;
      }
      port = *free;
    }
    cluster.metrics = std::make_unique<kubesim::world::MetricsServer>(*cluster.world, port);
    auto started = cluster.metrics->start();
    if (started) return port;
    lastError = started.error().message;
    cluster.metrics.reset();
    if (flags.metricsPort != 0) break;
  }
  log.log(LogLevel::Error, "starting the metrics server: " + lastError);
  return 0;
}

// Runs the world's controllers against `api`; false (after logging) when the metrics server
// cannot start.
bool startCluster(SimulatedCluster& cluster, kubesim::api::ApiServer& api,
                  const tro::base::Clock& clock, const kubesim::http::Flags& flags,
                  kubesim::http::Logger& log) {
  kubesim::world::WorldOptions options;
  options.podStartDelay = flags.podStartDelay;
  options.podReadyDelay = flags.podReadyDelay;
  cluster.world = std::make_unique<kubesim::world::World>(
      api, clock, options, [&log](const kubesim::ApiError& e) {
        // Conflicts and races are normal for controllers; the next pass retries.
        log.log(LogLevel::Debug, "world: " + e.message);
      });
  cluster.world->start();
  const std::uint16_t port = startMetrics(cluster, flags, log);
  if (port == 0) return false;
  if (!flags.metricsPortFile.empty()) {
    if (auto written =
            kubesim::http::writeFileAtomically(flags.metricsPortFile, std::to_string(port) + "\n");
        !written) {
      log.log(LogLevel::Error, "writing the metrics port file: " + written.error());
      return false;
    }
  }
  std::cout << "kubesim: metrics on http://127.0.0.1:" << port << "/metrics" << std::endl;
  return true;
}
#endif

int run(const kubesim::http::Flags& flags) {
  const sigset_t stopSignals = blockStopSignals();
  kubesim::http::Logger log(flags.logLevel);
  tro::base::SystemClock clock;

  kubesim::http::ServerOptions options;
  options.bind = flags.bind;
  options.port = flags.port;
  options.plainHttp = flags.plainHttp;
  // kubectl sends no bearer token over plain http://, so plain mode is unauthenticated.
  options.front.token = flags.plainHttp ? "" : flags.token.empty() ? randomToken() : flags.token;
  if (!flags.plainHttp && options.front.token.empty()) {
    log.log(LogLevel::Error, "cannot generate a random token");
    return 1;
  }
  if (!flags.plainHttp) {
    auto tls = kubesim::http::generateTlsMaterial(clock.now());
    if (!tls) {
      log.log(LogLevel::Error, "generating TLS material: " + tls.error());
      return 1;
    }
    options.tls = std::move(*tls);
  }

  kubesim::api::ApiServer::Options apiOptions;
  apiOptions.watchHistory = flags.watchHistory;
  kubesim::api::ApiServer api(apiOptions);
  kubesim::http::ApiServerBackend apiBackend(api);
  std::unique_ptr<kubesim::http::AuditLog> audit;
  if (!flags.auditLogPath.empty()) {
    auto opened = kubesim::http::AuditLog::open(flags.auditLogPath);
    if (!opened) {
      log.log(LogLevel::Error, opened.error());
      return 1;
    }
    audit = std::move(opened).value();
  }
  kubesim::http::OpsBackend backend(apiBackend, clock, flags.faults, audit.get());
#if KUBESIM_HAS_WORLD
  SimulatedCluster cluster;  // before the server: the world serves clients from the start
  if (!flags.noControllers && !startCluster(cluster, api, clock, flags, log)) return 1;
#else
  if (!flags.noControllers) log.log(LogLevel::Error, "built without the simulated cluster");
#endif
  const std::string caPem = options.tls.caCertPem;
  const std::string token = options.front.token;
  auto server = kubesim::http::Server::start(std::move(options), backend, clock, log);
  if (!server) {
    log.log(LogLevel::Error, server.error());
    return 1;
  }
  if (!flags.kubeconfigOut.empty()) {
    const std::string kubeconfig =
        kubesim::http::renderKubeconfig({(*server)->url(), caPem, token});
    if (auto written = kubesim::http::writeFileAtomically(flags.kubeconfigOut, kubeconfig);
        !written) {
      log.log(LogLevel::Error, "writing kubeconfig: " + written.error());
      return 1;
    }
  }
  std::cout << "kubesim: serving on " << (*server)->url() << std::endl;

  int signal = 0;
  sigwait(&stopSignals, &signal);
  log.log(LogLevel::Info, std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
  backend.stopWaiting();  // requests held by a pause or latency would block the listener's close
  (*server)->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's 8 per core: every request is served under the ApiServer's one
  // lock, so more arenas buy no parallelism, only memory each HTTP thread keeps after a burst
  // (with 5,000 Deployments the default arenas held a third of the RSS).
  mallopt(M_ARENA_MAX, 2);
  auto flags = kubesim::http::parseFlags(std::vector<std::string>(argv + 1, argv + argc));
  if (!flags) {
    std::cerr << "kubesim: " << flags.error() << "\n" << kubesim::http::usage();
    return 2;
  }
  if (flags->help) {
    std::cout << kubesim::http::usage();
    return 0;
  }
  try {
    return run(*flags);
  } catch (const std::exception& e) {  // last resort: report instead of terminate()
    std::cerr << "kubesim: fatal: " << e.what() << "\n";
    return 1;
  }
}
