#pragma once
// UUIDv4 strings from a seedable PRNG, so tests get reproducible uids. Not thread-safe: the
// ApiServer calls it under its store mutex.

#include <chrono>
#include <cstdint>
#include <random>
#include <string>

namespace kubesim::api {

class UidGenerator {
 public:
  explicit UidGenerator(std::uint64_t seed) : rng_(seed) {}
  std::string next();

 private:
  std::mt19937_64 rng_;
};

// RFC 3339 with second precision in UTC ("2026-11-21T05:39:24Z"), as metadata timestamps.
std::string formatTimestamp(std::chrono::system_clock::time_point t);

}  // namespace kubesim::api
