#include "kubesim/patch/strategic_merge.h"

#include <algorithm>
#include <optional>

#include "kubesim/patch/json_text.h"

namespace kubesim::patch {
namespace {

constexpr const char* kPatch = "$patch";
constexpr const char* kRetainKeys = "$retainKeys";
const std::string kOrderPrefix = "$setElementOrder/";
const std::string kDeletePrefix = "$deleteFromPrimitiveList/";

bool startsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

class Merger {
 public:
  explicit Merger(const PatchMeta& meta) : meta_(meta) {}

  // nullopt from mergeValue means "delete this key" ($patch: delete on a map).
  Result<std::optional<Json>> mergeMap(const Json& original, const Json& patch,
                                       const std::string& path) const {
    Json result = original.is_object() ? original : Json::object();
    if (auto directive = patch.find(kPatch); directive != patch.end()) {
      const std::string d = directive->is_string() ? directive->get<std::string>() : "";
      if (d == "delete") return std::optional<Json>();
      if (d == "replace") result = Json::object();
      if (d != "delete" && d != "replace" && d != "merge") {
        return fail(badRequest("Unknown patch type: " + compactJson(*directive) +
                               " in map: " + compactJson(patch)));
      }
    }
    if (auto retain = patch.find(kRetainKeys); retain != patch.end()) {
      if (!retain->is_array()) return fail(badRequest("$retainKeys must be a list of strings"));
      for (auto it = result.begin(); it != result.end();) {
        bool keep = std::find(retain->begin(), retain->end(), Json(it.key())) != retain->end();
        it = keep ? std::next(it) : result.erase(it);
      }
    }
    for (const auto& [key, value] : patch.items()) {
      if (key == kPatch || key == kRetainKeys || startsWith(key, kOrderPrefix) ||
          startsWith(key, kDeletePrefix)) {
        continue;
      }
      if (value.is_null()) {
        result.erase(key);
        continue;
      }
      auto it = result.find(key);
      const Json orig = it == result.end() ? Json() : *it;
      auto merged = mergeValue(orig, value, PatchMeta::child(path, key));
      if (!merged) return fail(std::move(merged).error());
      if (merged->has_value()) {
        result[key] = std::move(**merged);
      } else {
        result.erase(key);
      }
    }
    // Directives for lists the patch does not otherwise mention.
    for (const auto& [key, value] : patch.items()) {
      if (startsWith(key, kDeletePrefix)) {
        const std::string list = key.substr(kDeletePrefix.size());
        if (!result.contains(list) || !result[list].is_array() || !value.is_array()) continue;
        Json& target = result[list];
        // `value` captured by name: clang before 16 cannot capture a structured binding.
        target.erase(std::remove_if(target.begin(), target.end(),
                                    [&value = value](const Json& v) {
                                      return std::find(value.begin(), value.end(), v) !=
                                             value.end();
                                    }),
                     target.end());
      } else if (startsWith(key, kOrderPrefix)) {
        const std::string list = key.substr(kOrderPrefix.size());
        if (result.contains(list) && result[list].is_array() && value.is_array()) {
          result[list] = applyOrder(result[list], value, original, list, path);
        }
      }
    }
    return std::optional<Json>(std::move(result));
  }

 private:
  Result<std::optional<Json>> mergeValue(const Json& orig, const Json& value,
                                         const std::string& path) const {
    if (value.is_object()) return mergeMap(orig.is_object() ? orig : Json(), value, path);
    if (value.is_array()) {
      auto list = mergeList(orig.is_array() ? orig : Json::array(), value, path);
      if (!list) return fail(std::move(list).error());
      return std::optional<Json>(std::move(*list));
    }
    return std::optional<Json>(value);
  }

  Result<Json> mergeList(const Json& original, const Json& patch, const std::string& path) const {
    const ListMeta lm = meta_.list(path);
    if (lm.type == ListType::Set) {
      Json result = original;
      for (const auto& v : patch) {
        if (std::find(result.begin(), result.end(), v) == result.end()) result.push_back(v);
      }
      return result;
    }
    if (lm.type == ListType::Atomic || lm.keys.empty()) return stripListDirectives(patch);
    return mergeKeyed(original, patch, lm.keys.front(), path);
  }

  static Json stripListDirectives(const Json& patch) {
    Json result = Json::array();
    for (const auto& item : patch) {
      if (item.is_object() && item.contains(kPatch)) continue;
      result.push_back(item);
    }
    return result;
  }

  Result<Json> mergeKeyed(const Json& original, const Json& patch, const std::string& mergeKey,
                          const std::string& path) const {
    Json result = original;
    for (const auto& item : patch) {
      if (item.is_object() && item.size() == 1 && item.contains(kPatch) &&
          item[kPatch] == "replace") {
        return stripListDirectives(patch);
      }
    }
    for (const auto& item : patch) {
      if (!item.is_object() || !item.contains(mergeKey)) {
        return fail(badRequest("map: " + compactJson(item) +
                               " does not contain declared merge key: " + mergeKey));
      }
      const Json& keyValue = item[mergeKey];
      auto it = std::find_if(result.begin(), result.end(), [&](const Json& e) {
        return e.is_object() && e.contains(mergeKey) && e[mergeKey] == keyValue;
      });
      if (item.contains(kPatch) && item[kPatch] == "delete") {
        if (it != result.end()) result.erase(it);
        continue;
      }
      const Json orig = it == result.end() ? Json() : *it;
      auto merged = mergeMap(orig, item, path);
      if (!merged) return fail(std::move(merged).error());
      if (!merged->has_value()) continue;
      if (it == result.end()) {
        result.push_back(std::move(**merged));
      } else {
        *it = std::move(**merged);
      }
    }
    return result;
  }

  // $setElementOrder: items named by the order list come in that order; items only the server
  // had keep their original relative position among them (apimachinery normalizeElementOrder).
  Json applyOrder(const Json& merged, const Json& order, const Json& originalParent,
                  const std::string& list, const std::string& path) const {
    const ListMeta lm = meta_.list(PatchMeta::child(path, list));
    const bool keyed = lm.type == ListType::Map && !lm.keys.empty();
    const std::string key = keyed ? lm.keys.front() : "";
    const auto ident = [&](const Json& v) -> Json {
      return keyed ? (v.is_object() && v.contains(key) ? v[key] : Json()) : v;
    };
    const Json originalList = originalParent.is_object() && originalParent.contains(list)
                                  ? originalParent[list]
                                  : Json::array();
    const auto originalIndex = [&](const Json& id) -> std::ptrdiff_t {
      for (size_t i = 0; i < originalList.size(); ++i) {
        if (ident(originalList[i]) == id) return static_cast<std::ptrdiff_t>(i);
      }
      return -1;
    };
    std::vector<Json> ordered;
    std::vector<Json> serverOnly;
    for (const auto& o : order) {
      const Json id = ident(o);
      for (const auto& m : merged) {
        if (ident(m) == id) ordered.push_back(m);
      }
    }
    for (const auto& m : merged) {
      const Json id = ident(m);
      bool named =
          std::any_of(order.begin(), order.end(), [&](const Json& o) { return ident(o) == id; });
      if (!named) serverOnly.push_back(m);
    }
    Json result = Json::array();
    size_t a = 0;
    size_t b = 0;
    while (a < ordered.size() || b < serverOnly.size()) {
      bool takeServer = a >= ordered.size();
      if (!takeServer && b < serverOnly.size()) {
        const auto ia = originalIndex(ident(ordered[a]));
        const auto ib = originalIndex(ident(serverOnly[b]));
        takeServer = ia >= 0 && ib < ia;
      }
      result.push_back(takeServer ? serverOnly[b++] : ordered[a++]);
    }
    return result;
  }

  const PatchMeta& meta_;
};

}  // namespace

Result<Json> applyStrategicMergePatch(const Json& doc, const Json& patch, const PatchMeta& meta) {
  if (!patch.is_object()) {
    return fail(badRequest("json: cannot unmarshal " + std::string(patch.type_name()) +
                           " into Go value of type map[string]interface {}"));
  }
  try {
    auto merged = Merger(meta).mergeMap(doc, patch, "");
    if (!merged) return fail(std::move(merged).error());
    if (!merged->has_value()) return Json::object();
    return std::move(**merged);
  } catch (const Json::exception& e) {
    return fail(internalError(std::string("applying strategic merge patch: ") + e.what()));
  }
}

}  // namespace kubesim::patch
