#include "tests/support/operator_process.h"

#include <signal.h>

#include <algorithm>
#include <sstream>

#include "tests/support/eventually.h"
#include "tests/support/free_port.h"
#include "tests/support/http_get.h"

namespace tro::testing {

using namespace std::chrono_literals;

std::unique_ptr<OperatorProcess> OperatorProcess::start(const std::filesystem::path& kubeconfig,
                                                        const std::vector<std::string>& flags,
                                                        std::string& error) {
  auto op = std::make_unique<OperatorProcess>();
  op->kubeconfig_ = kubeconfig;
  op->flags_ = flags;
  if (!op->launch(error)) return nullptr;
  return op;
}

bool OperatorProcess::launch(std::string& error) {
  // Ports are chosen before the operator binds them; retry when another process took one.
  for (int attempt = 0; attempt < 3; ++attempt) {
    metricsPort_ = freeLoopbackPort();
    healthPort_ = freeLoopbackPort();
    std::vector<std::string> argv = {OPERATOR_BINARY,
                                     "--kubeconfig",
                                     kubeconfig_.string(),
                                     "--log-format",
                                     "text",
                                     "--metrics-bind-address",
                                     "127.0.0.1:" + std::to_string(metricsPort_),
                                     "--health-probe-bind-address",
                                     "127.0.0.1:" + std::to_string(healthPort_)};
    // The suites' Prometheus and webhook receivers listen on loopback, which the operator
    // refuses unless named; a test that sets either flag itself gets only its own.
    for (const char* flag : {"--allowed-prometheus-hosts", "--allowed-webhook-hosts"}) {
      const bool given = std::any_of(flags_.begin(), flags_.end(), [flag](const std::string& f) {
        return f.rfind(flag, 0) == 0;
      });
      if (!given) argv.push_back(std::string(flag) + "=127.0.0.1");
    }
    argv.insert(argv.end(), flags_.begin(), flags_.end());
    const auto runDir = dir_.path() / ("run-" + std::to_string(runs_++));
    std::filesystem::create_directories(runDir);
    auto process = ChildProcess::spawn(argv, {{"HOME", dir_.path().string()}}, runDir, error);
    if (!process) return false;
    process_.emplace(std::move(*process));
    const bool settled = eventually(
        [&] {
          return httpGet(healthPort_, "/readyz").status == 200 ||
                 process_->waitFor(0ms).has_value();
        },
        60s);
    if (settled && !process_->waitFor(0ms).has_value()) return true;
    error = "the operator did not become ready; logs:\n" + process_->err();
    previousLogs_ += process_->err();
    process_->terminate();
    process_.reset();
  }
  return false;
}

OperatorProcess::~OperatorProcess() {
  if (process_) process_->terminate();
}

std::string OperatorProcess::logs() const {
  return previousLogs_ + (process_ ? process_->err() : std::string());
}

std::string OperatorProcess::logsTail(std::size_t bytes) const {
  const std::string all = logs();
  return all.size() > bytes ? "...\n" + all.substr(all.size() - bytes) : all;
}

std::string OperatorProcess::metrics() const {
  const HttpReply reply = httpGet(metricsPort_, "/metrics");
  return reply.status == 200 ? reply.body : std::string();
}

std::optional<double> OperatorProcess::metric(const std::string& series) const {
  std::istringstream lines(metrics());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series, 0) != 0 || line.size() <= series.size()) continue;
    const char next = line[series.size()];
    if (next != ' ' && next != '{' && next != ',') continue;
    try {
      return std::stod(line.substr(line.rfind(' ') + 1));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void OperatorProcess::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->waitFor(10s);
  previousLogs_ += process_->err();
  process_.reset();
}

int OperatorProcess::terminate() {
  if (!process_) return -1;
  const int code = process_->terminate(20s);
  previousLogs_ += process_->err();
  process_.reset();
  return code;
}

bool OperatorProcess::restart(std::string& error) {
  if (process_) terminate();
  return launch(error);
}

}  // namespace tro::testing
