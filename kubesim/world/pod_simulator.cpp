#include "kubesim/world/pod_simulator.h"

#include <algorithm>

#include "kubesim/world/json_util.h"
#include "kubesim/world/template_hash.h"

namespace kubesim::world {
namespace {

Json condition(const std::string& type, bool status, tro::base::TimePoint since,
               const std::string& reason = "", const std::string& message = "") {
  // No lastProbeTime: null would delete the key in a merge patch, so it could never compare equal.
  Json c = {{"type", type},
            {"status", status ? "True" : "False"},
            {"lastTransitionTime", tro::base::formatRfc3339(since)}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

// A stable address per pod, so repeated passes want the same status.
std::string podIp(const std::string& uid) {
  const std::uint32_t h = fnv32a(uid);
  return "10.244." + std::to_string((h >> 8) % 250 + 1) + "." + std::to_string(h % 250 + 2);
}

}  // namespace

PodSimulator::PodSimulator(SimClient& client, const WorldOptions& options)
    : client_(client), options_(options) {}

bool PodSimulator::isReady(const Json& pod) {
  const Json::json_pointer p("/status/conditions");
  if (!pod.contains(p) || !pod.at(p).is_array()) return false;
  for (const Json& c : pod.at(p)) {
    if (c.is_object() && c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

bool PodSimulator::settled(const Json& pod, const Behaviour& behaviour,
                           tro::base::TimePoint now) const {
  if (terminating(pod)) return true;
  if (behaviour.crashLoop) return false;
  auto seen = firstSeen_.find(strAt(pod, Json::json_pointer("/metadata/uid")));
  if (seen == firstSeen_.end()) return false;
  return now >= seen->second + std::max(options_.podStartDelay, options_.podReadyDelay);
}

Json PodSimulator::wantedStatus(const Json& pod, const Behaviour& b, tro::base::TimePoint firstSeen,
                                tro::base::TimePoint now) {
  const tro::base::TimePoint started = firstSeen + options_.podStartDelay;
  const tro::base::TimePoint readyAt = firstSeen + options_.podReadyDelay;
  Json s = Json::object();
  if (now < started) {
    s["phase"] = "Pending";
    s["conditions"] = Json::array({condition("PodScheduled", true, firstSeen)});
    return s;
  }
  const bool crashing = b.crashLoop;
  const bool ready = !crashing && !b.neverReady && now >= readyAt;
  const Json::json_pointer containersPtr("/spec/containers");
  const Json containers =
      pod.contains(containersPtr) ? pod.at(containersPtr) : Json::array({Json::object()});
  const std::string appName = containers.empty() ? "app" : containers[0].value("name", "app");
  const auto restarts =
      crashing ? static_cast<std::int64_t>((now - started) / options_.crashLoopPeriod) : 0;
  Json statuses = Json::array();
  std::vector<std::string> unready;
  for (const Json& c : containers) {
    const std::string name = c.value("name", "app");
    const bool isApp = name == appName;
    const bool containerReady = isApp ? ready : now >= readyAt;
    if (!containerReady) unready.push_back(name);
    Json cs = {{"name", name},
               {"image", c.value("image", "")},
               {"imageID", ""},
               {"containerID",
                "containerd://" + std::to_string(fnv32a(pod["metadata"].value("uid", "") + name))},
               {"ready", containerReady},
               {"restartCount", isApp ? restarts : 0},
               {"started", !(isApp && crashing)}};
    if (isApp && crashing) {
      cs["state"] = {{"waiting",
                      {{"reason", "CrashLoopBackOff"},
                       {"message", "back-off 10s restarting failed container=" + name +
                                       " pod=" + pod["metadata"].value("name", "")}}}};
      cs["lastState"] = {{"terminated", {{"exitCode", 1}, {"reason", "Error"}}}};
    } else {
      cs["state"] = {{"running", {{"startedAt", tro::base::formatRfc3339(started)}}}};
    }
    statuses.push_back(std::move(cs));
  }
  std::string list;
  for (const auto& n : unready) list += (list.empty() ? "" : " ") + n;
  const std::string reason = unready.empty() ? "" : "ContainersNotReady";
  const std::string message =
      unready.empty() ? "" : "containers with unready status: [" + list + "]";
  const tro::base::TimePoint readySince = ready ? readyAt : started;
  s["phase"] = "Running";
  const std::string node = pod.value("spec", Json::object()).value("nodeName", "");
  const auto address = options_.nodeAddresses.find(node);
  const std::string hostIp = address == options_.nodeAddresses.end() ? "10.0.0.1" : address->second;
  s["hostIP"] = hostIp;
  s["hostIPs"] = Json::array({{{"ip", hostIp}}});
  s["podIP"] = podIp(pod["metadata"].value("uid", ""));
  s["startTime"] = tro::base::formatRfc3339(firstSeen);
  s["qosClass"] = "BestEffort";
  s["conditions"] = Json::array({condition("Initialized", true, started),
                                 condition("Ready", ready, readySince, reason, message),
                                 condition("ContainersReady", ready, readySince, reason, message),
                                 condition("PodScheduled", true, firstSeen)});
  s["containerStatuses"] = std::move(statuses);
  return s;
}

Result<void> PodSimulator::reconcile(const Json& pod, const Behaviour& behaviour,
                                     tro::base::TimePoint now) {
  if (terminating(pod)) return {};
  const std::string uid = strAt(pod, Json::json_pointer("/metadata/uid"));
  auto seen = firstSeen_.try_emplace(uid, now).first->second;
  const Json want = wantedStatus(pod, behaviour, seen, now);
  const Json have = pod.value("status", Json::object());
  bool same = true;
  for (const auto& [k, v] : want.items()) same = same && have.contains(k) && have[k] == v;
  if (same) return {};
  const std::string path = "/api/v1/namespaces/" +
                           strAt(pod, Json::json_pointer("/metadata/namespace")) + "/pods/" +
                           strAt(pod, Json::json_pointer("/metadata/name"));
  auto out = client_.mergePatch(path, Json{{"status", want}}, true);
  if (!out) return fail(out.error());
  return {};
}

}  // namespace kubesim::world
