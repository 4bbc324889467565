#pragma once
// kubectl-telemetry's exit codes, for scripts (documented in docs/guides/kubectl-plugin.md).

namespace tro::plugin {

enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,      // anything else: the API server failed, the connection broke, ...
  kExitUsage = 2,      // bad arguments or an invalid name; nothing was sent
  kExitNotFound = 3,   // no such TelemetryRollout, or the CRD is not installed
  kExitForbidden = 4,  // 401 or 403: the credentials may not do this
  kExitTimeout = 5,    // --wait ran out of --timeout before the operator acted
};

}  // namespace tro::plugin
