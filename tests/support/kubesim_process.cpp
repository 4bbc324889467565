#include "tests/support/kubesim_process.h"

#include <algorithm>
#include <fstream>

namespace tro::testing {

using namespace std::chrono_literals;

std::unique_ptr<Kubesim> Kubesim::start(const std::vector<std::string>& flags, std::string& error) {
  auto k = std::make_unique<Kubesim>();
  if (k->dir().empty()) {
    error = "cannot create a temp dir";
    return nullptr;
  }
  const bool world = std::find(flags.begin(), flags.end(), "--no-controllers") == flags.end();
  const auto portFile = k->dir() / "metrics-port";
  std::vector<std::string> argv = {KUBESIM_BINARY, "--port", "0", "--kubeconfig-out",
                                   k->kubeconfig().string()};
  if (world) argv.insert(argv.end(), {"--metrics-port-file", portFile.string()});
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto process = ChildProcess::spawn(argv, k->env(), k->dir(), error);
  if (!process) return nullptr;
  k->process_.emplace(std::move(*process));
  if (!waitForFile(k->kubeconfig(), 30s)) {
    error = "kubesim wrote no kubeconfig within 30s; stderr:\n" + k->process_->err();
    return nullptr;
  }
  if (world) {
    if (!waitForFile(portFile, 30s)) {
      error = "kubesim wrote no metrics port within 30s; stderr:\n" + k->process_->err();
      return nullptr;
    }
    k->metricsPort_ = static_cast<std::uint16_t>(std::stoi(readFile(portFile)));
  }
  return k;
}

Kubesim::~Kubesim() {
  if (process_) process_->terminate();
}

std::map<std::string, std::string> Kubesim::env() const {
  return {{"HOME", dir().string()}, {"KUBECONFIG", kubeconfig().string()}};
}

std::vector<std::string> Kubesim::kubectlArgv(const std::vector<std::string>& args) {
  const auto cache = dir() / ("cache-" + std::to_string(calls_++));
  std::vector<std::string> argv = {KUBECTL_BINARY, "--kubeconfig", kubeconfig().string(),
                                   "--cache-dir", cache.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunResult Kubesim::kubectl(const std::vector<std::string>& args,
                           std::chrono::milliseconds timeout) {
  return run(kubectlArgv(args), env(), dir(), timeout);
}

std::optional<ChildProcess> Kubesim::kubectlAsync(const std::vector<std::string>& args) {
  std::string error;
  return ChildProcess::spawn(kubectlArgv(args), env(), dir(), error);
}

std::string Kubesim::writeFile(const std::string& name, const std::string& content) const {
  const auto path = dir() / name;
  std::ofstream(path) << content;
  return path.string();
}

bool Kubesim::control(const std::vector<std::string>& args, std::string* out, std::string* error) {
  RunResult r = kubectl(args);
  if (r.exitCode != 0) {
    if (error) *error = "kubectl " + args.at(0) + " --raw failed: " + r.err;
    return false;
  }
  if (out) *out = std::move(r.out);
  return true;
}

std::optional<nlohmann::json> Kubesim::requests(std::string* error) {
  std::string out;
  if (!control({"get", "--raw", "/kubesim/requests"}, &out, error)) return std::nullopt;
  auto parsed = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    if (error) *error = "/kubesim/requests is not JSON: " + out;
    return std::nullopt;
  }
  return parsed;
}

bool Kubesim::resetRequests(std::string* error) {
  const std::string file = writeFile("reset.json", "{}");
  return control({"create", "--raw", "/kubesim/requests/reset", "-f", file}, nullptr, error);
}

bool Kubesim::setFaults(const nlohmann::json& settings, std::string* error) {
  const std::string file = writeFile("faults.json", settings.dump());
  return control({"create", "--raw", "/kubesim/faults", "-f", file}, nullptr, error);
}

bool Kubesim::clearFaults(std::string* error) {
  return control({"delete", "--raw", "/kubesim/faults"}, nullptr, error);
}

std::uint64_t countRequests(const nlohmann::json& requests,
                            const std::map<std::string, std::string>& match) {
  std::uint64_t total = 0;
  for (const auto& row : requests.value("requests", nlohmann::json::array())) {
    bool all = true;
    for (const auto& [key, want] : match) {
      const auto it = row.find(key);
      if (it == row.end()) {
        all = false;
        break;
      }
      const std::string got = it->is_string() ? it->get<std::string>() : it->dump();
      if (got != want) {
        all = false;
        break;
      }
    }
    if (all) total += row.value("count", std::uint64_t{0});
  }
  return total;
}

}  // namespace tro::testing
