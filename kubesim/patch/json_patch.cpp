#include "kubesim/patch/json_patch.h"

#include <optional>
#include <string>
#include <vector>

namespace kubesim::patch {
namespace {

// kube-apiserver wraps every failure of applying a decoded patch (evanphx/json-patch) in a generic
// 422 whose message does not repeat the cause (reference §32).
ApiError applyFailed() {
  return ApiError{422, "Invalid", "the server rejected our request due to an error in our request",
                  {},  {},        {},
                  {},  {}};
}

// RFC 6901: "" is the whole document; otherwise "/a/b" with ~1 -> '/', ~0 -> '~'.
std::optional<std::vector<std::string>> parsePointer(const std::string& ptr) {
  std::vector<std::string> tokens;
  if (ptr.empty()) return tokens;
  if (ptr[0] != '/') return std::nullopt;
  std::string cur;
  for (size_t i = 1; i <= ptr.size(); ++i) {
    if (i == ptr.size() || ptr[i] == '/') {
      tokens.push_back(cur);
      cur.clear();
    } else if (ptr[i] == '~') {
      if (i + 1 >= ptr.size() || (ptr[i + 1] != '0' && ptr[i + 1] != '1')) return std::nullopt;
      cur += ptr[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += ptr[i];
    }
  }
  return tokens;
}

// Array index per RFC 6901: digits only, no leading zero. `allowEnd` admits "-" and size().
std::optional<size_t> arrayIndex(const std::string& tok, size_t size, bool allowEnd) {
  if (tok == "-") return allowEnd ? std::optional<size_t>(size) : std::nullopt;
  if (tok.empty() || tok.size() > 9 || (tok.size() > 1 && tok[0] == '0')) return std::nullopt;
  for (char c : tok) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  size_t idx = std::stoul(tok);
  if (idx > size || (idx == size && !allowEnd)) return std::nullopt;
  return idx;
}

Json* resolve(Json& doc, const std::vector<std::string>& tokens, size_t count) {
  Json* cur = &doc;
  for (size_t i = 0; i < count; ++i) {
    if (cur->is_object()) {
      auto it = cur->find(tokens[i]);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      auto idx = arrayIndex(tokens[i], cur->size(), false);
      if (!idx) return nullptr;
      cur = &(*cur)[*idx];
    } else {
      return nullptr;
    }
  }
  return cur;
}

bool addAt(Json& doc, const std::vector<std::string>& tokens, Json value) {
  if (tokens.empty()) {
    doc = std::move(value);
    return true;
  }
  Json* parent = resolve(doc, tokens, tokens.size() - 1);
  if (parent == nullptr) return false;
  if (parent->is_object()) {
    (*parent)[tokens.back()] = std::move(value);
    return true;
  }
  if (!parent->is_array()) return false;
  auto idx = arrayIndex(tokens.back(), parent->size(), true);
  if (!idx) return false;
  parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(*idx), std::move(value));
  return true;
}

std::optional<Json> removeAt(Json& doc, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return std::nullopt;
  Json* parent = resolve(doc, tokens, tokens.size() - 1);
  if (parent == nullptr) return std::nullopt;
  if (parent->is_object()) {
    auto it = parent->find(tokens.back());
    if (it == parent->end()) return std::nullopt;
    Json old = std::move(*it);
    parent->erase(it);
    return old;
  }
  if (!parent->is_array()) return std::nullopt;
  auto idx = arrayIndex(tokens.back(), parent->size(), false);
  if (!idx) return std::nullopt;
  Json old = std::move((*parent)[*idx]);
  parent->erase(*idx);
  return old;
}

std::optional<std::vector<std::string>> pointerField(const Json& op, const char* name) {
  auto it = op.find(name);
  if (it == op.end() || !it->is_string()) return std::nullopt;
  return parsePointer(it->get<std::string>());
}

// The bytes `value` takes as compact JSON, counted only until it exceeds `budget` (then
// budget + 1): a copy's size is judged without serialising a large value.
size_t compactSizeWithin(const Json& value, size_t budget) {
  size_t total = 0;
  auto add = [&](size_t n) {
    total += n;
    return total <= budget;
  };
  auto walk = [&](const auto& self, const Json& v) -> bool {
    switch (v.type()) {
      case Json::value_t::object:
        if (!add(2 + (v.empty() ? 0 : v.size() - 1))) return false;
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!add(it.key().size() + 3) || !self(self, it.value())) return false;
        }
        return true;
      case Json::value_t::array:
        if (!add(2 + (v.empty() ? 0 : v.size() - 1))) return false;
        for (const Json& item : v) {
          if (!self(self, item)) return false;
        }
        return true;
      case Json::value_t::string:
        return add(v.get_ref<const std::string&>().size() + 2);
      default:
        return add(v.dump().size());
    }
  };
  return walk(walk, value) ? total : budget + 1;
}

bool isPrefix(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  return prefix.size() < path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

// Applies one operation in place; false when it cannot be applied. `copyBudget` is what the
// patch may still add by copying (kube-apiserver's JSONPatchMaxCopyBytes); a copy past it fails,
// so that a patch of a few copy operations cannot double the object until memory runs out.
bool applyOp(Json& doc, const Json& op, size_t& copyBudget) {
  if (!op.is_object() || !op.contains("op") || !op["op"].is_string()) return false;
  const std::string kind = op["op"].get<std::string>();
  auto path = pointerField(op, "path");
  if (!path) return false;
  if (kind == "add" || kind == "replace" || kind == "test") {
    if (!op.contains("value")) return false;
    const Json& value = op["value"];
    if (kind == "add") return addAt(doc, *path, value);
    Json* target = resolve(doc, *path, path->size());
    if (target == nullptr) return false;
    if (kind == "test") return *target == value;
    *target = value;
    return true;
  }
  if (kind == "remove") return removeAt(doc, *path).has_value();
  if (kind == "move" || kind == "copy") {
    auto from = pointerField(op, "from");
    if (!from) return false;
    if (kind == "move") {
      if (*from == *path) return resolve(doc, *from, from->size()) != nullptr;
      if (isPrefix(*from, *path)) return false;
      auto value = removeAt(doc, *from);
      return value && addAt(doc, *path, std::move(*value));
    }
    Json* source = resolve(doc, *from, from->size());
    if (source == nullptr) return false;
    const size_t size = compactSizeWithin(*source, copyBudget);
    if (size > copyBudget) return false;
    copyBudget -= size;
    return addAt(doc, *path, Json(*source));
  }
  return false;
}

}  // namespace

Result<Json> applyJsonPatch(const Json& doc, const Json& patchOps) {
  if (!patchOps.is_array()) {
    return fail(badRequest("json: cannot unmarshal " +
                           std::string(patchOps.is_object() ? "object" : patchOps.type_name()) +
                           " into Go value of type jsonpatch.Patch"));
  }
  if (patchOps.size() > kMaxJsonPatchOperations) {
    return fail(requestEntityTooLarge("The allowed maximum operations in a JSON patch is " +
                                      std::to_string(kMaxJsonPatchOperations) + ", got " +
                                      std::to_string(patchOps.size())));
  }
  Json result = doc;
  size_t copyBudget = kMaxJsonPatchCopyBytes;
  try {
    for (const auto& op : patchOps) {
      if (!applyOp(result, op, copyBudget)) return fail(applyFailed());
    }
  } catch (const Json::exception& e) {
    return fail(internalError(std::string("applying JSON patch: ") + e.what()));
  }
  return result;
}

}  // namespace kubesim::patch
