#include "operator/runtime/http_server_checks.h"

namespace tro::runtime {

void HealthChecks::addReadinessCheck(std::string name, Check check) {
  std::lock_guard lock(mu_);
  checks_.emplace_back(std::move(name), std::move(check));
}

HealthChecks::Outcome HealthChecks::evaluate() const {
  std::vector<std::pair<std::string, Check>> checks;
  {
    std::lock_guard lock(mu_);
    checks = checks_;
  }
  Outcome out;
  std::string detail;
  for (const auto& [name, check] : checks) {
    bool ok = check();
    detail += (ok ? "[+]" : "[-]") + name + (ok ? " ok\n" : " failed\n");
    if (!ok) {
      out.ready = false;
      out.failing.push_back(name);
    }
  }
  out.body = out.ready ? "ok\n" : detail + "readyz check failed\n";
  return out;
}

}  // namespace tro::runtime
