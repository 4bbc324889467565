#include "controllers/rollout/restore_record.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

Json containerToJson(const ContainerRestoreRecord& c) {
  Json out = Json::object();
  Json env = Json::object();
  for (const auto& [name, original] : c.env) env[name] = original;
  out["env"] = std::move(env);
  if (c.envAbsent) out["envAbsent"] = true;
  return out;
}

base::Result<ContainerRestoreRecord, std::string> containerFromJson(const Json& j) {
  ContainerRestoreRecord c;
  if (!j.is_object()) return base::fail(std::string("container entry is not an object"));
  if (auto env = j.find("env"); env != j.end()) {
    if (!env->is_object()) return base::fail(std::string("env is not an object"));
    for (auto it = env->begin(); it != env->end(); ++it) {
      if (!it->is_null() && !it->is_object()) {
        return base::fail("env." + it.key() + " is neither null nor an EnvVar object");
      }
      c.env[it.key()] = *it;
    }
  }
  c.envAbsent = j.value("envAbsent", false);
  return c;
}

}  // namespace

Json RestoreRecord::toJson() const {
  Json out = Json::object();
  Json cs = Json::object();
  for (const auto& [name, c] : containers) cs[name] = containerToJson(c);
  out["containers"] = std::move(cs);
  if (!sidecar.empty()) out["sidecar"] = sidecar;
  if (!volume.empty()) out["volume"] = volume;
  if (volumesAbsent) out["volumesAbsent"] = true;
  if (annotationsAbsent) out["annotationsAbsent"] = true;
  if (!podAnnotations.empty()) {
    Json pod = Json::object();
    for (const auto& [key, original] : podAnnotations) pod[key] = original;
    out["podAnnotations"] = std::move(pod);
  }
  if (podAnnotationsAbsent) out["podAnnotationsAbsent"] = true;
  return out;
}

std::string RestoreRecord::toAnnotation() const { return toJson().dump(); }

base::Result<RestoreRecord, std::string> parseRestoreRecord(const std::string& annotation) {
  Json j;
  try {
    j = Json::parse(annotation);
  } catch (const Json::exception& e) {
    return base::fail("restore record is not JSON: " + std::string(e.what()));
  }
  if (!j.is_object()) return base::fail(std::string("restore record is not a JSON object"));
  RestoreRecord r;
  try {
    if (auto cs = j.find("containers"); cs != j.end()) {
      if (!cs->is_object()) return base::fail(std::string("restore record: containers"));
      for (auto it = cs->begin(); it != cs->end(); ++it) {
        auto c = containerFromJson(*it);
        if (!c) return base::fail("restore record: containers." + it.key() + ": " + c.error());
        r.containers[it.key()] = std::move(c).value();
      }
    }
    r.sidecar = j.value("sidecar", "");
    r.volume = j.value("volume", "");
    r.volumesAbsent = j.value("volumesAbsent", false);
    r.annotationsAbsent = j.value("annotationsAbsent", false);
    if (auto pod = j.find("podAnnotations"); pod != j.end()) {
      if (!pod->is_object()) return base::fail(std::string("restore record: podAnnotations"));
      for (auto it = pod->begin(); it != pod->end(); ++it) {
        if (!it->is_null() && !it->is_string()) {
          return base::fail("restore record: podAnnotations." + it.key() +
                            " is neither null nor a string");
        }
        r.podAnnotations[it.key()] = *it;
      }
    }
    r.podAnnotationsAbsent = j.value("podAnnotationsAbsent", false);
  } catch (const Json::exception& e) {
    return base::fail("restore record has a field of the wrong type: " + std::string(e.what()));
  }
  return r;
}

}  // namespace tro::controllers
