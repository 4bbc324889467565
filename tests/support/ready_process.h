#pragma once
// Starting a server process that reports readiness at GET /-/ready (Prometheus, Alertmanager).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace tro::testing {

// Spawns `argv` in `dir` and waits, 60 s at most, until GET /-/ready on 127.0.0.1:`port` answers
// 200. nullopt when it exits first or never gets ready (it is then stopped), with the reason and
// its stderr in `error`; `what` names it there.
std::optional<ChildProcess> spawnReady(const std::vector<std::string>& argv,
                                       const std::filesystem::path& dir, std::uint16_t port,
                                       const std::string& what, std::string& error);

}  // namespace tro::testing
