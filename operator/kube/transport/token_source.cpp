#include "operator/kube/transport/token_source.h"

#include <fstream>
#include <sstream>

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
  std::ifstream in(file_, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in) return fail(tokenError(file_, "cannot read"));
  cached_ = trimmed(content.str());
  mtime_ = mtime;
  size_ = size;
  loaded_ = true;
  return cached_;
}

}  // namespace tro::kube::transport
