#pragma once
// The writes behind promote, abort, retry, pause and resume, and how to tell that the operator
// acted on them; pure.
//  - promote / abort / retry set their annotation (rollout.telemetry.io/<verb>) to a fresh value:
//    the operator acts once per distinct value and records it in status.handledControls.
//  - pause / resume set spec.paused.
// Each is one JSON merge patch of the TelemetryRollout, which touches nothing else.

#include <string>

#include "operator/kube/resource.h"
#include "plugin/cli_args.h"

namespace tro::plugin {

struct ControlWrite {
  std::string patch;        // JSON merge patch
  std::string description;  // "promoted (rollout.telemetry.io/promote=...)"
};

// `verb` is one of the five controls; `uniqueValue` goes into the annotation.
ControlWrite controlWrite(Verb verb, const std::string& uniqueValue);

// Whether the rollout, as read, shows that the operator acted on the control: the annotation's
// value handled (promote, abort: and rolled back; retry), or the pause held / released for the
// spec generation written.
bool controlDone(Verb verb, const std::string& uniqueValue, const kube::Json& rollout);

}  // namespace tro::plugin
