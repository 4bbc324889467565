#include "operator/kube/names.h"

#include <string>

namespace tro::kube {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?, of any length.
bool isLabelShaped(std::string_view s) {
  if (s.empty() || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!isLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

}  // namespace

bool isDnsLabel(std::string_view s) { return s.size() <= 63 && isLabelShaped(s); }

bool isDnsSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (!isLabelShaped(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

Error invalidRequest(std::string message) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "InvalidRequest";
  e.message = std::move(message);
  return e;
}

Result<void> validateLabel(std::string_view what, std::string_view value) {
  if (isDnsLabel(value)) return {};
  return fail(invalidRequest(std::string(what) + " \"" + std::string(value) +
                             "\" is not a valid DNS-1123 label"));
}

Result<void> validateSubdomain(std::string_view what, std::string_view value) {
  if (isDnsSubdomain(value)) return {};
  return fail(invalidRequest(std::string(what) + " \"" + std::string(value) +
                             "\" is not a valid DNS-1123 subdomain"));
}

}  // namespace tro::kube
