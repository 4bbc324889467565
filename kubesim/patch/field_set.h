#pragma once
// FieldSet: a set of field paths in the FieldsV1 vocabulary of managedFields. A path is a
// sequence of elements: "f:<field>", "k:{<key fields as compact JSON, keys sorted>}" for an item
// of a keyed list, "v:<JSON value>" for an item of a set-like list. A path in the set means the
// node is owned; fromFieldsV1/toFieldsV1 translate to the nested JSON form where "." marks an
// owned node that also has owned children.

#include <set>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::patch {

using FieldPath = std::vector<std::string>;

class FieldSet {
 public:
  FieldSet() = default;

  void insert(FieldPath path) { paths_.insert(std::move(path)); }
  bool contains(const FieldPath& path) const { return paths_.count(path) != 0; }
  bool empty() const { return paths_.empty(); }
  size_t size() const { return paths_.size(); }
  const std::set<FieldPath>& paths() const { return paths_; }

  FieldSet unionWith(const FieldSet& other) const;
  FieldSet intersect(const FieldSet& other) const;
  FieldSet minus(const FieldSet& other) const;
  // Whether any path of this set starts with `prefix` (prefix included).
  bool hasPrefix(const FieldPath& prefix) const;

  Json toFieldsV1() const;
  static Result<FieldSet> fromFieldsV1(const Json& fieldsV1);

  bool operator==(const FieldSet&) const = default;

 private:
  std::set<FieldPath> paths_;
};

// ".spec.template.spec.containers[name=\"app\"].env[name=\"X\"].value" — the notation of the
// FieldManagerConflict causes (reference §18, real-ssa-gitops.md §5).
std::string fieldPathString(const FieldPath& path);

}  // namespace kubesim::patch
