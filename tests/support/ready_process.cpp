#include "tests/support/ready_process.h"

#include "tests/support/eventually.h"
#include "tests/support/http_get.h"

namespace tro::testing {

using namespace std::chrono_literals;

std::optional<ChildProcess> spawnReady(const std::vector<std::string>& argv,
                                       const std::filesystem::path& dir, std::uint16_t port,
                                       const std::string& what, std::string& error) {
  auto process = ChildProcess::spawn(argv, {}, dir, error);
  if (!process) return std::nullopt;
  const bool ready = eventually(
      [&] { return httpGet(port, "/-/ready").status == 200 || process->waitFor(0ms).has_value(); },
      60s);
  if (ready && !process->waitFor(0ms).has_value()) return process;
  error = what + " did not become ready on port " + std::to_string(port) + "; stderr:\n" +
          process->err();
  process->terminate();
  return std::nullopt;
}

}  // namespace tro::testing
