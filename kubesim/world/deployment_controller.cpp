#include "kubesim/world/deployment_controller.h"

#include <algorithm>

#include "kubesim/world/json_util.h"
#include "kubesim/world/replicaset_controller.h"
#include "kubesim/world/rollout_math.h"
#include "kubesim/world/template_hash.h"

namespace kubesim::world {
namespace {

const Json::json_pointer kName("/metadata/name");
const Json::json_pointer kNamespace("/metadata/namespace");
const Json::json_pointer kSpecReplicas("/spec/replicas");
constexpr const char* kRevision = "deployment.kubernetes.io/revision";
constexpr const char* kComponent = "deployment-controller";

std::string revisionOf(const Json& obj) {
  return strAt(obj, Json::json_pointer("/metadata/annotations/deployment.kubernetes.io~1revision"));
}

long revisionNumber(const Json& obj) {
  const std::string r = revisionOf(obj);
  return r.empty() ? 0 : std::strtol(r.c_str(), nullptr, 10);
}

std::string objectPath(const Json& obj, const char* plural) {
  return "/apis/apps/v1/namespaces/" + strAt(obj, kNamespace) + "/" + plural + "/" +
         strAt(obj, kName);
}

// Clamped (json_util.h): a negative or absurd count can never drive the rollout arithmetic.
int specReplicas(const Json& obj) { return replicasAt(obj, kSpecReplicas, 1); }
int statusInt(const Json& obj, const char* key) {
  return replicasAt(obj, Json::json_pointer(std::string("/status/") + key));
}

// The desired template with its hash label, as the new ReplicaSet and its pods carry it.
Json labelledTemplate(const Json& d, const std::string& hash) {
  Json t = d.value("spec", Json::object()).value("template", Json::object());
  t["metadata"]["labels"]["pod-template-hash"] = hash;
  return t;
}

}  // namespace

DeploymentController::DeploymentController(SimClient& client, const tro::base::Clock& clock,
                                           std::uint64_t seed)
    : client_(client), clock_(clock), rng_(seed ^ 0xd3b10e) {}

Result<void> DeploymentController::setRevisionAnnotation(Json& d, const std::string& revision) {
  // The real controller writes the annotation through UpdateStatus (no generation bump), together
  // with the Progressing condition set on the way; kubesim's status subresource keeps metadata
  // annotations, as a real server's does for apps/v1.
  Json patch = {{"metadata", {{"annotations", {{kRevision, revision}}}}}};
  if (d["status"].contains("conditions")) patch["status"]["conditions"] = d["status"]["conditions"];
  auto out = client_.mergePatch(objectPath(d, "deployments"), patch, true);
  if (!out) return fail(out.error());
  if (revisionOf(*out) != revision) {
    return fail(internalError("deployments/status of " + objectPath(d, "deployments") +
                              " did not keep the revision annotation"));
  }
  d["metadata"] = (*out)["metadata"];
  return {};
}

Result<void> DeploymentController::scaleReplicaSet(const Json& d, Json& rs, int replicas) {
  const int from = specReplicas(rs);
  if (from == replicas) return {};
  const Fenceposts f = resolveFenceposts(d.value("spec", Json::object()));
  const int desired = specReplicas(d);
  const Json patch = {
      {"metadata",
       {{"annotations",
         {{"deployment.kubernetes.io/desired-replicas", std::to_string(desired)},
          {"deployment.kubernetes.io/max-replicas", std::to_string(desired + f.maxSurge)}}}}},
      {"spec", {{"replicas", replicas}}}};
  auto out = client_.mergePatch(objectPath(rs, "replicasets"), patch);
  if (!out) return fail(out.error());
  rs = std::move(out).value();
  const std::string verb = replicas > from ? "up" : "down";
  return recordEvent(
      client_, clock_, d, kComponent, "ScalingReplicaSet",
      "Scaled " + verb + " replica set " + strAt(rs, kName) + " to " + std::to_string(replicas),
      rng_);
}

Result<Json> DeploymentController::ensureNewReplicaSet(Json& d, std::vector<Json>& rss,
                                                       const std::string& hash, int maxSurge) {
  long maxOld = 0;
  Json* found = nullptr;
  for (Json& rs : rss) {
    if (strAt(rs, Json::json_pointer("/metadata/labels/pod-template-hash")) == hash) {
      found = &rs;
    } else {
      maxOld = std::max(maxOld, revisionNumber(rs));
    }
  }
  const std::string nextRevision = std::to_string(maxOld + 1);
  std::vector<Json> conds = d["status"].value("conditions", Json::array());
  const bool hasProgressing = std::any_of(conds.begin(), conds.end(), [](const Json& c) {
    return c.value("type", "") == "Progressing";
  });
  const std::string now = tro::base::formatRfc3339(clock_.now());
  auto progressingCondition = [&](const char* reason, const std::string& message) {
    Json c = {{"type", "Progressing"}, {"status", "True"},      {"reason", reason},
              {"message", message},    {"lastUpdateTime", now}, {"lastTransitionTime", now}};
    std::erase_if(conds, [](const Json& x) { return x.value("type", "") == "Progressing"; });
    conds.push_back(std::move(c));
    d["status"]["conditions"] = conds;
  };
  if (found != nullptr) {
    // An old template came back (rollback): it becomes the newest revision again.
    if (revisionNumber(*found) <= maxOld) {
      auto out =
          client_.mergePatch(objectPath(*found, "replicasets"),
                             Json{{"metadata", {{"annotations", {{kRevision, nextRevision}}}}}});
      if (!out) return fail(out.error());
      *found = std::move(out).value();
    }
    if (!hasProgressing) {
      progressingCondition("FoundNewReplicaSet",
                           "Found new replica set \"" + strAt(*found, kName) + "\"");
    }
    return *found;
  }
  const int desired = specReplicas(d);
  int specTotal = 0;
  for (const Json& rs : rss) specTotal += specReplicas(rs);
  const bool recreate = d["spec"].value("strategy", Json::object()).value("type", "") == "Recreate";
  const int size = recreate ? desired : newReplicaSetSize(desired, maxSurge, specTotal, 0);
  Json selector = d["spec"].value("selector", Json::object());
  selector["matchLabels"]["pod-template-hash"] = hash;
  Json tmpl = labelledTemplate(d, hash);
  Json rs = {{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"metadata",
              {{"name", strAt(d, kName) + "-" + hash},
               {"namespace", strAt(d, kNamespace)},
               {"labels", tmpl["metadata"]["labels"]},
               {"annotations",
                {{"deployment.kubernetes.io/desired-replicas", std::to_string(desired)},
                 {"deployment.kubernetes.io/max-replicas", std::to_string(desired + maxSurge)},
                 {kRevision, nextRevision}}},
               {"ownerReferences", Json::array({controllerRef(d)})}}},
             {"spec",
              {{"replicas", size},
               {"minReadySeconds", intAt(d, Json::json_pointer("/spec/minReadySeconds"))},
               {"selector", selector},
               {"template", tmpl}}}};
  auto created =
      client_.create("/apis/apps/v1/namespaces/" + strAt(d, kNamespace) + "/replicasets", rs);
  if (!created) return fail(created.error());
  if (size > 0) {
    auto ev = recordEvent(
        client_, clock_, d, kComponent, "ScalingReplicaSet",
        "Scaled up replica set " + strAt(*created, kName) + " to " + std::to_string(size), rng_);
    if (!ev) return fail(ev.error());
  }
  progressingCondition("NewReplicaSetCreated",
                       "Created new replica set \"" + strAt(*created, kName) + "\"");
  rss.push_back(*created);
  return created;
}

Result<void> DeploymentController::writeStatus(const Json& d, const Json& newStatus) {
  const Json old = d.value("status", Json::object());
  if (old == newStatus) return {};
  Json patch = newStatus;
  for (const auto& [k, v] : old.items()) {
    if (!newStatus.contains(k)) patch[k] = nullptr;
  }
  auto out = client_.mergePatch(objectPath(d, "deployments"), Json{{"status", patch}}, true);
  if (!out) return fail(out.error());
  return {};
}

namespace {

bool isNewReplicaSet(const Json& rs, const std::string& hash) {
  return strAt(rs, Json::json_pointer("/metadata/labels/pod-template-hash")) == hash;
}

// calculateStatus' counters over every ReplicaSet as it is after this step.
ReplicaCounts countReplicas(const std::vector<Json>& rss, const std::string& hash,
                            std::string& newName) {
  ReplicaCounts counts;
  for (const Json& rs : rss) {
    counts.specTotal += specReplicas(rs);
    counts.replicas += statusInt(rs, "replicas");
    counts.ready += statusInt(rs, "readyReplicas");
    counts.available += statusInt(rs, "availableReplicas");
    if (isNewReplicaSet(rs, hash)) {
      counts.updated = statusInt(rs, "replicas");
      newName = strAt(rs, kName);
    }
  }
  return counts;
}

}  // namespace

Result<void> DeploymentController::scaleDownOld(const Json& d, const std::vector<Json*>& olds,
                                                const Json& newRs, int allSpec, int allAvailable) {
  const Fenceposts f = resolveFenceposts(d["spec"]);
  const int desired = specReplicas(d);
  // reconcileOldReplicaSets: nothing may go while it would break minimum availability.
  int budget = maxScaledDown(desired, f.maxUnavailable, allSpec, specReplicas(newRs),
                             statusInt(newRs, "availableReplicas"));
  if (budget <= 0) return {};
  for (Json* old : olds) {  // unhealthy old replicas first, oldest ReplicaSet first
    const int unhealthy = specReplicas(*old) - statusInt(*old, "availableReplicas");
    if (budget <= 0) break;
    if (unhealthy <= 0) continue;
    const int down = std::min(budget, unhealthy);
    if (auto r = scaleReplicaSet(d, *old, specReplicas(*old) - down); !r) return r;
    budget -= down;
  }
  int total = availableScaleDown(desired, f.maxUnavailable, allAvailable);
  for (Json* old : olds) {
    if (total <= 0) break;
    const int spec = specReplicas(*old);
    if (spec == 0) continue;
    const int down = std::min(spec, total);
    if (auto r = scaleReplicaSet(d, *old, spec - down); !r) return r;
    total -= down;
  }
  return {};
}

Result<void> DeploymentController::rolloutStep(Json& d, std::vector<Json>& rss,
                                               const std::string& hash, bool recreate) {
  const Fenceposts f = resolveFenceposts(d["spec"]);
  const int desired = specReplicas(d);
  auto created = ensureNewReplicaSet(d, rss, hash, f.maxSurge);
  if (!created) return fail(created.error());
  std::vector<Json*> olds;
  Json* newRs = nullptr;
  int allSpec = 0, allAvailable = 0;
  for (Json& rs : rss) {
    if (strAt(rs, kName) == strAt(*created, kName)) {
      newRs = &rs;
    } else {
      olds.push_back(&rs);
    }
    allSpec += specReplicas(rs);
    allAvailable += statusInt(rs, "availableReplicas");
  }
  if (revisionOf(d) != revisionOf(*newRs)) {
    if (auto r = setRevisionAnnotation(d, revisionOf(*newRs)); !r) return r;
  }
  const bool oldActive =
      std::any_of(olds.begin(), olds.end(), [](Json* r) { return specReplicas(*r) > 0; });
  const int newSpec = specReplicas(*newRs);
  const int grow = recreate ? desired : newReplicaSetSize(desired, f.maxSurge, allSpec, newSpec);
  if (newSpec < desired && grow > newSpec) return scaleReplicaSet(d, *newRs, grow);
  if (newSpec > desired && !oldActive) return scaleReplicaSet(d, *newRs, desired);
  if (oldActive) return scaleDownOld(d, olds, *newRs, allSpec, allAvailable);
  return {};
}

Result<void> DeploymentController::reconcile(const Json& deployment, std::vector<Json> rss) {
  if (terminating(deployment)) return {};
  Json d = deployment;
  if (!d.contains("spec") || !d["spec"].is_object()) {
    return fail(internalError("deployment " + strAt(d, kName) + " has no spec"));
  }
  if (!d.contains("status") || !d["status"].is_object()) d["status"] = Json::object();
  const Json oldStatus = d["status"];
  std::sort(rss.begin(), rss.end(), [](const Json& a, const Json& b) {
    return strAt(a, Json::json_pointer("/metadata/creationTimestamp")) <
           strAt(b, Json::json_pointer("/metadata/creationTimestamp"));
  });
  const std::string hash = podTemplateHash(d["spec"].value("template", Json::object()));
  const bool recreate = d["spec"].value("strategy", Json::object()).value("type", "") == "Recreate";
  const bool oldLeft = std::any_of(rss.begin(), rss.end(), [&](const Json& rs) {
    return !isNewReplicaSet(rs, hash) && (specReplicas(rs) > 0 || statusInt(rs, "replicas") > 0);
  });
  const Json::json_pointer pausedPtr("/spec/paused");
  const bool paused = d.contains(pausedPtr) && d.at(pausedPtr).is_boolean() && d.at(pausedPtr);
  if (paused) {
    // A paused rollout neither creates nor scales ReplicaSets; only status is kept current.
  } else if (recreate && oldLeft) {
    for (Json& rs : rss) {
      if (isNewReplicaSet(rs, hash)) continue;
      if (auto r = scaleReplicaSet(d, rs, 0); !r) return r;
    }
  } else if (auto r = rolloutStep(d, rss, hash, recreate); !r) {
    return r;
  }
  std::string newName;
  const ReplicaCounts counts = countReplicas(rss, hash, newName);
  Json status = computeDeploymentStatus(
      StatusInput{d, newName, counts, resolveFenceposts(d["spec"]), clock_.now()});
  Json withOld = d;
  withOld["status"] = oldStatus;
  if (auto r = writeStatus(withOld, status); !r) return r;
  // As the real controller: once a rollout is complete (or while paused), old ReplicaSets beyond
  // spec.revisionHistoryLimit go, oldest revision first.
  if (paused || deploymentComplete(d, status)) return cleanupOldReplicaSets(d, rss, hash);
  return {};
}

Result<void> DeploymentController::cleanupOldReplicaSets(const Json& d,
                                                         const std::vector<Json>& rss,
                                                         const std::string& hash) {
  const Json::json_pointer limitPtr("/spec/revisionHistoryLimit");
  if (!d.contains(limitPtr) || !d.at(limitPtr).is_number_integer()) return {};
  const long limit = std::max<long>(0, d.at(limitPtr).get<long>());
  std::vector<const Json*> idle;  // old, scaled to zero, no pods left, not already going
  for (const Json& rs : rss) {
    if (isNewReplicaSet(rs, hash) || terminating(rs)) continue;
    if (specReplicas(rs) != 0 || statusInt(rs, "replicas") != 0) continue;
    idle.push_back(&rs);
  }
  if (static_cast<long>(idle.size()) <= limit) return {};
  std::sort(idle.begin(), idle.end(),
            [](const Json* a, const Json* b) { return revisionNumber(*a) < revisionNumber(*b); });
  for (std::size_t i = 0; i < idle.size() - static_cast<std::size_t>(limit); ++i) {
    auto out = client_.remove(objectPath(*idle[i], "replicasets"));
    if (!out && out.error().code != 404) return fail(out.error());
  }
  return {};
}

}  // namespace kubesim::world
