#include "controllers/rollout/spec_reader.h"

#include <regex>

#include "operator/base/duration.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/names.h"

namespace tro::controllers::detail {
namespace {

const char* typeName(Json::value_t t) {
  switch (t) {
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
      return "integer";
    default:
      return "number";
  }
}

}  // namespace

const Json* SpecReader::get(const Json& obj, const std::string& key, const std::string& path,
                            Json::value_t type) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  bool ok = it->type() == type || (type == Json::value_t::number_float && it->is_number()) ||
            (type == Json::value_t::number_integer && it->is_number_integer());
  if (!ok) {
    problem(path, std::string("must be of type ") + typeName(type));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> SpecReader::string(const Json& obj, const std::string& key,
                                              const std::string& path) {
  const Json* v = get(obj, key, path, Json::value_t::string);
  if (v == nullptr) return std::nullopt;
  return v->get<std::string>();
}

std::optional<nanoseconds> SpecReader::duration(const Json& obj, const std::string& key,
                                                const std::string& path, nanoseconds min,
                                                nanoseconds max) {
  auto text = string(obj, key, path);
  if (!text) return std::nullopt;
  auto d = base::parseDuration(*text);
  if (!d.ok()) {
    problem(path, d.error().message);
    return std::nullopt;
  }
  if (d->count() <= 0) {
    problem(path, "must be positive");
    return std::nullopt;
  }
  if (*d < min) {
    problem(path, "must be at least " + base::formatDuration(min));
    return std::nullopt;
  }
  if (*d > max) {
    problem(path, "must be at most " + base::formatDuration(max));
    return std::nullopt;
  }
  return *d;
}

// By hand: std::regex recurses per character and a long hostile name would overflow the stack.
bool isEnvName(const std::string& s) {
  auto allowed = [](char c, bool first) {
    return c == '-' || c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
  };
  if (s.empty() || s.size() > 1024) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!allowed(s[i], i == 0)) return false;
  }
  return true;
}

bool isConfigMapKey(const std::string& s) {
  static const std::regex re("^[-._a-zA-Z0-9]+$");
  return !s.empty() && s.size() <= 253 && s != "." && s != ".." && std::regex_match(s, re);
}

std::string at(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::optional<std::string> secretName(SpecReader& r, const Json& ref, const std::string& path) {
  auto name = r.string(ref, "name", path + ".name");
  if (!name) {
    if (!ref.contains("name")) r.problem(path + ".name", "Required value");
    return std::nullopt;
  }
  if (!kube::isDnsSubdomain(*name)) {
    r.problem(path + ".name", base::quoteExcerpt(*name, 80) + " is not a valid Secret name");
    return std::nullopt;
  }
  return name;
}

}  // namespace tro::controllers::detail
