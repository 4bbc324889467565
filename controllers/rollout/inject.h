#pragma once
// Injection: the desired Deployment, computed purely from the live one and the configuration.
//
// Three forms (InjectionForm):
//   Enabled   flag = enabledValue and every configured env var set on the application containers
//             (the named ones, or every container but the collector); collector sidecar and its
//             ConfigMap volume present when configured; the OpenTelemetry Operator's annotations
//             (spec.instrumentation) set on the pod template.
//   Disabled  the rollback form: flag = disabledValue, the other variables and the pod-template
//             annotations given back (original value restored, or removed); sidecar and volume
//             removed only when removeCollectorOnRollback, otherwise left as they are.
//   Restored  everything the operator ever changed put back exactly as it was, operator
//             annotations removed: restore(inject(d)) == d.
// Enabled/Disabled also set the owner, state, config-hash and restore annotations
// (annotations.h; the restore record's contract is in restore_record.h).
//
// Without a flag (spec.instrumentation alone) no variable is the switch: Disabled sets none.
// Only the operator's variables, container, volume and annotations are touched: everything else
// in `deployment` (including status and other people's changes) is carried through as is, so
// makeJsonPatch(live, desired) holds only the operator's changes. Every form is idempotent.
//
// Conflicts (InjectError::Kind::Conflict; the Deployment must be left alone and the conflict
// reported): the owner annotation names another rollout; a variable the operator must set is
// defined with valueFrom; a container or volume with the collector's names exists that the
// operator did not add. A variable that someone switched to valueFrom after the operator set it is
// never overwritten: Disabled/Restored give it up (drop it from the record) instead.
// $(DEPLOYMENT_NAME) and $(NAMESPACE) in env values are substituted per Deployment.
// Caveats: an existing sidecar is rewritten only when the config-hash annotation differs from
// configHash(config) (the API server canonicalizes resource quantities, so comparing would write
// forever); an empty value is written without "value" (as the API server returns it).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/rollout/spec.h"
#include "operator/base/result.h"

namespace tro::controllers {

struct InjectionConfig {
  std::string owner;        // "<namespace>/<name>" of the TelemetryRollout
  FlagSpec flag;            // name empty: no flag
  std::vector<EnvVar> env;  // in order, setEnv overrides already applied, not yet substituted
  std::map<std::string, std::string> podAnnotations;  // spec.instrumentation.annotations
  std::optional<CollectorSpec> collector;
  std::vector<std::string> containers;  // empty: every container but the collector
  bool removeCollectorOnRollback = false;
  bool operator==(const InjectionConfig&) const = default;
};

// spec.env with `overrides` (accumulated setEnv steps, applied in order) replacing values by
// name; an override for an undeclared variable is appended.
InjectionConfig makeInjectionConfig(const RolloutSpec& spec, const std::string& owner,
                                    const std::vector<EnvVar>& overrides = {});

// Stable hash (FNV-1a 64, 16 hex digits) of the injected configuration: flag, env, collector,
// target containers and pod-template annotations (hashed only when there are some, so that the
// hash of a configuration without them is the one earlier versions wrote). Independent of owner
// and rollback options. Equal configs, equal hashes, across processes and versions of this code.
std::string configHash(const InjectionConfig& config);

enum class InjectionForm { Enabled, Disabled, Restored };
const char* toString(InjectionForm form);

struct InjectError {
  enum class Kind {
    Conflict,           // see above; the message names the conflicting thing
    MissingContainer,   // a container named in spec.containers does not exist
    CorruptRecord,      // the restore annotation cannot be parsed
    InvalidDeployment,  // no spec.template.spec.containers array
  };
  Kind kind = Kind::Conflict;
  std::string message;
  bool operator==(const InjectError&) const = default;
};
const char* toString(InjectError::Kind kind);

using InjectResult = base::Result<nlohmann::json, InjectError>;

// The desired Deployment in `form`. Value in, value out; never reads anything else.
// Variables the operator would give back (restore to their value before the rollout, or remove)
// but whose value another field manager owns now (metadata.managedFields) are left as they are
// and named in `leftToOthers` ("FEATURE_OTEL in container app, owned by argocd"): restore never
// takes a field from its current owner. Pod-template annotations follow the same rule. Needs
// managedFields; informer copies have none.
InjectResult desiredDeployment(const nlohmann::json& deployment, const InjectionConfig& config,
                               InjectionForm form,
                               std::vector<std::string>* leftToOthers = nullptr);

inline InjectResult inject(const nlohmann::json& deployment, const InjectionConfig& config) {
  return desiredDeployment(deployment, config, InjectionForm::Enabled);
}
inline InjectResult rollback(const nlohmann::json& deployment, const InjectionConfig& config) {
  return desiredDeployment(deployment, config, InjectionForm::Disabled);
}
inline InjectResult restore(const nlohmann::json& deployment, const InjectionConfig& config) {
  return desiredDeployment(deployment, config, InjectionForm::Restored);
}

// The collector sidecar container and its volume as injected (exposed for tests and docs).
nlohmann::json collectorContainer(const CollectorSpec& collector);
nlohmann::json collectorVolume(const CollectorSpec& collector);
std::string collectorVolumeName(const CollectorSpec& collector);  // "<name>-config"

}  // namespace tro::controllers
