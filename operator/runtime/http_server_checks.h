#pragma once
// Named readiness checks for /readyz (e.g. "informers": every cache has synced). Checks may be
// added at any time from any thread; evaluate() runs them all under no lock of ours, so a check
// may take its own locks. A check must be quick: it runs on each probe.

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tro::runtime {

class HealthChecks {
 public:
  using Check = std::function<bool()>;

  void addReadinessCheck(std::string name, Check check);

  struct Outcome {
    bool ready = true;
    std::vector<std::string> failing;  // names of the checks that failed, in registration order
    std::string body;                  // "ok\n" or "[+]a ok\n[-]b failed\nreadyz check failed\n"
  };
  Outcome evaluate() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, Check>> checks_;  // guarded by mu_
};

}  // namespace tro::runtime
