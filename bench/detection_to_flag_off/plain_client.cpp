#include "bench/detection_to_flag_off/plain_client.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace tro::bench {

std::string setEnvPatch(const std::string& container, const std::string& var,
                        const std::string& value) {
  // nlohmann's objects keep their keys sorted, as Go's encoding/json writes kubectl's maps.
  const auto order = [](const std::string& name) {
    return kube::Json::array({kube::Json::object({{"name", name}})});
  };
  kube::Json patched = kube::Json::object();
  patched["$setElementOrder/env"] = order(var);
  patched["env"] = kube::Json::array({kube::Json::object({{"name", var}, {"value", value}})});
  patched["name"] = container;
  kube::Json spec = kube::Json::object();
  spec["$setElementOrder/containers"] = order(container);
  spec["containers"] = kube::Json::array({patched});
  kube::Json body = kube::Json::object();
  body["spec"]["template"]["spec"] = std::move(spec);
  return body.dump();
}

std::string patchDeployment(kube::ApiClient& client, const std::string& ns, const std::string& name,
                            const std::string& body) {
  auto patched =
      client.patch(kube::resources::deployments(), ns, name, kube::PatchType::StrategicMerge, body,
                   {"kubectl-set", false, "", false});
  return patched.ok() ? std::string() : patched.error().toString();
}

std::string forEachParallel(const std::vector<std::string>& names, int threads,
                            const std::function<std::string(const std::string&)>& request) {
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::string firstError;  // guarded by mu
  {
    std::vector<std::jthread> workers;
    const int count = std::min(threads, static_cast<int>(names.size()));
    for (int i = 0; i < count; ++i) {
      workers.emplace_back([&] {
        for (std::size_t k = next++; k < names.size(); k = next++) {
          std::string error = request(names[k]);
          if (error.empty()) continue;
          std::lock_guard lock(mu);
          if (firstError.empty()) firstError = names[k] + ": " + error;
        }
      });
    }
  }  // the jthreads join here, after the last answer
  return firstError;
}

}  // namespace tro::bench
