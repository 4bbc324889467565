// Request body decoding (JSON, or YAML for application/yaml and apply patches) with the real
// server's error wording for malformed input (reference §42).

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>

#include "kubesim/api/server_impl.h"

namespace kubesim::api {
namespace {

Json scalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted scalar: always a string
  if (s == "null" || s == "~" || s.empty()) return nullptr;
  if (s == "true" || s == "True") return true;
  if (s == "false" || s == "False") return false;
  char* end = nullptr;
  long long i = std::strtoll(s.c_str(), &end, 10);
  if (*end == '\0' && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) return i;
  double d = std::strtod(s.c_str(), &end);
  if (*end == '\0' &&
      (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.')) {
    return d;
  }
  return s;
}

Json yamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = yamlToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(yamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      return scalarToJson(node);
    default:
      return nullptr;
  }
}

std::string jsonErrorText(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  if (what.find("unexpected end of input") != std::string::npos) {
    return "unexpected end of JSON input";
  }
  return "invalid character in JSON input at offset " + std::to_string(e.byte);
}

}  // namespace

std::string mediaType(const std::string& contentType) {
  std::string m = contentType.substr(0, contentType.find(';'));
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.pop_back();
  for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m;
}

Result<Json> decodeObjectBody(const Request& request, const std::string& kind) {
  std::string mt = mediaType(request.header("content-type"));
  if (!mt.empty() && mt != "application/json" && mt != "application/yaml") {
    return fail(unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml"));
  }
  return decodeBody(request, kind, mt == "application/yaml");
}

Result<Json> decodeBody(const Request& request, const std::string& kind, bool allowYaml) {
  const std::string& body = request.body;
  std::string prefix = "the object provided is unrecognized (must be of type " + kind + "): ";
  std::string first;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      first = c;
      break;
    }
  }
  if (first == "{" || first == "[" || !allowYaml) {
    try {
      return Json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
      return fail(badRequest(prefix + "couldn't get version/kind; json parse error: " +
                             jsonErrorText(e) + " (" + body.substr(0, 200) + ")"));
    }
  }
  try {
    return yamlToJson(YAML::Load(body));
  } catch (const YAML::Exception& e) {
    return fail(badRequest(prefix + "error converting YAML to JSON: yaml: " + e.msg));
  }
}

}  // namespace kubesim::api
