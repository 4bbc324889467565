#pragma once
// The bearer token of a transport: a fixed string, or a file re-read whenever its size or
// modification time changes (projected service-account tokens are rotated in place, through a
// symlink swap that the metadata of the followed path reflects). Thread-safe.

#include <filesystem>
#include <mutex>
#include <string>

#include "operator/kube/error.h"

namespace tro::kube::transport {

class TokenSource {
 public:
  TokenSource(std::string token, std::string tokenFile);
  // The current token ("" when none is configured); a Config error when the file is unreadable.
  Result<std::string> current();

 private:
  const std::string fixed_;
  const std::string file_;
  std::mutex mu_;
  std::filesystem::file_time_type mtime_;  // guarded by mu_
  std::uintmax_t size_ = 0;                // guarded by mu_
  bool loaded_ = false;                    // guarded by mu_
  std::string cached_;                     // guarded by mu_
};

}  // namespace tro::kube::transport
