#include "operator/kube/transport/token_source.h"

#include "operator/base/bounded_file.h"

namespace tro::kube::transport {
namespace {

Error tokenError(const std::string& file, const std::string& why) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "TokenFile";
  e.message = "read token file " + file + ": " + why;
  return e;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TokenSource::TokenSource(std::string token, std::string tokenFile)
    : fixed_(std::move(token)), file_(std::move(tokenFile)) {}

Result<std::string> TokenSource::current() {
  if (file_.empty()) return fixed_;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(file_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(file_, ec);
  std::lock_guard lock(mu_);
  if (ec) {
    // Keep using the last good token while a rotation briefly removes the file.
    if (loaded_) return cached_;
    return fail(tokenError(file_, ec.message()));
  }
  if (loaded_ && mtime == mtime_ && size == size_) return cached_;
  auto content = base::readFileBounded(file_, base::kMaxCredentialFileBytes);
  if (!content.ok()) return fail(tokenError(file_, content.error()));
  cached_ = trimmed(std::move(content).value());
  mtime_ = mtime;
  size_ = size;
  loaded_ = true;
  return cached_;
}

}  // namespace tro::kube::transport
