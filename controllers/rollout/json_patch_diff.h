#pragma once
// makeJsonPatch(live, desired): the RFC 6902 patch the operator sends to a Deployment. It starts
// with {"op":"test","path":"/metadata/resourceVersion","value":<live rv>} so that any write made
// by someone else since `live` was read makes the whole patch fail (the operator then re-reads
// and recomputes: no one's concurrent change is lost). The remaining ops turn live into desired
// with few operations in the common cases:
//   - object members are compared key by key (one add/remove/replace per changed member);
//   - arrays of equal length are compared index by index (a changed env value is one replace);
//   - arrays of different length are aligned by a minimal edit script, so appending an env var
//     or a container is one add and dropping one is one remove. Ops within one array are
//     ordered: in-place changes first (original indices), then removes from the highest index
//     down, then adds in ascending final index. (Arrays too large to align, more than 4096
//     element pairs, are replaced whole; pod templates never come near that.)
// When live and desired are equal the patch holds only the test op: isNoOpPatch() is true and
// the caller writes nothing. A live object without metadata.resourceVersion gets no test op.

#include <nlohmann/json.hpp>

namespace tro::controllers {

nlohmann::json makeJsonPatch(const nlohmann::json& live, const nlohmann::json& desired);

// The ops turning `from` into `to`, paths prefixed with `path` (a JSON pointer, "" = root).
nlohmann::json jsonDiff(const nlohmann::json& from, const nlohmann::json& to,
                        const std::string& path = "");

// True when the patch changes nothing (empty, or only "test" ops).
bool isNoOpPatch(const nlohmann::json& patch);

// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string escapePointerToken(const std::string& token);

}  // namespace tro::controllers
