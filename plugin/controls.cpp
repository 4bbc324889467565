#include "plugin/controls.h"

#include "controllers/rollout/annotations.h"

namespace tro::plugin {

namespace {

using kube::Json;

const char* annotationOf(Verb verb) {
  switch (verb) {
    case Verb::Promote:
      return controllers::annotations::kPromote;
    case Verb::Abort:
      return controllers::annotations::kAbort;
    case Verb::Retry:
      return controllers::annotations::kRetry;
    default:
      return nullptr;
  }
}

const char* handledKey(Verb verb) {
  switch (verb) {
    case Verb::Promote:
      return "promote";
    case Verb::Abort:
      return "abort";
    case Verb::Retry:
      return "retry";
    default:
      return "";
  }
}

std::string statusString(const Json& rollout, const char* a, const char* b = nullptr) {
  const Json* node = &rollout;
  for (const char* key : {"status", a, b}) {
    if (key == nullptr) break;
    if (!node->is_object() || !node->contains(key)) return "";
    node = &(*node)[key];
  }
  return node->is_string() ? node->get<std::string>() : "";
}

}  // namespace

ControlWrite controlWrite(Verb verb, const std::string& uniqueValue) {
  if (verb == Verb::Pause || verb == Verb::Resume) {
    const bool pause = verb == Verb::Pause;
    return {Json{{"spec", {{"paused", pause}}}}.dump(),
            pause ? "paused (spec.paused=true)" : "resumed (spec.paused=false)"};
  }
  const char* annotation = annotationOf(verb);
  const std::string past = verb == Verb::Promote ? "promoted"
                           : verb == Verb::Abort ? "aborted"
                                                 : "retried";
  return {Json{{"metadata", {{"annotations", {{annotation, uniqueValue}}}}}}.dump(),
          past + " (" + annotation + "=" + uniqueValue + ")"};
}

bool controlDone(Verb verb, const std::string& uniqueValue, const Json& rollout) {
  const std::string phase = statusString(rollout, "phase");
  if (verb == Verb::Pause || verb == Verb::Resume) {
    const Json& meta = rollout.value("metadata", Json::object());
    const Json& status = rollout.value("status", Json::object());
    const bool observed =
        status.value("observedGeneration", int64_t{0}) >= meta.value("generation", int64_t{0});
    if (!observed) return false;
    if (verb == Verb::Pause)
      return phase == "Paused" || phase == "Succeeded" || phase == "RolledBack" ||
             phase == "Failed";
    bool pausedBySpec = false;
    for (const Json& c : status.value("conditions", Json::array())) {
      if (c.is_object() && c.value("reason", "") == "Paused") pausedBySpec = true;
    }
    return !pausedBySpec;
  }
  if (statusString(rollout, "handledControls", handledKey(verb)) != uniqueValue) return false;
  return verb != Verb::Abort || phase == "RolledBack";
}

}  // namespace tro::plugin
