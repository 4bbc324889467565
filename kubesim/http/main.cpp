// kubesim: the local Kubernetes API server (see kubesim/CMakeLists.txt for the layers).
// Start-up order matters to clients: the kubeconfig is written and the "serving on" line printed
// only once the listener accepts connections, so a client that waits for either can connect.

#include <openssl/rand.h>
#include <pthread.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/http/api_backend.h"
#include "kubesim/http/flags.h"
#include "kubesim/http/kubeconfig.h"
#include "kubesim/http/server.h"
#include "kubesim/http/tls_material.h"

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
    log.log(LogLevel::kError, "cannot generate a random token");
    return 1;
  }
  if (!flags.plainHttp) {
    auto tls = kubesim::http::generateTlsMaterial(clock.now());
    if (!tls) {
      log.log(LogLevel::kError, "generating TLS material: " + tls.error());
      return 1;
    }
    options.tls = std::move(*tls);
  }

  kubesim::api::ApiServer::Options apiOptions;
  apiOptions.watchHistory = flags.watchHistory;
  kubesim::api::ApiServer api(apiOptions);
  kubesim::http::ApiServerBackend backend(api);
  const std::string caPem = options.tls.caCertPem;
  const std::string token = options.front.token;
  auto server = kubesim::http::Server::start(std::move(options), backend, clock, log);
  if (!server) {
    log.log(LogLevel::kError, server.error());
    return 1;
  }
  if (!flags.kubeconfigOut.empty()) {
    const std::string kubeconfig =
        kubesim::http::renderKubeconfig({(*server)->url(), caPem, token});
    if (auto written = kubesim::http::writeFileAtomically(flags.kubeconfigOut, kubeconfig);
        !written) {
      log.log(LogLevel::kError, "writing kubeconfig: " + written.error());
      return 1;
    }
  }
  std::cout << "kubesim: serving on " << (*server)->url() << std::endl;

  int signal = 0;
  sigwait(&stopSignals, &signal);
  log.log(LogLevel::kInfo, std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
  (*server)->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
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
