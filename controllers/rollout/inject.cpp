#include "controllers/rollout/inject.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject_field_managers.h"
#include "controllers/rollout/restore_record.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using Check = base::Result<void, InjectError>;
using Vars = std::vector<std::pair<std::string, std::string>>;  // ordered name -> value

InjectError error(InjectError::Kind kind, std::string message) {
  return InjectError{kind, std::move(message)};
}

std::optional<std::size_t> indexByName(const Json& array, const std::string& name) {
  if (!array.is_array()) return std::nullopt;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (array[i].is_object() && array[i].value("name", "") == name) return i;
  }
  return std::nullopt;
}

void eraseByName(Json& array, const std::string& name) {
  if (auto i = indexByName(array, name)) array.erase(*i);
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// Removes `key` from `object` when it holds an empty array/object and was absent before the
// operator created it.
void eraseIfEmptyAndWasAbsent(Json& object, const char* key, bool wasAbsent) {
  if (!wasAbsent || !object.contains(key)) return;
  if (object[key].empty()) object.erase(key);
}

// One computation of a desired Deployment. Holds the working copy and the restore record.
class Injection {
 public:
  Injection(const Json& deployment, const InjectionConfig& config, InjectionForm form,
            std::vector<std::string>* leftToOthers)
      : d_(deployment), config_(config), form_(form), leftToOthers_(leftToOthers) {}

  InjectResult run() {
    if (auto ok = load(); !ok) return base::fail(ok.error());
    if (auto ok = checkSidecarNames(); !ok) return base::fail(ok.error());
    auto targets = targetContainers();
    if (!targets) return base::fail(targets.error());
    const Vars vars = wantedVars();
    if (auto ok = checkValueFrom(*targets, vars); !ok) return base::fail(ok.error());
    applyEnv(*targets, vars);
    applyPodAnnotations();
    applySidecar();
    applyAnnotations();
    return std::move(d_);
  }

 private:
  enum class SidecarAction { Want, Remove, Keep };

  Json& podSpec() { return d_["spec"]["template"]["spec"]; }
  Json& containers() { return podSpec()["containers"]; }

  Check load() {
    static const Json::json_pointer kContainers("/spec/template/spec/containers");
    if (!d_.is_object() || !d_.contains("metadata") || !d_["metadata"].is_object() ||
        !d_.contains(kContainers) || !d_[kContainers].is_array()) {
      return base::fail(error(InjectError::Kind::InvalidDeployment,
                              "deployment has no metadata or spec.template.spec.containers"));
    }
    const Json& metadata = d_["metadata"];
    const Json annotations = metadata.value("annotations", Json::object());
    const std::string owner = annotations.value(annotations::kOwner, "");
    liveConfigHash_ = annotations.value(annotations::kConfigHash, "");
    if (!owner.empty() && owner != config_.owner) {
      return base::fail(
          error(InjectError::Kind::Conflict, "deployment is claimed by TelemetryRollout " + owner));
    }
    const auto it = annotations.find(annotations::kRestore);
    if (it == annotations.end()) {
      // Our claim without our memory: recording the current (injected) values as originals
      // would make restore() inexact. Restored goes ahead best-effort so deletion never blocks.
      if (!owner.empty() && form_ != InjectionForm::Restored) {
        return corruptRecord("missing while the deployment is claimed by " + owner);
      }
      record_.annotationsAbsent = !metadata.contains("annotations");
      return {};
    }
    if (!it->is_string()) return corruptRecord("not a string");
    auto parsed = parseRestoreRecord(it->get<std::string>());
    if (!parsed) return corruptRecord(parsed.error());
    record_ = std::move(parsed).value();
    return {};
  }

  static Check corruptRecord(const std::string& why) {
    return base::fail(
        error(InjectError::Kind::CorruptRecord, std::string(annotations::kRestore) + ": " + why));
  }

  SidecarAction sidecarAction() const {
    switch (form_) {
      case InjectionForm::Enabled:
        return config_.collector ? SidecarAction::Want : SidecarAction::Remove;
      case InjectionForm::Disabled:
        return config_.collector && !config_.removeCollectorOnRollback ? SidecarAction::Keep
                                                                       : SidecarAction::Remove;
      case InjectionForm::Restored:
        return SidecarAction::Remove;
    }
    return SidecarAction::Keep;
  }

  Check checkSidecarNames() {
    if (sidecarAction() != SidecarAction::Want) return {};
    const std::string& name = config_.collector->name;
    if (record_.sidecar != name && indexByName(containers(), name)) {
      return base::fail(
          error(InjectError::Kind::Conflict,
                "container \"" + name + "\" exists and was not injected by the operator"));
    }
    const std::string volume = collectorVolumeName(*config_.collector);
    if (record_.volume != volume &&
        indexByName(podSpec().value("volumes", Json::array()), volume)) {
      return base::fail(
          error(InjectError::Kind::Conflict,
                "volume \"" + volume + "\" exists and was not added by the operator"));
    }
    return {};
  }

  // A container the operator added, or will add: never an application container.
  bool isSidecar(const std::string& name) const {
    if (!record_.sidecar.empty() && name == record_.sidecar) return true;
    return config_.collector && name == config_.collector->name;
  }

  base::Result<std::vector<std::string>, InjectError> targetContainers() {
    std::vector<std::string> out;
    if (form_ == InjectionForm::Restored) return out;
    if (config_.containers.empty()) {
      for (const Json& c : containers()) {
        const std::string name = c.value("name", "");
        if (!isSidecar(name)) out.push_back(name);
      }
      return out;
    }
    for (const std::string& name : config_.containers) {
      const bool exists = indexByName(containers(), name).has_value() && !isSidecar(name);
      if (exists) {
        out.push_back(name);
      } else if (form_ == InjectionForm::Enabled) {
        return base::fail(error(InjectError::Kind::MissingContainer,
                                "container \"" + name + "\" named in spec.containers not found"));
      }
    }
    return out;
  }

  Vars wantedVars() const {
    Vars vars;
    if (form_ == InjectionForm::Restored) return vars;
    const bool enabled = form_ == InjectionForm::Enabled;
    if (!config_.flag.name.empty()) {
      vars.emplace_back(config_.flag.name,
                        enabled ? config_.flag.enabledValue : config_.flag.disabledValue);
    }
    if (!enabled) return vars;
    const Json& metadata = d_["metadata"];
    const std::string name = metadata.value("name", "");
    const std::string ns = metadata.value("namespace", "");
    for (const EnvVar& e : config_.env) {
      const bool seen =
          std::any_of(vars.begin(), vars.end(), [&](const auto& v) { return v.first == e.name; });
      if (seen) continue;
      vars.emplace_back(
          e.name, replaceAll(replaceAll(e.value, "$(DEPLOYMENT_NAME)", name), "$(NAMESPACE)", ns));
    }
    return vars;
  }

  Check checkValueFrom(const std::vector<std::string>& targets, const Vars& vars) {
    for (const std::string& c : targets) {
      const Json env = containers()[*indexByName(containers(), c)].value("env", Json::array());
      for (const auto& [name, value] : vars) {
        auto i = indexByName(env, name);
        // Captured by name: clang before 16 cannot capture a structured binding (scripts/fuzz).
        const auto entries =
            std::count_if(env.begin(), env.end(), [&, &name = name](const Json& e) {
              return e.is_object() && e.value("name", "") == name;
            });
        // Kubernetes uses the last of duplicate entries; changing only one could leave the
        // container seeing another value than the status reports.
        if (entries > 1) {
          return base::fail(error(InjectError::Kind::Conflict,
                                  "container \"" + c + "\" defines " + name + " " +
                                      std::to_string(entries) +
                                      " times; the operator will not choose between them"));
        }
        if (i && env[*i].contains("valueFrom")) {
          return base::fail(error(InjectError::Kind::Conflict,
                                  "container \"" + c + "\" defines " + name +
                                      " with valueFrom; the operator will not overwrite it"));
        }
      }
    }
    return {};
  }

  void setVar(Json& container, ContainerRestoreRecord& rec, const std::string& name,
              const std::string& value) {
    if (rec.env.empty() && !rec.envAbsent) rec.envAbsent = !container.contains("env");
    Json& env = container["env"];
    if (!env.is_array()) env = Json::array();
    const auto i = indexByName(env, name);
    if (!rec.env.contains(name)) rec.env[name] = i ? env[*i] : Json();
    Json& entry = i ? env[*i] : env.emplace_back(Json{{"name", name}});
    // The API server omits an empty value; writing "" would differ from every read-back.
    if (value.empty()) {
      entry.erase("value");
    } else {
      entry["value"] = value;
    }
  }

  // Puts the original entry back (or removes the variable); a variable someone else switched to
  // valueFrom is theirs now and is left as it is.
  static void giveBack(Json& container, const std::string& name, const Json& original) {
    if (!container.contains("env") || !container["env"].is_array()) {
      if (original.is_null()) return;
      container["env"] = Json::array();
    }
    Json& env = container["env"];
    const auto i = indexByName(env, name);
    if (i && env[*i].contains("valueFrom")) return;
    if (original.is_null()) {
      if (i) env.erase(*i);
    } else if (i) {
      env[*i] = original;
    } else {
      env.push_back(original);
    }
  }

  void applyEnv(const std::vector<std::string>& targets, const Vars& vars) {
    std::map<std::string, ContainerRestoreRecord> kept;
    for (Json& container : containers()) {
      const std::string name = container.value("name", "");
      if (isSidecar(name)) continue;
      ContainerRestoreRecord rec = record_.containers[name];
      const bool target = std::find(targets.begin(), targets.end(), name) != targets.end();
      for (auto it = rec.env.begin(); it != rec.env.end();) {
        const bool wanted = target && std::any_of(vars.begin(), vars.end(), [&](const auto& v) {
                              return v.first == it->first;
                            });
        if (wanted) {
          ++it;
          continue;
        }
        // managedFields are read from the object as given (d_ keeps them while env changes).
        auto owners = envValueManagers(d_, name, it->first, annotations::kFieldManager);
        if (owners.empty()) {
          giveBack(container, it->first, it->second);
        } else if (leftToOthers_ != nullptr) {
          std::string names;
          for (const auto& o : owners) names += (names.empty() ? "" : ", ") + o;
          leftToOthers_->push_back(it->first + " in container " + name + ", owned by " + names);
        }
        it = rec.env.erase(it);
      }
      if (target) {
        for (const auto& [var, value] : vars) setVar(container, rec, var, value);
      }
      if (rec.env.empty()) {
        eraseIfEmptyAndWasAbsent(container, "env", rec.envAbsent);
      } else {
        kept[name] = std::move(rec);
      }
    }
    record_.containers = std::move(kept);
  }

  // The pod template's metadata; a Deployment always has one (apps/v1 requires labels that match
  // its selector), so creating it never happens for a valid object.
  Json& podMetadata() { return d_["spec"]["template"]["metadata"]; }

  // The OpenTelemetry Operator's annotations: set while Enabled; in every other form (and for a
  // key the configuration no longer has) the original is put back, or the key removed, unless
  // another field manager owns the annotation now: then it is theirs and left as it is.
  void applyPodAnnotations() {
    static const std::map<std::string, std::string> kNone;
    const auto& wanted = form_ == InjectionForm::Enabled ? config_.podAnnotations : kNone;
    if (wanted.empty() && record_.podAnnotations.empty()) return;
    Json& metadata = podMetadata();
    if (record_.podAnnotations.empty()) {
      record_.podAnnotationsAbsent = !metadata.contains("annotations");
    }
    Json& annotations = metadata["annotations"];
    if (!annotations.is_object()) annotations = Json::object();
    for (auto it = record_.podAnnotations.begin(); it != record_.podAnnotations.end();) {
      if (wanted.contains(it->first)) {
        ++it;
        continue;
      }
      auto owners = podAnnotationManagers(d_, it->first, annotations::kFieldManager);
      if (owners.empty()) {
        if (it->second.is_string()) {
          annotations[it->first] = it->second;
        } else {
          annotations.erase(it->first);
        }
      } else if (leftToOthers_ != nullptr) {
        std::string names;
        for (const auto& o : owners) names += (names.empty() ? "" : ", ") + o;
        leftToOthers_->push_back("pod annotation " + it->first + ", owned by " + names);
      }
      it = record_.podAnnotations.erase(it);
    }
    for (const auto& [key, value] : wanted) {
      if (!record_.podAnnotations.contains(key)) {
        const auto live = annotations.find(key);
        // Annotation values are strings on any server; anything else is recorded as absent.
        const bool had = live != annotations.end() && live->is_string();
        record_.podAnnotations[key] = had ? *live : Json();
      }
      annotations[key] = value;
    }
    if (record_.podAnnotations.empty()) {
      eraseIfEmptyAndWasAbsent(metadata, "annotations", record_.podAnnotationsAbsent);
      record_.podAnnotationsAbsent = false;
    }
  }

  void removeSidecar() {
    if (!record_.sidecar.empty()) eraseByName(containers(), record_.sidecar);
    record_.sidecar.clear();
    if (!record_.volume.empty() && podSpec().contains("volumes")) {
      eraseByName(podSpec()["volumes"], record_.volume);
      eraseIfEmptyAndWasAbsent(podSpec(), "volumes", record_.volumesAbsent);
    }
    record_.volume.clear();
    record_.volumesAbsent = false;
  }

  void ensureSidecar(const CollectorSpec& collector) {
    const Json desired = collectorContainer(collector);
    if (auto i = indexByName(containers(), collector.name)) {
      // An existing sidecar is rewritten only when the configuration changed: the API server
      // canonicalizes some of its values (resource quantities: "0.5" reads back as "500m"), and
      // comparing them with the spec would write on every reconcile. Only the fields the
      // operator owns are set; the rest may hold defaults the API server added.
      if (liveConfigHash_ != configHash(config_)) {
        for (auto it = desired.begin(); it != desired.end(); ++it) {
          containers()[*i][it.key()] = *it;
        }
      }
    } else {
      containers().push_back(desired);
    }
    record_.sidecar = collector.name;
    const std::string volumeName = collectorVolumeName(collector);
    if (record_.volume.empty()) record_.volumesAbsent = !podSpec().contains("volumes");
    Json& volumes = podSpec()["volumes"];
    if (!volumes.is_array()) volumes = Json::array();
    if (auto i = indexByName(volumes, volumeName)) {
      volumes[*i]["configMap"]["name"] = collector.configMap;
    } else {
      volumes.push_back(collectorVolume(collector));
    }
    record_.volume = volumeName;
  }

  void applySidecar() {
    switch (sidecarAction()) {
      case SidecarAction::Keep:
        return;
      case SidecarAction::Remove:
        removeSidecar();
        return;
      case SidecarAction::Want:
        if (record_.sidecar != config_.collector->name ||
            record_.volume != collectorVolumeName(*config_.collector)) {
          removeSidecar();
        }
        ensureSidecar(*config_.collector);
        return;
    }
  }

  void applyAnnotations() {
    Json& metadata = d_["metadata"];
    if (form_ == InjectionForm::Restored) {
      if (!metadata.contains("annotations") || !metadata["annotations"].is_object()) return;
      Json& annotations = metadata["annotations"];
      for (const char* key : {annotations::kOwner, annotations::kState, annotations::kConfigHash,
                              annotations::kRestore}) {
        annotations.erase(key);
      }
      eraseIfEmptyAndWasAbsent(metadata, "annotations", record_.annotationsAbsent);
      return;
    }
    Json& annotations = metadata["annotations"];
    if (!annotations.is_object()) annotations = Json::object();
    annotations[annotations::kOwner] = config_.owner;
    annotations[annotations::kState] =
        form_ == InjectionForm::Enabled ? annotations::kStateEnabled : annotations::kStateDisabled;
    annotations[annotations::kConfigHash] = configHash(config_);
    annotations[annotations::kRestore] = record_.toAnnotation();
  }

  Json d_;
  const InjectionConfig& config_;
  InjectionForm form_;
  std::vector<std::string>* leftToOthers_;  // may be null
  RestoreRecord record_;
  std::string liveConfigHash_;  // config-hash annotation as read
};

}  // namespace

InjectResult desiredDeployment(const Json& deployment, const InjectionConfig& config,
                               InjectionForm form, std::vector<std::string>* leftToOthers) {
  try {
    return Injection(deployment, config, form, leftToOthers).run();
  } catch (const Json::exception& e) {
    // Only reachable for objects that are not Deployments (a field of the wrong JSON type).
    return base::fail(error(InjectError::Kind::InvalidDeployment,
                            std::string("unexpected deployment shape: ") + e.what()));
  }
}

}  // namespace tro::controllers
