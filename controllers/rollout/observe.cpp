#include "controllers/rollout/observe.h"

#include <algorithm>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject_field_managers.h"
#include "controllers/rollout/plan_config.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/status.h"
#include "controllers/rollout/target_observation.h"
#include "controllers/rollout/targets.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/base/rfc3339.h"
#include "operator/kube/json_fields.h"

namespace tro::controllers {
namespace {

using kube::Json;

bool targeted(const RolloutSpec& spec, const Json& workload) {
  const WorkloadKind kind = workloadKindOf(workload);
  return std::find(spec.targetKinds.begin(), spec.targetKinds.end(), kind) !=
         spec.targetKinds.end();
}

// A StatefulSet updated only from a partition up: its lower ordinals keep their template, so
// telemetry would reach some of its pods only, while its rollout reads as complete.
std::optional<std::string> partitioned(const Json& workload) {
  if (workloadKindOf(workload) != WorkloadKind::StatefulSet) return std::nullopt;
  const Json::json_pointer p("/spec/updateStrategy/rollingUpdate/partition");
  if (!workload.contains(p) || !workload.at(p).is_number_integer() ||
      workload.at(p).get<int64_t>() <= 0) {
    return std::nullopt;
  }
  return "StatefulSet \"" + kube::stringAt(workload, "metadata", "name") +
         "\" has updateStrategy.rollingUpdate.partition " +
         std::to_string(workload.at(p).get<int64_t>()) +
         ": its pods below that ordinal keep their template, so telemetry would reach only some "
         "of them (set the partition to 0 to include it)";
}

int lastStep(const RolloutSpec& spec) {
  return std::max(0, static_cast<int>(spec.steps.size()) - 1);
}

// The rollout's own part of an observation: identity, spec (with the outbound rules and the
// analysis criteria applied to its validity) and status.
void readRollout(const TypedRollout& typed, base::TimePoint now, const OutboundRules& outbound,
                 const base::Logger& log, Observed& out) {
  PlanInput& in = out.input;
  in.now = now;
  in.rollout = typed.identity;
  const std::string& key = typed.key;
  const Json& rollout = *typed.object;
  in.spec = typed.spec;
  in.specHash = typed.specHash;
  if (in.spec.spec) {
    if (auto refused = outboundProblems(*in.spec.spec, outbound); !refused.empty()) {
      in.spec.problems = std::move(refused);
      in.spec.spec.reset();
    }
  }
  if (in.spec.spec && in.spec.spec->analysis) {
    // Analysis fields spec.h leaves to criteria.h are part of the spec's validity.
    const analysis::ParsedExtensions& ext = typed.analysis;
    auto compiled = analysis::makeCriteria(*in.spec.spec->analysis, ext.extensions);
    std::vector<SpecProblem> problems = ext.problems;
    problems.insert(problems.end(), compiled.problems.begin(), compiled.problems.end());
    if (problems.empty()) {
      in.inconclusiveLimit = compiled.criteria.inconclusiveLimit;
      out.criteria = std::move(compiled.criteria);
    } else {
      in.spec.problems = std::move(problems);
      in.spec.spec.reset();
    }
  }
  if (auto s = rollout.find("status"); s != rollout.end() && s->is_object() && !s->empty()) {
    auto status = statusFromJson(*s);
    if (status.ok()) {
      in.status = std::move(status).value();
    } else {
      // Unreadable memory: start over rather than stall; the planner re-derives from the
      // Deployments' annotations, so no write is repeated needlessly.
      log.warn("ignoring unreadable status", {{"rollout", key}, {"error", status.error().message}});
    }
  }
}

}  // namespace

InjectionConfig configAt(const std::optional<RolloutSpec>& spec, const std::string& key, int step) {
  if (!spec) {
    // An invalid spec only ever restores: the restore record on the Deployment carries what to
    // put back, so the owner is all the configuration needed.
    InjectionConfig config;
    config.owner = key;
    return config;
  }
  if (step < 0 || step > lastStep(*spec)) step = lastStep(*spec);
  return makeInjectionConfig(*spec, key, setEnvOverrides(spec->steps, step));
}

Observed observeAll(const TypedRollout& rollout, const std::vector<runtime::ObjectPtr>& deployments,
                    base::TimePoint now, const OutboundRules& outbound, const base::Logger& log,
                    const std::vector<std::string>& selectedNamespaces) {
  Observed out;
  readRollout(rollout, now, outbound, log, out);
  PlanInput& in = out.input;
  const std::string key = in.rollout.key();
  const std::optional<RolloutSpec>& rs = in.spec.spec;
  if (rs) in.configHashes = stepConfigHashes(*rs, key);
  const int step = in.status ? in.status->currentStep : 0;
  const std::string desiredHash =
      in.configHashes.empty()
          ? ""
          : in.configHashes.at(std::min<size_t>(std::max(step, 0), in.configHashes.size() - 1));
  const InjectionConfig config = configAt(rs, key, step);

  std::vector<std::pair<std::string, runtime::ObjectPtr>> sorted;  // by target key
  for (const auto& d : deployments) {
    sorted.emplace_back(targetKeyOf(*d, in.rollout.clusterScoped()), d);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& entry : sorted) {
    const std::string& name = entry.first;  // not a structured binding: the lambda below uses it
    const runtime::ObjectPtr& d = entry.second;
    const Json labels = (*d)["metadata"].value("labels", Json::object());
    const bool inScope = !in.rollout.clusterScoped() ||
                         std::binary_search(selectedNamespaces.begin(), selectedNamespaces.end(),
                                            kube::stringAt(*d, "metadata", "namespace"));
    const bool selected = rs && inScope && targeted(*rs, *d) && rs->selector.matches(labels);
    // The observation names the target by its key: with its namespace for a cluster rollout.
    auto observed = [&] {
      TargetObservation t = observe(*d, key, desiredHash);
      t.name = name;
      return t;
    };
    if (selected) {
      in.targets.push_back(observed());
      out.deployments[name] = d;
      if (in.targets.back().health.state == RolloutHealth::State::NotRollable) {
        // Its pods change only when someone deletes them: a wave could never be waited for.
        in.injectConflicts[name] = in.targets.back().health.message;
      } else if (auto partial = partitioned(*d)) {
        in.injectConflicts[name] = *partial;
      } else if (auto dry = desiredDeployment(*d, config, InjectionForm::Enabled); !dry.ok()) {
        in.injectConflicts[name] = dry.error().message;
      }
    } else if (ownerOf(*d) == key) {
      in.departed.push_back(observed());
      out.deployments[name] = d;
    }
  }
  return out;
}

std::vector<Reverter> revertingManagers(const Json& deployment, const InjectionConfig& config) {
  std::vector<Reverter> out;
  auto add = [&](std::vector<std::string> managers, const std::string& field) {
    for (auto& m : managers) {
      const bool seen =
          std::any_of(out.begin(), out.end(), [&](const Reverter& r) { return r.manager == m; });
      if (!seen) out.push_back({std::move(m), field});
    }
  };
  const std::string collector = config.collector ? config.collector->name : "";
  const Json& containers = deployment["spec"]["template"]["spec"]["containers"];
  if (!config.flag.name.empty() && containers.is_array()) {
    for (const auto& c : containers) {
      const std::string name = c.value("name", "");
      if (name.empty() || name == collector) continue;
      if (!config.containers.empty() &&
          std::find(config.containers.begin(), config.containers.end(), name) ==
              config.containers.end()) {
        continue;
      }
      add(envValueManagers(deployment, name, config.flag.name, annotations::kFieldManager),
          config.flag.name);
    }
  }
  for (const auto& [key, value] : config.podAnnotations) {
    add(podAnnotationManagers(deployment, key, annotations::kFieldManager),
        "pod annotation " + key);
  }
  return out;
}

}  // namespace tro::controllers
