#include "tests/integration/ship/yaml_documents.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>

namespace tro::ship {

namespace {

Json scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  // Tag "!" marks a quoted (non-plain) scalar: always a string.
  if (node.Tag() == "!") return s;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kFloat("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  if (std::regex_match(s, kInt)) {
    long long v = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) return v;
    return s;  // out of range: keep the text
  }
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
}

Json toJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return scalar(node);
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(toJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = toJson(kv.second);
      return out;
    }
    default:
      return nullptr;
  }
}

}  // namespace

base::Result<std::vector<Json>, std::string> parseYamlDocuments(const std::string& text) {
  try {
    std::vector<Json> out;
    for (const auto& doc : YAML::LoadAll(text)) {
      Json j = toJson(doc);
      if (!j.is_null()) out.push_back(std::move(j));
    }
    return out;
  } catch (const YAML::Exception& e) {
    return base::fail(std::string("invalid YAML: ") + e.what());
  }
}

std::string toYamlStream(const std::vector<Json>& objects) {
  std::string out;
  for (const auto& o : objects) out += "---\n" + o.dump() + "\n";
  return out;
}

}  // namespace tro::ship
