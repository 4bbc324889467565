#include "kubesim/schema/name_rules.h"

#include <algorithm>

namespace kubesim::schema {
namespace {

bool lowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string maxLenError(int length) {
  return "must be no more than " + std::to_string(length) + " characters";
}

}  // namespace

std::vector<std::string> isDNS1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 63) errs.push_back(maxLenError(63));
  const bool ok =
      !value.empty() && lowerAlnum(value.front()) && lowerAlnum(value.back()) &&
      std::all_of(value.begin(), value.end(), [](char c) { return lowerAlnum(c) || c == '-'; });
  if (!ok) errs.emplace_back(kDns1123LabelError);
  return errs;
}

std::vector<std::string> isValidPortName(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 15) errs.push_back(maxLenError(15));
  const bool charset = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return lowerAlnum(c) || c == '-';
  });
  if (!charset)
    errs.emplace_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (std::none_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    errs.emplace_back("must contain at least one letter (a-z)");
  }
  if (value.find("--") != std::string_view::npos) {
    errs.emplace_back("must not contain consecutive hyphens");
  }
  if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
    errs.emplace_back("must not begin or end with a hyphen");
  }
  return errs;
}

std::vector<std::string> isValidPortNum(std::int64_t port) {
  if (port >= 1 && port <= 65535) return {};
  return {"must be between 1 and 65535, inclusive"};
}

std::vector<std::string> isRelaxedEnvVarName(std::string_view value) {
  std::vector<std::string> errs;
  if (value.empty()) errs.emplace_back("environment variable name must be non-empty");
  // Bytes of multi-byte (or invalid) UTF-8 are >= 0x80: runes beyond ASCII either way.
  const bool bad = std::any_of(value.begin(), value.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c > 0x7e || c == '=';
  });
  if (bad) errs.emplace_back(kRelaxedEnvVarNameError);
  return errs;
}

}  // namespace kubesim::schema
