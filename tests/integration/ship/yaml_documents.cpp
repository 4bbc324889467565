#include "tests/integration/ship/yaml_documents.h"

#include <yaml-cpp/yaml.h>

#include "tests/support/yaml_json.h"

namespace tro::ship {

base::Result<std::vector<Json>, std::string> parseYamlDocuments(const std::string& text) {
  try {
    std::vector<Json> out;
    for (const auto& doc : YAML::LoadAll(text)) {
      Json j = testing::yamlToJson(doc);
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
