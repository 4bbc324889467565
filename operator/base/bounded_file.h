#pragma once
// Files the operator reads (its kubeconfig, its service-account token, the admin's provider
// file and the credential files it names, the alert receiver's token) are read whole but never
// past a limit: only regular files, and an error once more than maxBytes would be read, so a
// path to /dev/zero or a runaway file costs at most maxBytes + 1 bytes of memory.

#include <cstddef>
#include <string>

#include "operator/base/result.h"

namespace tro::base {

inline constexpr size_t kMaxCredentialFileBytes = 64u << 10;  // tokens, passwords
inline constexpr size_t kMaxCaFileBytes = 1u << 20;           // PEM bundles
inline constexpr size_t kMaxConfigFileBytes = 4u << 20;       // kubeconfig, provider file

// The file's content, or "<path>: <why>" (not found, not a regular file, over the limit).
Result<std::string, std::string> readFileBounded(const std::string& path, size_t maxBytes);

}  // namespace tro::base
