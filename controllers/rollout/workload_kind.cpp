#include "controllers/rollout/workload_kind.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>

#include "operator/kube/json_fields.h"

namespace tro::controllers {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

constexpr WorkloadKind kAll[] = {WorkloadKind::Deployment, WorkloadKind::StatefulSet,
                                 WorkloadKind::DaemonSet};

}  // namespace

const char* toString(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::Deployment:
      return "Deployment";
    case WorkloadKind::StatefulSet:
      return "StatefulSet";
    case WorkloadKind::DaemonSet:
      return "DaemonSet";
  }
  return "Deployment";
}

std::optional<WorkloadKind> workloadKindNamed(std::string_view kind) {
  for (WorkloadKind k : kAll) {
    if (kind == toString(k)) return k;
  }
  return std::nullopt;
}

kube::ResourceType workloadResource(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::Deployment:
      return kube::resources::deployments();
    case WorkloadKind::StatefulSet:
      return kube::resources::statefulSets();
    case WorkloadKind::DaemonSet:
      return kube::resources::daemonSets();
  }
  return kube::resources::deployments();
}

WorkloadKind workloadKindOf(const nlohmann::json& workload) {
  return workloadKindNamed(kube::stringAt(workload, "kind")).value_or(WorkloadKind::Deployment);
}

std::string targetKey(const TargetRef& ref) {
  if (!ref.namespace_.empty()) {
    return ref.namespace_ + "/" + lower(toString(ref.kind)) + "/" + ref.name;
  }
  if (ref.kind == WorkloadKind::Deployment) return ref.name;
  return lower(toString(ref.kind)) + "/" + ref.name;
}

std::string targetKeyOf(const nlohmann::json& workload, bool withNamespace) {
  return targetKey({workloadKindOf(workload), kube::stringAt(workload, "metadata", "name"),
                    withNamespace ? kube::stringAt(workload, "metadata", "namespace") : ""});
}

TargetRef targetRef(const std::string& key) {
  auto kindNamed = [](const std::string& prefix) -> std::optional<WorkloadKind> {
    for (WorkloadKind k : kAll) {
      if (prefix == lower(toString(k))) return k;
    }
    return std::nullopt;
  };
  const auto first = key.find('/');
  if (first == std::string::npos) return {WorkloadKind::Deployment, key, ""};
  const auto second = key.find('/', first + 1);
  if (second == std::string::npos) {
    auto k = kindNamed(key.substr(0, first));
    if (k && *k != WorkloadKind::Deployment) return {*k, key.substr(first + 1), ""};
    return {WorkloadKind::Deployment, key, ""};
  }
  if (auto k = kindNamed(key.substr(first + 1, second - first - 1))) {
    return {*k, key.substr(second + 1), key.substr(0, first)};
  }
  return {WorkloadKind::Deployment, key, ""};
}

std::string describeTarget(const std::string& key) {
  const TargetRef ref = targetRef(key);
  return std::string(toString(ref.kind)) + " " +
         (ref.namespace_.empty() ? ref.name : ref.namespace_ + "/" + ref.name);
}

std::vector<WorkloadKind> watchedKinds(const nlohmann::json& rollout) {
  bool wanted[std::size(kAll)] = {true, false, false};
  auto want = [&](const nlohmann::json& kind) {
    if (!kind.is_string()) return;
    if (auto k = workloadKindNamed(kind.get<std::string>())) wanted[static_cast<int>(*k)] = true;
  };
  if (!rollout.is_object()) return {WorkloadKind::Deployment};
  if (auto spec = rollout.find("spec"); spec != rollout.end() && spec->is_object()) {
    if (auto kinds = spec->find("targetKinds"); kinds != spec->end() && kinds->is_array()) {
      for (const auto& k : *kinds) want(k);
    }
  }
  if (auto status = rollout.find("status"); status != rollout.end() && status->is_object()) {
    if (auto targets = status->find("targets"); targets != status->end() && targets->is_array()) {
      for (const auto& t : *targets) {
        if (t.is_object() && t.contains("kind")) want(t["kind"]);
      }
    }
  }
  std::vector<WorkloadKind> out;
  for (WorkloadKind k : kAll) {
    if (wanted[static_cast<int>(k)]) out.push_back(k);
  }
  return out;
}

std::vector<std::string> listedNamespaces(const nlohmann::json& rollout) {
  std::set<std::string> out;
  if (!rollout.is_object()) return {};
  auto status = rollout.find("status");
  if (status == rollout.end() || !status->is_object()) return {};
  auto targets = status->find("targets");
  if (targets == status->end() || !targets->is_array()) return {};
  for (const auto& t : *targets) {
    if (auto ns = kube::stringAt(t, "namespace"); !ns.empty()) out.insert(ns);
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> workloadNames(const std::vector<std::string>& keys,
                                       const std::vector<std::string>& except) {
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    std::string name = targetRef(key).name;
    if (std::find(out.begin(), out.end(), name) == out.end() &&
        std::find(except.begin(), except.end(), name) == except.end()) {
      out.push_back(std::move(name));
    }
  }
  return out;
}

}  // namespace tro::controllers
