#pragma once
// Command-line flags of the kubesim binary.
//   --port N            0 (default) picks a free port
//   --bind ADDR         default 127.0.0.1
//   --token T           default: random 32 hex characters
//   --kubeconfig-out F  written once the listener accepts connections
//   --watch-history N   change events retained for watch resume (small values force 410)
//   --plain-http        serve HTTP instead of HTTPS, without authentication (debugging;
//                       kubectl sends no bearer token over http://)
//   --log-level L       error|info|debug (default info)
//   --audit-log-path F  kube-apiserver's audit log (level Metadata, JSON lines), appended to F
// The simulated cluster (kubesim/world):
//   --no-controllers    API only: no Deployment/ReplicaSet controllers, no kubelet, no metrics
//   --pod-start-delay D pods turn Running this long after the world sees them (default 50ms)
//   --pod-ready-delay D ...and Ready this long after (default 200ms); D is a Go duration
//   --metrics-port N    the apps' Prometheus metrics on 127.0.0.1:N/metrics (0: a free port)
//   --metrics-port-file F  the chosen metrics port is written there once it serves
// API faults (fault_settings.h; changed at run time with POST /kubesim/faults):
//   --fault-seed N, --fault-error-share F, --fault-error-code 429|500|503,
//   --fault-retry-after SECONDS, --fault-conflict-share F, --fault-verbs v1,v2,
//   --fault-resources r1,r2, --fault-latency D, --fault-watch-cut-share F,
//   --fault-watch-cut-after D

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/http/fault_settings.h"
#include "kubesim/http/log.h"
#include "operator/base/result.h"

namespace kubesim::http {

struct Flags {
  std::uint16_t port = 0;
  std::string bind = "127.0.0.1";
  std::string token;  // empty after parsing means "generate one"
  std::string kubeconfigOut;
  std::string auditLogPath;  // empty: no audit log
  std::size_t watchHistory = 1000;
  bool plainHttp = false;
  LogLevel logLevel = LogLevel::Info;
  bool help = false;
  bool noControllers = false;
  std::chrono::milliseconds podStartDelay{50};
  std::chrono::milliseconds podReadyDelay{200};
  std::uint16_t metricsPort = 0;
  std::string metricsPortFile;
  FaultSettings faults;
};

// Accepts "--flag value" and "--flag=value". Error: a usage message naming the bad flag.
tro::base::Result<Flags, std::string> parseFlags(const std::vector<std::string>& args);
std::string usage();
// Go-style duration ("200ms", "1.5s", "1m30s", "0") in milliseconds; nullopt when malformed.
std::optional<std::chrono::milliseconds> parseDuration(const std::string& text);

}  // namespace kubesim::http
