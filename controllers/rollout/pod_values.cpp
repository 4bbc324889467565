#include "controllers/rollout/pod_values.h"

#include <array>
#include <cctype>
#include <cmath>
#include <map>

#include "operator/base/untrusted_text.h"

namespace tro::controllers {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLowerAlnum(char c) { return isDigit(c) || (c >= 'a' && c <= 'z'); }

// A suffix scales by a power of ten (decimal SI) or of two (binary SI).
struct Suffix {
  std::string_view text;
  int exp10;
  int exp2;
};

constexpr std::array<Suffix, 16> kSuffixes{{
    {"Ki", 0, 10},
    {"Mi", 0, 20},
    {"Gi", 0, 30},
    {"Ti", 0, 40},
    {"Pi", 0, 50},
    {"Ei", 0, 60},
    {"n", -9, 0},
    {"u", -6, 0},
    {"m", -3, 0},
    {"", 0, 0},
    {"k", 3, 0},
    {"M", 6, 0},
    {"G", 9, 0},
    {"T", 12, 0},
    {"P", 15, 0},
    {"E", 18, 0},
}};

// "e3", "E-2", "e+10": a decimal exponent suffix; nullopt otherwise.
std::optional<int> exponentSuffix(std::string_view s) {
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return std::nullopt;
  size_t i = 1;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') negative = s[i++] == '-';
  if (i == s.size() || s.size() - i > 4) return std::nullopt;
  int value = 0;
  for (; i < s.size(); ++i) {
    if (!isDigit(s[i])) return std::nullopt;
    value = value * 10 + (s[i] - '0');
  }
  return negative ? -value : value;
}

// path-component: [a-z0-9]+ separated by '.', '_', '__' or one or more '-'.
bool isPathComponent(std::string_view c) {
  if (c.empty() || !isLowerAlnum(c.front()) || !isLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size();) {
    if (isLowerAlnum(c[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < c.size() && !isLowerAlnum(c[j])) ++j;
    std::string_view sep = c.substr(i, j - i);
    const bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (sep != "." && sep != "_" && sep != "__" && !dashes) return false;
    i = j;
  }
  return true;
}

// A registry host: DNS-ish labels (letters of either case, digits, '-') joined by '.', or a
// bracketed IPv6 address, with an optional numeric port.
bool isRegistry(std::string_view d) {
  size_t colon = d.rfind(':');
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos) return false;
    colon = d.find(':', close);
  }
  std::string_view host = d.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = d.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (!isDigit(c)) return false;
    }
  }
  if (host.empty()) return false;
  if (host.front() == '[') {
    return host.back() == ']' && host.size() > 2 &&
           host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") ==
               std::string_view::npos;
  }
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot - start);
    if (label.empty() || !std::isalnum(static_cast<unsigned char>(label.front())) ||
        !std::isalnum(static_cast<unsigned char>(label.back()))) {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool isTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

// algorithm:encoded; sha256 must be 64 lowercase hex digits.
bool isDigest(std::string_view d) {
  size_t colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == d.size()) return false;
  std::string_view algorithm = d.substr(0, colon);
  std::string_view encoded = d.substr(colon + 1);
  for (char c : algorithm) {
    if (!isLowerAlnum(c) && c != '+' && c != '.' && c != '_' && c != '-') return false;
  }
  for (char c : encoded) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  if (algorithm == "sha256") {
    return encoded.size() == 64 && encoded.find_first_of("ABCDEF") == std::string_view::npos;
  }
  return encoded.size() >= 32;
}

}  // namespace

std::optional<long double> parseQuantity(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
  // The digits as an integer and a power of ten, so that "1000m" is exactly 1 and "100m" equals
  // "0.1": dividing by an exact power of ten rounds once.
  long double mantissa = 0;
  int exp10 = 0;
  bool digits = false;
  bool dot = false;
  for (; i < text.size() && (isDigit(text[i]) || text[i] == '.'); ++i) {
    if (text[i] == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    digits = true;
    mantissa = mantissa * 10 + (text[i] - '0');
    if (dot) --exp10;
  }
  if (!digits) return std::nullopt;
  std::string_view suffix = text.substr(i);
  int exp2 = 0;
  if (auto e = exponentSuffix(suffix)) {
    exp10 += *e;
  } else {
    const Suffix* found = nullptr;
    for (const Suffix& s : kSuffixes) {
      if (s.text == suffix) found = &s;
    }
    if (found == nullptr) return std::nullopt;
    exp10 += found->exp10;
    exp2 = found->exp2;
  }
  long double value =
      exp10 >= 0 ? mantissa * std::pow(10.0L, exp10) : mantissa / std::pow(10.0L, -exp10);
  value = std::ldexp(value, exp2);
  return negative ? -value : value;
}

bool isImageReference(std::string_view image) {
  if (image.empty() || image.size() > 4096) return false;
  std::string_view name = image;
  if (size_t at = image.find('@'); at != std::string_view::npos) {
    if (!isDigest(image.substr(at + 1))) return false;
    name = image.substr(0, at);
  }
  // A tag is after the last ':' that follows the last '/'.
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    if (!isTag(name.substr(colon + 1))) return false;
    name = name.substr(0, colon);
  }
  if (name.empty() || name.size() > 255) return false;
  std::string_view path = name;
  if (size_t first = name.find('/'); first != std::string_view::npos) {
    std::string_view head = name.substr(0, first);
    // As the reference library does: the first part is a registry when it has a '.' or ':' or
    // is "localhost"; otherwise it is the first path component.
    if (head.find_first_of(".:") != std::string_view::npos || head == "localhost" ||
        (!head.empty() && head.front() == '[')) {
      if (!isRegistry(head)) return false;
      path = name.substr(first + 1);
    }
  }
  size_t start = 0;
  while (true) {
    size_t next = path.find('/', start);
    if (!isPathComponent(path.substr(start, next - start))) return false;
    if (next == std::string_view::npos) return true;
    start = next + 1;
  }
}

std::vector<ValueProblem> resourceRequirementsProblems(const kube::Json& resources,
                                                       const std::string& path) {
  std::vector<ValueProblem> problems;
  if (!resources.is_object()) {
    problems.push_back({path, "must be of type object"});
    return problems;
  }
  for (const auto& [key, value] : resources.items()) {
    if (key != "requests" && key != "limits") {
      problems.push_back({path + "." + key, "not supported: only requests and limits"});
    } else if (!value.is_object()) {
      problems.push_back({path + "." + key, "must be of type object"});
    }
  }
  if (!problems.empty()) return problems;
  auto quantities = [&](const char* which) {
    std::map<std::string, long double> out;
    auto it = resources.find(which);
    if (it == resources.end()) return out;
    for (const auto& [name, q] : it->items()) {
      const std::string field = path + "." + which + "." + name;
      std::optional<long double> v;
      if (q.is_string()) v = parseQuantity(q.get<std::string>());
      if (q.is_number()) v = q.get<long double>();
      if (!v) {
        problems.push_back({field, (q.is_string() ? base::quoteExcerpt(q.get<std::string>(), 64)
                                                  : std::string("a ") + q.type_name()) +
                                       " is not a quantity (e.g. 100m, 128Mi, 0.5)"});
      } else if (*v < 0) {
        problems.push_back({field, "must be greater than or equal to 0"});
      } else {
        out[name] = *v;
      }
    }
    return out;
  };
  const auto requests = quantities("requests");
  const auto limits = quantities("limits");
  for (const auto& [name, request] : requests) {
    auto limit = limits.find(name);
    if (limit != limits.end() && request > limit->second) {
      problems.push_back(
          {path + ".requests." + name, "must be less than or equal to the " + name + " limit"});
    }
  }
  return problems;
}

}  // namespace tro::controllers
