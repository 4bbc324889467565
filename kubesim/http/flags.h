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

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kubesim/http/log.h"
#include "operator/base/result.h"

namespace kubesim::http {

struct Flags {
  std::uint16_t port = 0;
  std::string bind = "127.0.0.1";
  std::string token;  // empty after parsing means "generate one"
  std::string kubeconfigOut;
  std::size_t watchHistory = 1000;
  bool plainHttp = false;
  LogLevel logLevel = LogLevel::kInfo;
  bool help = false;
};

// Accepts "--flag value" and "--flag=value". Error: a usage message naming the bad flag.
tro::base::Result<Flags, std::string> parseFlags(const std::vector<std::string>& args);
std::string usage();

}  // namespace kubesim::http
