// The Argo CD health check shipped in docs/argocd/health.lua, run by a real Lua interpreter on
// TelemetryRollout objects in each phase: Argo CD must show Healthy only for Succeeded, Degraded
// for a rollback or a stalled rollout, Suspended for a held one, Progressing otherwise.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

using Json = nlohmann::json;

// A Lua table constructor for a JSON value (objects and arrays as tables, null as nil).
std::string luaValue(const Json& value) {
  if (value.is_object()) {
    std::string out = "{";
    for (const auto& [key, item] : value.items())
      out += "[" + Json(key).dump() + "]=" + luaValue(item) + ",";
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "{";
    for (const auto& item : value) out += luaValue(item) + ",";
    return out + "}";
  }
  if (value.is_null()) return "nil";
  return value.dump();  // strings, numbers and booleans read the same in Lua
}

// Runs the health check on `object`; "<status>\n<message>" or an error.
base::Result<std::string, DocError> health(const Json& object) {
  auto script = readFile(sourcePath("docs/argocd/health.lua"));
  if (!script.ok()) return script;
  // Argo CD runs the script as a chunk with `obj` set; a function body behaves the same.
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("tro-health-" + std::to_string(::getpid()) + ".lua");
  std::ofstream(file) << "obj = " << luaValue(object) << "\nlocal function check()\n"
                      << *script
                      << "\nend\nlocal hs = check()\nio.write(hs.status, '\\n', hs.message)\n";
  auto out = runCommand(std::string(LUA_BINARY) + " " + file.string());
  std::filesystem::remove(file);
  return out;
}

Json rollout(const std::string& phase, const Json& conditions, int generation = 1,
             int observed = 1) {
  return {{"metadata", {{"name", "x"}, {"generation", generation}}},
          {"status",
           {{"phase", phase},
            {"observedGeneration", observed},
            {"stepProgress", "2/4"},
            {"targetProgress", "1/3"},
            {"conditions", conditions}}}};
}

Json condition(const std::string& type, const std::string& status, const std::string& reason) {
  return {{"type", type}, {"status", status}, {"reason", reason}};
}

struct Case {
  std::string name;
  Json object;
  std::string status;
  std::string messageHas;
};

TEST(ArgoCdHealth, MapsEveryPhaseAndCondition) {
  const std::vector<Case> cases = {
      {"no status yet", {{"metadata", {{"name", "x"}}}}, "Progressing", "Waiting"},
      {"older generation observed",
       rollout("Succeeded", Json::array({condition("Ready", "True", "Succeeded")}), 3, 2),
       "Progressing", "generation 3"},
      {"succeeded", rollout("Succeeded", Json::array({condition("Ready", "True", "Succeeded")})),
       "Healthy", "Succeeded (Succeeded)"},
      {"progressing",
       rollout("Progressing", Json::array({condition("Ready", "False", "CanaryWindow")})),
       "Progressing", "step 2/4, enabled 1/3"},
      {"rolled back",
       rollout("RolledBack", Json::array({condition("Ready", "False", "AnalysisFailed"),
                                          condition("Stalled", "True", "AnalysisFailed")})),
       "Degraded", "RolledBack (AnalysisFailed)"},
      {"invalid spec",
       rollout("Failed", Json::array({condition("Stalled", "True", "InvalidSpec"),
                                      condition("Ready", "False", "InvalidSpec")})),
       "Degraded", "InvalidSpec"},
      {"stalled while pending",
       rollout("Pending", Json::array({condition("Stalled", "True", "NoTargets")})), "Degraded",
       "Pending"},
      {"paused", rollout("Paused", Json::array({condition("Ready", "False", "AwaitingPromotion")})),
       "Suspended", "AwaitingPromotion"},
  };
  for (const auto& c : cases) {
    auto out = health(c.object);
    ASSERT_TRUE(out.ok()) << c.name << ": " << out.error().message;
    const auto newline = out->find('\n');
    ASSERT_NE(newline, std::string::npos) << c.name << ": " << *out;
    EXPECT_EQ(out->substr(0, newline), c.status) << c.name;
    EXPECT_NE(out->find(c.messageHas, newline), std::string::npos)
        << c.name << ": message " << out->substr(newline + 1);
  }
}

}  // namespace
}  // namespace tro::docs
