#include "kubesim/patch/field_set.h"

#include <algorithm>

#include "kubesim/patch/json_text.h"

namespace kubesim::patch {

FieldSet FieldSet::unionWith(const FieldSet& other) const {
  FieldSet out = *this;
  out.paths_.insert(other.paths_.begin(), other.paths_.end());
  return out;
}

FieldSet FieldSet::intersect(const FieldSet& other) const {
  FieldSet out;
  for (const auto& p : paths_) {
    if (other.contains(p)) out.paths_.insert(p);
  }
  return out;
}

FieldSet FieldSet::minus(const FieldSet& other) const {
  FieldSet out;
  for (const auto& p : paths_) {
    if (!other.contains(p)) out.paths_.insert(p);
  }
  return out;
}

bool FieldSet::hasPrefix(const FieldPath& prefix) const {
  auto it = paths_.lower_bound(prefix);
  return it != paths_.end() && it->size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), it->begin());
}

Json FieldSet::toFieldsV1() const {
  Json root = Json::object();
  for (const auto& path : paths_) {
    Json* node = &root;
    for (const auto& el : path) node = &(*node)[el];
    if (node->is_null()) *node = Json::object();
  }
  for (const auto& path : paths_) {
    Json* node = &root;
    for (const auto& el : path) node = &(*node)[el];
    if (!node->empty()) (*node)["."] = Json::object();
  }
  return root;
}

namespace {

Result<void> collect(const Json& node, FieldPath& path, FieldSet& out) {
  if (!node.is_object()) return fail(badRequest("FieldsV1 nodes must be objects"));
  if (node.empty() && !path.empty()) out.insert(path);
  for (const auto& [key, child] : node.items()) {
    if (key == ".") {
      if (!path.empty()) out.insert(path);
      continue;
    }
    if (key.size() < 2 || key[1] != ':' ||
        (key[0] != 'f' && key[0] != 'k' && key[0] != 'v' && key[0] != 'i')) {
      return fail(badRequest("invalid FieldsV1 path element: " + key));
    }
    path.push_back(key);
    auto r = collect(child, path, out);
    path.pop_back();
    if (!r) return r;
  }
  return {};
}

std::string keyString(const std::string& json) {
  Json keys = Json::parse(json, nullptr, false);
  if (!keys.is_object()) return "[" + json + "]";
  std::string out = "[";
  bool first = true;
  for (const auto& [k, v] : keys.items()) {
    out += (first ? "" : ",") + k + "=" + compactJson(v);
    first = false;
  }
  return out + "]";
}

}  // namespace

Result<FieldSet> FieldSet::fromFieldsV1(const Json& fieldsV1) {
  FieldSet out;
  FieldPath path;
  auto r = collect(fieldsV1, path, out);
  if (!r) return fail(std::move(r).error());
  return out;
}

std::string fieldPathString(const FieldPath& path) {
  std::string out;
  for (const auto& el : path) {
    const std::string rest = el.substr(2);
    switch (el[0]) {
      case 'f':
        out += "." + rest;
        break;
      case 'k':
        out += keyString(rest);
        break;
      case 'v':
        out += "[=" + rest + "]";
        break;
      default:
        out += "[" + rest + "]";
    }
  }
  return out;
}

}  // namespace kubesim::patch
