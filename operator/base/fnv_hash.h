#pragma once
// FNV-1a 64 over bytes, as 16 lower-case hex digits: stable across processes, builds and
// versions, so hashes written into objects (the config-hash annotation, status.specHash) keep
// meaning the same thing after an upgrade. Not for security.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace tro::base {

inline std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  }
  return hash;
}

inline std::string hex16(std::uint64_t value) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(value));
  return hex;
}

inline std::string fnv1a64Hex(std::string_view bytes) { return hex16(fnv1a64(bytes)); }

}  // namespace tro::base
