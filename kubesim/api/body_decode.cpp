// Request body decoding (JSON, or YAML for application/yaml and apply patches) with the real
// server's error wording for malformed input (reference §42). Hostile bodies are 400s, never
// crashes: invalid UTF-8 and nesting deeper than Go's limit are refused before parsing (see
// json_guard.h), and numbers beyond float64 (1e400) are answered as Go's decoder answers them.

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "kubesim/api/json_guard.h"
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
  // yaml.v2 keeps a float it cannot represent (1e400) as a string.
  if (*end == '\0' && std::isfinite(d) &&
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

// nlohmann throws out_of_range (not parse_error) for a number beyond float64:
// "number overflow parsing '1e400'". Go's decoder words the same failure like this.
std::string numberOverflowText(const nlohmann::json::exception& e) {
  const std::string what = e.what();
  const auto open = what.find('\'');
  const auto close = what.rfind('\'');
  const std::string number =
      open != std::string::npos && close > open ? what.substr(open + 1, close - open - 1) : "";
  return "json: cannot unmarshal number " + number + " into Go value of type float64";
}

// A problem the guards find before parsing, as "json parse error: <text>".
std::optional<std::string> guardProblem(const std::string& body, bool json) {
  if (auto at = invalidUtf8At(body)) {
    return "invalid UTF-8 in JSON input at offset " + std::to_string(*at);
  }
  if (!json) return std::nullopt;
  // nlohmann's lexer takes a NUL byte for the end of input and would accept '{}\0<anything>';
  // Go's decoder refuses any raw NUL in JSON text.
  if (const auto nul = body.find('\0'); nul != std::string::npos) {
    return "invalid character '\\x00' in JSON input at offset " + std::to_string(nul);
  }
  if (auto c = excessiveNesting(body)) {
    return std::string("invalid character '") + *c + "' exceeded max depth";
  }
  return std::nullopt;
}

}  // namespace

std::string mediaType(const std::string& contentType) {
  std::string m = contentType.substr(0, contentType.find(';'));
  while (!m.empty() && std::isspace(static_cast<unsigned char>(m.back()))) m.pop_back();
  for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m;
}

Result<Json> decodeObjectBody(const Request& request, const schema::KindInfo& kind) {
  std::string mt = mediaType(request.header("content-type"));
  if (!mt.empty() && mt != "application/json" && mt != "application/yaml") {
    return fail(unsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml"));
  }
  return decodeBody(request, kind, mt == "application/yaml");
}

Result<Json> decodeBody(const Request& request, const schema::KindInfo& kind, bool allowYaml) {
  const std::string& body = request.body;
  std::string prefix = "the object provided is unrecognized (must be of type " + kind.kind + "): ";
  std::string first;
  for (char c : body) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      first = c;
      break;
    }
  }
  const bool json = first == "{" || first == "[" || !allowYaml;
  if (auto problem = guardProblem(body, json)) {
    return fail(badRequest(prefix +
                           (json ? "couldn't get version/kind; json parse error: "
                                 : "error converting YAML to JSON: yaml: ") +
                           *problem + " (" + body.substr(0, 200) + ")"));
  }
  if (json) {
    try {
      return Json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
      return fail(badRequest(prefix + "couldn't get version/kind; json parse error: " +
                             jsonErrorText(e) + " (" + body.substr(0, 200) + ")"));
    } catch (const nlohmann::json::exception& e) {
      return fail(badRequest(kind.kind + " in version \"" + kind.version +
                             "\" cannot be handled as a " + kind.kind + ": " +
                             numberOverflowText(e)));
    }
  }
  try {
    return yamlToJson(YAML::Load(body));
  } catch (const YAML::Exception& e) {
    return fail(badRequest(prefix + "error converting YAML to JSON: yaml: " + e.msg));
  }
}

Result<Json> decodePatchBody(const std::string& body) {
  if (auto problem = guardProblem(body, true)) {
    return fail(badRequest("error decoding patch: " + *problem));
  }
  try {
    return Json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(badRequest(std::string("error decoding patch: ") + e.what()));
  } catch (const nlohmann::json::exception& e) {
    return fail(badRequest("error decoding patch: " + numberOverflowText(e)));
  }
}

}  // namespace kubesim::api
